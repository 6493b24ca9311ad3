"""The catalog at the console: the item search (the picker without JavaScript), the picker's
choices for the card, an item's page with its stock and waiting lines, and unlinked wishes."""

from __future__ import annotations

from fastapi import APIRouter, Query
from fastapi.responses import Response

from heedful.core.access import scope_of
from heedful.core.catalog import item_stock, search_items
from heedful.core.promises.waiting_line import PlaceState, waiting_lines
from heedful.core.promises.wishes import link_wish, unlinked_wishes
from heedful.core.shared.errors import Conflict, InvalidInput, NotFound
from heedful.core.staff.queries import all_locations
from heedful.entrypoints.console.context import ConsoleRoute, Staff
from heedful.entrypoints.console.forms import Text
from heedful.entrypoints.console.labels import N_

router = APIRouter(route_class=ConsoleRoute, include_in_schema=False)

PLACE_STATES = {
    PlaceState.WAITING: N_("waiting in line"),
    PlaceState.TOLD: N_("told"),
    PlaceState.HELD: N_("held until %(time)s"),
    PlaceState.BOUGHT: N_("bought"),
    PlaceState.EXPIRED: N_("expired"),
}


def ordinal(position: int, language: str) -> str:
    """ "3rd" in English; "№ 3" in Russian and Ukrainian, which inflect by gender."""
    if language != "en":
        return f"№ {position}"
    if 10 <= position % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(position % 10, "th")
    return f"{position}{suffix}"


@router.get("/console/items")
def items(console: Staff, q: str = Query("", max_length=200), linked: str = "") -> Response:
    uow = console.container.uow
    found = search_items(uow(read_only=True), q, 50)
    wishes = unlinked_wishes(uow(read_only=True), console.actor)
    return console.render(
        "items/search.html",
        q=q,
        found=found,
        wishes=wishes,
        locations=all_locations(uow(read_only=True)),
        linked=linked,
        error=None,
    )


@router.get("/console/items/pick")
def pick(
    console: Staff,
    product: str = Query("", max_length=200),
    subject: str = Query("", max_length=200),
) -> Response:
    """The picker's choices as the staff member types, for the card's datalists.

    The promise form's field is ``product``, the preference form's ``subject``.
    """
    found = search_items(console.container.uow(read_only=True), product or subject, 10)
    return console.render("items/_choices.html", found=found)


@router.get("/console/items/{code}")
def item_page(console: Staff, code: str) -> Response:
    uow = console.container.uow
    try:
        item, lines = waiting_lines(uow(read_only=True), console.actor, code)
    except NotFound:
        return console.render("items/missing.html", status=404, code=code)
    visible = scope_of(console.actor).location_ids
    stock = [
        level
        for level in item_stock(uow(read_only=True), item.code)
        if visible is None or level.location_id in visible
    ]
    return console.render(
        "items/item.html",
        item=item,
        lines=lines,
        stock=stock,
        locations=all_locations(uow(read_only=True)),
        PLACE_STATES=PLACE_STATES,
        PlaceState=PlaceState,
    )


@router.post("/console/wishes/{promise_id}/link")
def link(console: Staff, promise_id: str, code: Text = "") -> Response:
    uow = console.container.uow
    try:
        link_wish(promise_id, code, uow(), console.container.clock, console.actor)
    except (InvalidInput, Conflict) as exc:
        return console.render(
            "items/search.html",
            status=422,
            q="",
            found=[],
            wishes=unlinked_wishes(uow(), console.actor),
            locations=all_locations(uow()),
            linked="",
            error={"promise_id": promise_id, "message": exc.message, "code": code},
        )
    return console.redirect(f"/console/items?linked={promise_id}")
