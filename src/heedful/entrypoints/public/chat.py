"""`/chat/{location code}`: the small chat page a business embeds on its site (an iframe).

The page itself is plain HTML in the visitor's language (``?lang=`` or Accept-Language, ru/uk/en);
its script sends the visitor's messages to the public chat API (``POST /api/v1/conversations/chat``)
and polls it every two seconds for staff replies. The visitor token the API hands out is kept in
a cookie scoped to this page's path, so a reload (or a visit tomorrow) shows the same conversation.
The page may be framed by any site: it shows nothing but the visitor's own conversation.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import FileResponse, HTMLResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape

from heedful.bootstrap import Container
from heedful.core.conversations.handlers import chat_messages_after
from heedful.core.conversations.model import Direction, ThreadMessage
from heedful.core.customers.model import LANGUAGES
from heedful.core.shared.errors import NotFound
from heedful.entrypoints.console.i18n import negotiate
from heedful.entrypoints.public.throttling import chat_read_rule, check, client_address

HERE = Path(__file__).parent
COOKIE = "heedful_chat"
_pages = Environment(
    loader=FileSystemLoader(HERE / "templates"),
    autoescape=select_autoescape(["html"]),
)
_HEADERS = {
    "Cache-Control": "private, no-store",
    # Framed by the business's own site, whatever it is; scripts and calls only to Heedful.
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "connect-src 'self'; frame-ancestors *; form-action 'self'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Vary": "Accept-Language, Cookie",
}
# Few words, read by visitors who are not staff: kept here, like the unsubscribe page's.
WORDS = {
    "en": {
        "title": "Chat with {name}",
        "intro": "Write to us; we answer here as soon as we can.",
        "name": "Your name (optional)",
        "email": "Your e-mail, for an answer if you leave (optional)",
        "message": "Message",
        "send": "Send",
        "you": "You",
        "failed": "The message was not sent. Check the connection and try again.",
        "unknown": "This chat is not available.",
        "busy": "Too many requests from here. Please try again in a few minutes.",
    },
    "uk": {
        "title": "Чат: {name}",
        "intro": "Напишіть нам, ми відповімо тут якнайшвидше.",
        "name": "Ваше ім'я (необов'язково)",
        "email": "Ваш e-mail, щоб ми відповіли, якщо ви підете (необов'язково)",
        "message": "Повідомлення",
        "send": "Надіслати",
        "you": "Ви",
        "failed": "Повідомлення не надіслано. Перевірте з'єднання і спробуйте ще раз.",
        "unknown": "Цей чат недоступний.",
        "busy": "Забагато запитів звідси. Спробуйте ще раз за кілька хвилин.",
    },
    "ru": {
        "title": "Чат: {name}",
        "intro": "Напишите нам, мы ответим здесь как можно скорее.",
        "name": "Ваше имя (необязательно)",
        "email": "Ваш e-mail, чтобы мы ответили, если вы уйдёте (необязательно)",
        "message": "Сообщение",
        "send": "Отправить",
        "you": "Вы",
        "failed": "Сообщение не отправлено. Проверьте соединение и попробуйте ещё раз.",
        "unknown": "Этот чат недоступен.",
        "busy": "Слишком много запросов отсюда. Попробуйте ещё раз через несколько минут.",
    },
}


def chat_language(request: Request, default: str) -> str:
    asked = request.query_params.get("lang", "")
    if asked in LANGUAGES:
        return asked
    return negotiate(request.headers.get("Accept-Language"), default)


def _answer(html: str, status: int = 200) -> HTMLResponse:
    response = HTMLResponse(html, status_code=status)
    response.headers.update(_HEADERS)
    return response


def embed_snippet(base_url: str, code: str) -> str:
    """What an administrator pastes into the business's site."""
    return (
        f'<iframe src="{base_url.rstrip("/")}/chat/{code}" title="Chat" '
        'style="width:100%;max-width:420px;height:560px;border:0"></iframe>'
    )


def install_chat(app: FastAPI, container: Container) -> None:
    router = APIRouter(include_in_schema=False)

    def history(token: str) -> list[ThreadMessage]:
        try:
            _, messages = chat_messages_after(token, 0, container.uow(read_only=True), limit=200)
        except NotFound:
            return []  # an old or foreign cookie: a fresh conversation
        return messages

    @router.get("/chat/assets/{name}")
    def asset(name: str) -> Response:
        if name not in ("chat.js", "chat.css"):
            return Response(status_code=404)
        response = FileResponse(HERE / "static" / name)
        response.headers["Cache-Control"] = "public, max-age=300"
        return response

    @router.get("/chat/{code}")
    def page(code: str, request: Request) -> HTMLResponse:
        language = chat_language(request, container.settings.default_language)
        words = WORDS[language]
        address = client_address(request, container.settings.trusted_proxies)
        verdict = check(container, [(chat_read_rule(container.settings), address)])
        if not verdict.allowed:
            html = _pages.get_template("chat_unknown.html").render(
                language=language, words={**words, "unknown": words["busy"]}
            )
            busy = _answer(html, 429)
            busy.headers["Retry-After"] = str(verdict.retry_after)
            return busy
        with container.uow(read_only=True) as uow:
            location = uow.locations.get_by_code(code)
        if location is None:
            html = _pages.get_template("chat_unknown.html").render(language=language, words=words)
            return _answer(html, 404)
        token = request.cookies.get(COOKIE, "")
        messages = history(token) if token else []
        html = _pages.get_template("chat.html").render(
            language=language,
            words=words,
            title=words["title"].format(name=location.name),
            location=location,
            token=token if messages else "",
            messages=messages,
            cursor=max((m.sequence for m in messages), default=0),
            Direction=Direction,
        )
        return _answer(html)

    app.include_router(router)
