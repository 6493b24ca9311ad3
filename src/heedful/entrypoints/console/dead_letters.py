"""/admin/dead-letters: what the worker set aside, for admins to put back or close."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from heedful.core.dead_letters.handlers import (
    LetterAction,
    discard_dead_letter,
    list_dead_letters,
    retry_dead_letter,
)
from heedful.core.dead_letters.model import LetterKind
from heedful.entrypoints.console.context import Console, ConsoleRoute, Staff
from heedful.entrypoints.console.forms import choice
from heedful.entrypoints.console.labels import N_

router = APIRouter(prefix="/admin", route_class=ConsoleRoute, include_in_schema=False)


def _page(console: Console, notice: str = "") -> Response:
    letters = list_dead_letters(console.container.uow(read_only=True), console.actor, limit=200)
    template = "admin/_dead_letters.html" if console.is_htmx else "admin/dead_letters.html"
    return console.render(template, letters=letters, notice=notice)


@router.get("/dead-letters")
def dead_letters(console: Staff) -> Response:
    return _page(console)


def _answer(console: Console, msgid: str, what: str) -> Response:
    notice = console.ui.gettext(msgid) % {"what": what}
    if console.is_htmx:
        return _page(console, notice)
    return console.redirect("/admin/dead-letters")


@router.post("/dead-letters/{kind}/{ref}/retry")
def retry(console: Staff, kind: str, ref: str) -> Response:
    return _act(console, retry_dead_letter, kind, ref, N_("Back in the queue: %(what)s"))


@router.post("/dead-letters/{kind}/{ref}/discard")
def discard(console: Staff, kind: str, ref: str) -> Response:
    return _act(console, discard_dead_letter, kind, ref, N_("Discarded: %(what)s"))


def _act(console: Console, use_case: LetterAction, kind: str, ref: str, msgid: str) -> Response:
    letter = use_case(
        choice(LetterKind, kind, "kind"),
        ref,
        console.container.uow(),
        console.container.clock,
        console.actor,
    )
    return _answer(console, msgid, letter.what)
