"""/console/tonight: the host's book for tonight against capacity, and the walk-in holds.

The host reads tonight's reservations at her location, sees the tables held back for walk-ins
and whether the book is over capacity, keeps more tables back at her discretion, releases a hold
early (its tables are free for bookings at once) or seats a walk-in on one (ADR 0051).
"""

from __future__ import annotations

from datetime import time

from fastapi import APIRouter
from fastapi.responses import Response

from heedful.core.dealings.capacity import Book, HoldKind, HoldState
from heedful.core.dealings.holds import (
    NewHold,
    hold_back,
    release_hold,
    seat_walk_in,
    tonight,
    tonight_by_service,
)
from heedful.core.shared.errors import HeedfulError, InvalidInput
from heedful.core.staff.queries import all_locations
from heedful.entrypoints.console.bookings import Calendar, _names
from heedful.entrypoints.console.context import Console, ConsoleRoute, FormState, Staff, blank_form
from heedful.entrypoints.console.forms import Text
from heedful.entrypoints.console.labels import N_

router = APIRouter(prefix="/console", route_class=ConsoleRoute, include_in_schema=False)
PAGE = "/console/tonight"
HOLD_STATE = {
    HoldState.HELD: N_("Held"),
    HoldState.RELEASED: N_("Released"),
    HoldState.EXPIRED: N_("Released at its time"),
    HoldState.SEATED: N_("Walk-ins seated"),
}


def _clock(text: str, field: str) -> time:
    try:
        return time.fromisoformat(text.strip())
    except ValueError as exc:
        raise InvalidInput("a time such as 19:00", field=field) from exc


def _page(
    console: Console, location_id: str = "", form: FormState | None = None, status: int = 200
) -> Response:
    locations = {
        i: loc
        for i, loc in all_locations(console.container.uow(read_only=True)).items()
        if console.actor.may_act_at(i)
    }
    chosen = location_id if location_id in locations else next(iter(sorted(locations)), "")
    book = None
    parts: list[Book] = []
    if chosen:
        c = console.container
        book = tonight(chosen, HoldKind.TABLES, c.uow(read_only=True), c.clock, console.actor)
        # Lunch and dinner each against their own tables, room types against their rooms.
        parts = [
            *tonight_by_service(
                chosen, HoldKind.TABLES, c.uow(read_only=True), c.clock, console.actor
            ),
            *tonight_by_service(
                chosen, HoldKind.ROOMS, c.uow(read_only=True), c.clock, console.actor
            ),
        ]
    zone = locations[chosen].time_zone if chosen else "UTC"
    return console.render(
        "bookings/tonight.html",
        status=status,
        locations=sorted(locations.values(), key=lambda loc: loc.name),
        chosen=chosen,
        book=book,
        parts=parts,
        ROOMS=HoldKind.ROOMS,
        names=_names(console, {b.customer_id for b in book.bookings} if book else set()),
        cal=Calendar(console.ui.language, locations, zone),
        state_label=lambda state: console.ui.gettext(HOLD_STATE[state]),
        HELD=HoldState.HELD,
        form=form or blank_form(count="2", starts="19:00", until="20:30", reason="", service=""),
    )


@router.get("/tonight")
def tonight_page(console: Staff, location_id: str = "") -> Response:
    return _page(console, location_id)


@router.post("/tonight/holds")
def add_hold(
    console: Staff,
    location_id: Text = "",
    count: Text = "",
    starts: Text = "",
    until: Text = "",
    reason: Text = "",
    service: Text = "",
) -> Response:
    form = blank_form(count=count, starts=starts, until=until, reason=reason, service=service)
    kind, _, name = service.partition(":")  # "tables:Dinner", "rooms:Deluxe", or blank
    try:
        if not count.strip().isdigit():
            raise InvalidInput("a whole number of tables", field="count")
        new = NewHold(
            location_id,
            int(count),
            _clock(starts, "starts"),
            _clock(until, "until"),
            HoldKind.ROOMS if kind == HoldKind.ROOMS.value else HoldKind.TABLES,
            reason,
            name,
        )
        hold_back(new, console.container.uow(), console.container.clock, console.actor)
    except HeedfulError as exc:
        return _page(console, location_id, console.failed(exc, form), status=422)
    return console.redirect(f"{PAGE}?location_id={location_id}")


@router.post("/tonight/holds/{hold_id}/release")
def release(console: Staff, hold_id: str, location_id: Text = "") -> Response:
    release_hold(hold_id, console.container.uow(), console.container.clock, console.actor)
    return console.redirect(f"{PAGE}?location_id={location_id}")


@router.post("/tonight/holds/{hold_id}/seat")
def seat(console: Staff, hold_id: str, location_id: Text = "") -> Response:
    seat_walk_in(hold_id, console.container.uow(), console.container.clock, console.actor)
    return console.redirect(f"{PAGE}?location_id={location_id}")
