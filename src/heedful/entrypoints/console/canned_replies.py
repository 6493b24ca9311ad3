"""/console/canned-replies: managers write the replies agents insert, in ru, uk and en."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from heedful.core.conversations.canned_reply_handlers import (
    MANAGE,
    CannedReplyIn,
    list_canned_replies,
    retire_canned_reply,
    save_canned_reply,
)
from heedful.core.customers.model import LANGUAGES
from heedful.core.shared.errors import Forbidden, InvalidInput, NotFound
from heedful.core.staff.queries import all_locations, locations_of
from heedful.entrypoints.console.context import Console, ConsoleRoute, FormState, Staff, blank_form
from heedful.entrypoints.console.forms import Text
from heedful.entrypoints.public.chat import embed_snippet

router = APIRouter(route_class=ConsoleRoute, include_in_schema=False)
PAGE = "/console/canned-replies"


def _page(console: Console, form: FormState | None = None, status: int = 200) -> Response:
    console.actor.require(MANAGE)
    mine = locations_of(console.actor, console.container.uow(read_only=True))
    first = "" if console.actor.sees_every_location or not mine else mine[0].id
    return console.render(
        "inbox/canned.html",
        status=status,
        replies=list_canned_replies(console.container.uow(read_only=True), console.actor),
        form=form
        or blank_form(reply_id="", title="", location_id=first, text_ru="", text_uk="", text_en=""),
        languages=LANGUAGES,
        locations=mine,
        all_locations=all_locations(console.container.uow(read_only=True)),
        # The chat page each location can embed: shown to those who set conversations up.
        snippets=[
            (location, embed_snippet(str(console.request.base_url), location.code))
            for location in mine
            if location.code
        ],
    )


@router.get(PAGE)
def canned_replies(console: Staff, edit: str = "") -> Response:
    """The list and the form; ``edit`` puts that reply's words in the form to change them."""
    chosen = next(
        (
            r
            for r in list_canned_replies(console.container.uow(read_only=True), console.actor)
            if r.id == edit
        ),
        None,
    )
    if chosen is None:
        return _page(console)
    texts = {f"text_{code}": chosen.texts.get(code, "") for code in LANGUAGES}
    form = blank_form(
        reply_id=chosen.id, title=chosen.title, location_id=chosen.location_id or "", **texts
    )
    return _page(console, form)


@router.post(PAGE)
def save(
    console: Staff,
    reply_id: Text = "",
    title: Text = "",
    location_id: Text = "",
    text_ru: Text = "",
    text_uk: Text = "",
    text_en: Text = "",
) -> Response:
    form = blank_form(
        reply_id=reply_id,
        title=title,
        location_id=location_id,
        text_ru=text_ru,
        text_uk=text_uk,
        text_en=text_en,
    )
    try:
        save_canned_reply(
            CannedReplyIn(
                title=title,
                texts={"ru": text_ru, "uk": text_uk, "en": text_en},
                location_id=location_id or None,
            ),
            console.container.uow(),
            console.container.clock,
            console.actor,
            reply_id=reply_id or None,
        )
    except (InvalidInput, Forbidden, NotFound) as exc:
        return _page(console, console.failed(exc, form), status=422)
    return console.redirect(PAGE)


@router.post(PAGE + "/{reply_id}/retire")
def retire(console: Staff, reply_id: str) -> Response:
    retire_canned_reply(reply_id, console.container.uow(), console.container.clock, console.actor)
    return console.redirect(PAGE)
