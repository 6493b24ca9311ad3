"""`/u/{token}`: the unsubscribe link in every message, and its RFC 8058 one-click POST.

Opening the link shows one button (mail scanners that follow links must not unsubscribe anyone);
the button, or a mail client's one-click POST, withdraws the consent the message relied on: that
channel, that purpose. The withdrawal is a consent decision like any other, on the card.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from heedful.bootstrap import Container
from heedful.core.access.model import Actor, Role
from heedful.core.customers.channels import Channel
from heedful.core.customers.commands import RecordConsent
from heedful.core.customers.consent import Purpose
from heedful.core.customers.handlers import record_consent
from heedful.core.shared.errors import HeedfulError
from heedful.entrypoints.console.i18n import build_uis

_pages = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=select_autoescape(["html"]),
)
# The customer acts for herself; the label is what staff read in the consent history.
_CUSTOMER = Actor(id="unsubscribe-link", label="the customer, by unsubscribe link", role=Role.ADMIN)

_WORDS = {
    "en": {
        "title": "Unsubscribe",
        "ask": "Stop {purpose} messages by {channel}?",
        "button": "Unsubscribe",
        "done": "Done: you will get no more {purpose} messages by {channel}.",
        "bad": "This link is not valid. Please contact us and we will stop the messages.",
    },
    "uk": {
        "title": "Відписатися",
        "ask": "Більше не надсилати {purpose} повідомлення через {channel}?",
        "button": "Відписатися",
        "done": "Готово: ви більше не отримуватимете {purpose} повідомлень через {channel}.",
        "bad": "Посилання недійсне. Напишіть нам, і ми припинимо розсилку.",
    },
    "ru": {
        "title": "Отписаться",
        "ask": "Больше не присылать {purpose} сообщения через {channel}?",
        "button": "Отписаться",
        "done": "Готово: вы больше не будете получать {purpose} сообщения через {channel}.",
        "bad": "Ссылка недействительна. Напишите нам, и мы остановим рассылку.",
    },
}
_PURPOSES = {
    "en": {"service": "service", "marketing": "marketing", "surveys": "survey"},
    "uk": {"service": "сервісні", "marketing": "рекламні", "surveys": "опитувальні"},
    "ru": {"service": "сервисные", "marketing": "рекламные", "surveys": "опросные"},
}


def _page(language: str, key: str, status: int = 200, **values: str) -> HTMLResponse:
    words = _WORDS.get(language, _WORDS["en"])
    purpose = _PURPOSES.get(language, _PURPOSES["en"]).get(values.get("purpose", ""), "")
    # Channel names come from the message catalogs, as on the console: a channel is named once.
    ui = build_uis().get(language) or build_uis()["en"]
    channel = ui.label(values["channel"], "channel_in_text") if values.get("channel") else ""
    html = _pages.get_template("unsubscribe.html").render(
        language=language,
        title=words["title"],
        text=words[key].format(purpose=purpose, channel=channel),
        button=words["button"] if key == "ask" else None,
    )
    return HTMLResponse(html, status_code=status)


def install_public(app: FastAPI, container: Container) -> None:
    router = APIRouter(include_in_schema=False)

    def language_of(customer_id: str) -> str:
        with container.uow(read_only=True) as uow:
            customer = uow.customers.get(customer_id)
        return customer.language if customer else "en"

    @router.get("/u/{token}")
    def ask(token: str) -> HTMLResponse:
        link = container.unsubscribe.read(token)
        if link is None:
            return _page("en", "bad", 404)
        return _page(
            language_of(link.customer_id), "ask", channel=link.channel, purpose=link.purpose
        )

    @router.post("/u/{token}")
    async def unsubscribe(token: str, request: Request) -> HTMLResponse:
        await request.body()  # "List-Unsubscribe=One-Click" or the button's empty form
        link = container.unsubscribe.read(token)
        if link is None:
            return _page("en", "bad", 404)
        try:
            cmd = RecordConsent(
                customer_id=link.customer_id,
                channel=Channel(link.channel),
                purpose=Purpose(link.purpose),
                granted=False,
                how="unsubscribe link",
            )
            record_consent(cmd, container.uow(), container.clock, _CUSTOMER)
        except (HeedfulError, ValueError):
            return _page("en", "bad", 404)
        return _page(
            language_of(link.customer_id), "done", channel=link.channel, purpose=link.purpose
        )

    app.include_router(router)
