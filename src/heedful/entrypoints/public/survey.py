"""`/s/{token}`: the survey page a customer opens from her invitation, on her phone, in her words.

The token is signed for one invitation; the page shows the survey's own question, the scale as
large buttons, the optional choices and comment, and refuses a second answer or a late one in
words she understands. Like the unsubscribe page, it needs no login and sets no cookie.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.concurrency import run_in_threadpool

from heedful.bootstrap import Container
from heedful.core.feedback.handlers import AnswerForm, Opened, answer_survey, open_invitation
from heedful.core.feedback.model import SCALE, InvitationState, SurveyKind
from heedful.core.shared.errors import Conflict, InvalidInput, NotFound
from heedful.entrypoints.console.i18n import negotiate
from heedful.entrypoints.public.throttling import check, client_address, survey_rules

_pages = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=select_autoescape(["html"]),
)

_WORDS: dict[str, dict[str, object]] = {
    "en": {
        "send": "Send",
        "thanks": "Thank you! Your answer helps us do better.",
        "answered": "This survey has already been answered. Thank you!",
        "expired": "This survey link has expired. Thank you for wanting to answer.",
        "bad": "This link is not valid.",
        "choose": "Please choose a score.",
        "busy": "Too many attempts from here. Please try again in a few minutes.",
        "low": {"nps": "not at all likely", "csat": "very unhappy", "ces": "very hard"},
        "high": {"nps": "extremely likely", "csat": "very happy", "ces": "very easy"},
    },
    "uk": {
        "send": "Надіслати",
        "thanks": "Дякуємо! Ваша відповідь допоможе нам стати кращими.",
        "answered": "На це опитування вже відповіли. Дякуємо!",
        "expired": "Термін дії цього посилання минув. Дякуємо, що хотіли відповісти.",
        "bad": "Посилання недійсне.",
        "choose": "Будь ласка, оберіть оцінку.",
        "busy": "Забагато спроб звідси. Спробуйте ще раз за кілька хвилин.",
        "low": {"nps": "зовсім ні", "csat": "дуже незадоволені", "ces": "дуже складно"},
        "high": {"nps": "неодмінно", "csat": "дуже задоволені", "ces": "дуже легко"},
    },
    "ru": {
        "send": "Отправить",
        "thanks": "Спасибо! Ваш ответ поможет нам стать лучше.",
        "answered": "На этот опрос уже ответили. Спасибо!",
        "expired": "Срок действия этой ссылки истёк. Спасибо, что хотели ответить.",
        "bad": "Ссылка недействительна.",
        "choose": "Пожалуйста, выберите оценку.",
        "busy": "Слишком много попыток отсюда. Попробуйте ещё раз через несколько минут.",
        "low": {"nps": "точно нет", "csat": "очень недовольны", "ces": "очень сложно"},
        "high": {"nps": "обязательно", "csat": "очень довольны", "ces": "очень легко"},
    },
}


def _words(language: str) -> dict[str, object]:
    return _WORDS.get(language, _WORDS["en"])


def _message(language: str, key: str, status: int) -> HTMLResponse:
    words = _words(language)
    html = _pages.get_template("survey.html").render(
        language=language, message=words[key], words=words, opened=None
    )
    return HTMLResponse(html, status_code=status)


def _form(opened: Opened, error: str = "", status: int = 200) -> HTMLResponse:
    language, text = opened.survey.text_in(opened.language)
    low, high = SCALE[opened.survey.kind]
    words = _words(language)
    html = _pages.get_template("survey.html").render(
        language=language,
        message="",
        error=error,
        words=words,
        opened=opened,
        text=text,
        scores=list(range(low, high + 1)),
        kind=opened.survey.kind.value,
        wide=opened.survey.kind is SurveyKind.NPS,
        choices=[(c.key, c.label(language)) for c in opened.survey.choices],
    )
    return HTMLResponse(html, status_code=status)


def install_survey_pages(app: FastAPI, container: Container) -> None:
    router = APIRouter(include_in_schema=False)

    def opened_by(token: str) -> Opened | None:
        invitation_id = container.survey_links.read(token)
        if invitation_id is None:
            return None
        try:
            return open_invitation(invitation_id, container.uow(read_only=True), container.clock)
        except NotFound:
            return None

    def throttled(request: Request, token: str, answering: bool) -> HTMLResponse | None:
        """A page in her words with Retry-After when this address or link knocks too often."""
        per_address, per_link = survey_rules(container.settings)
        asks = [(per_address, client_address(request, container.settings.trusted_proxies))]
        if answering:
            asks.append((per_link, token))
        verdict = check(container, asks)
        if verdict.allowed:
            return None
        # Her language from the browser: a refused request reads nothing from the database.
        busy = _message(negotiate(request.headers.get("Accept-Language"), "en"), "busy", 429)
        busy.headers["Retry-After"] = str(verdict.retry_after)
        return busy

    @router.get("/s/{token}")
    def show(token: str, request: Request) -> HTMLResponse:
        refused = throttled(request, token, answering=False)
        if refused is not None:
            return refused
        opened = opened_by(token)
        if opened is None:
            return _message("en", "bad", 404)
        if opened.state is not InvitationState.WAITING:
            return _message(opened.language, opened.state.value, 410)
        return _form(opened)

    @router.post("/s/{token}")
    async def answer(token: str, request: Request) -> HTMLResponse:
        refused = await run_in_threadpool(throttled, request, token, True)
        if refused is not None:
            return refused
        opened = opened_by(token)
        if opened is None:
            return _message("en", "bad", 404)
        form = await request.form()
        try:
            score = int(str(form.get("score", "")))
        except ValueError:
            return _form(opened, str(_words(opened.language)["choose"]), 422)
        answer_form = AnswerForm(
            score=score,
            comment=str(form.get("comment", ""))[:4000],
            choices=tuple(str(c) for c in form.getlist("choices")),
        )
        try:
            answer_survey(
                opened.invitation.id,
                answer_form,
                container.uow(),
                container.clock,
                container.comment_reader,
            )
        except Conflict:
            state = opened.invitation.state(container.clock.now())
            key = "expired" if state is InvitationState.EXPIRED else "answered"
            return _message(opened.language, key, 409)
        except InvalidInput:
            return _form(opened, str(_words(opened.language)["choose"]), 422)
        thanks = opened.survey.text_in(opened.language)[1].thanks
        words = _words(opened.language)
        html = _pages.get_template("survey.html").render(
            language=opened.language, message=thanks or words["thanks"], words=words, opened=None
        )
        return HTMLResponse(html)

    app.include_router(router)
