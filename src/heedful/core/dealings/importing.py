"""Bookings, orders, accounts and history from a PMS, POS, web-shop or bank export.

Each good row becomes the business event its system would have sent (``heedful.booking.upserted``,
``heedful.order.upserted``, ``heedful.purchase.made``...), stored in the inbox in the batch's
transaction; the engine then applies it as it applies every event. So a booking is written by
one path only, and an export re-imported next to the live feed is ordered by each row's own time
(its ``updated_at``, or when it happened), not by when the file was read (ADR 0036).

A row is refused with every reason it has, not only the first: the operator fixes it once.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from heedful.core.access import Actor, Permission
from heedful.core.customers import FindsCustomers, customer_in_file
from heedful.core.dealings.model import BookingStatus, OrderStatus
from heedful.core.dealings.row_cells import Problems, Reading
from heedful.core.events import BusinessEvent, data_problem, parse_timestamp
from heedful.core.shared.clock import Clock
from heedful.core.shared.importing import (
    ImportReport,
    Outcome,
    ProgressCallback,
    Row,
    cell,
    import_in_batches,
)
from heedful.core.shared.ports import UnitOfWorkShape


class _Place(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def code(self) -> str | None: ...
    @property
    def time_zone(self) -> str: ...


class _Places(Protocol):
    def list(self) -> Sequence[_Place]: ...


class _Inbox(Protocol):
    def accept(self, events: Sequence[BusinessEvent], *, received_at: datetime) -> list[bool]: ...


class ImportWork(UnitOfWorkShape, Protocol):
    """What an import reads and writes (ADR 0030): it finds who and where, and stores events."""

    @property
    def customers(self) -> FindsCustomers: ...
    @property
    def locations(self) -> _Places: ...
    @property
    def events(self) -> _Inbox: ...


@dataclass(frozen=True)
class FileKind:
    name: str
    columns: tuple[str, ...]
    required: tuple[str, ...]


BOOKINGS = FileKind(
    "bookings",
    (
        "customer",
        "location",
        "booking",
        "kind",
        "arrival",
        "departure",
        "room_type",
        "room",
        "table",
        "guests",
        "status",
        "total",
        "currency",
        "updated_at",
    ),
    ("customer", "location", "booking", "arrival"),
)
ORDERS = FileKind(
    "orders",
    (
        "customer",
        "location",
        "order",
        "status",
        "lines",
        "promised",
        "expected",
        "carrier",
        "tracking_number",
        "total",
        "currency",
        "updated_at",
    ),
    ("customer", "location", "order", "status"),
)
ACCOUNTS = FileKind(
    "accounts",
    (
        "customer",
        "location",
        "account",
        "balance",
        "currency",
        "limit",
        "next_charge_at",
        "next_charge_amount",
        "card_expires",
        "updated_at",
    ),
    ("customer", "location", "account", "balance", "currency"),
)
HISTORY = FileKind(
    "history",
    ("customer", "location", "kind", "occurred_at", "items", "total", "currency", "external_ref"),
    ("customer", "location", "kind", "occurred_at"),
)
FILE_KINDS = {kind.name: kind for kind in (BOOKINGS, ORDERS, ACCOUNTS, HISTORY)}


def import_dealings(
    kind: FileKind,
    rows: Iterable[Row],
    uow: ImportWork,
    clock: Clock,
    actor: Actor,
    *,
    batch_size: int = 500,
    on_progress: ProgressCallback | None = None,
) -> ImportReport:
    """Store each good row as the event its system would have sent; return what was done."""
    actor.require(Permission.IMPORT_DATA)
    with uow:
        places = [place for place in uow.locations.list() if actor.may_act_at(place.id)]
    reader = _ROWS[kind.name]

    def import_row(row: Mapping[str, str]) -> Outcome:
        problems = Problems()
        customer_id = _customer(cell(row, "customer"), uow, actor, problems)
        place = _place(cell(row, "location"), places, problems)
        reading = Reading(row, ZoneInfo(place.time_zone) if place else None, problems)
        made = reader(reading)
        for event_type, _, data in made:
            # The event's own check, as at the API: a row can never store what ingest refuses.
            problem = None if problems.found else data_problem(event_type, data)
            if problem is not None:
                problems.add(problem.field.removeprefix("data."), problem.reason)
        problems.raise_any()
        if customer_id is None or place is None:
            raise AssertionError("raise_any refuses a row without its customer or location")
        now = clock.now()
        events = [
            BusinessEvent(
                source=f"heedful-import/{kind.name}",
                id=_row_id(event_type, row, index),
                type=event_type,
                data={"customer": {"id": customer_id}, "location": place.id, **data},
                time=parse_timestamp(stamp) if stamp else now,
                sender_locations=actor.scope,
            )
            for index, (event_type, stamp, data) in enumerate(made)
        ]
        new = uow.events.accept(events, received_at=now)
        return Outcome.CREATED if any(new) else Outcome.UNCHANGED

    return import_in_batches(rows, uow, import_row, batch_size=batch_size, on_progress=on_progress)


def _row_id(event_type: str, row: Mapping[str, str], index: int) -> str:
    # The same row imported again is the same event: the inbox recognises it and stores nothing.
    content = json.dumps(sorted(row.items()), ensure_ascii=False)
    return hashlib.sha256(f"{event_type}|{index}|{content}".encode()).hexdigest()[:40]


def _customer(value: str, uow: ImportWork, actor: Actor, problems: Problems) -> str | None:
    """Found by id, e-mail, phone, card or external id, among the customers the importer sees."""
    if not value:
        problems.add("customer", "say whose it is: an id, e-mail, phone or card")
        return None
    found = customer_in_file(value, uow.customers, actor)
    if found is not None:
        return found.id
    problems.add("customer", f"no customer has the id, e-mail, phone or card {value!r}")
    return None


def _place(value: str, places: Sequence[_Place], problems: Problems) -> _Place | None:
    if not value:
        problems.add("location", "is required")
        return None
    folded = value.casefold()
    matches = [p for p in places if value == p.id or folded in ((p.code or ""), p.name.casefold())]
    if len(matches) == 1:
        return matches[0]
    if matches:
        problems.add("location", f"{len(matches)} locations are called {value!r}; give the id")
    else:
        problems.add("location", f"no location has the id, code or name {value!r}")
    return None


# A row read into its events: (type, the time it happened or was changed, data without who/where).
Made = list[tuple[str, str | None, dict[str, Any]]]


def _given(**values: Any) -> dict[str, Any]:
    return {key: value for key, value in values.items() if value not in (None, "")}


def _booking_rows(r: Reading) -> Made:
    kind = r.choice("kind", ("stay", "table"), default="stay")
    status = r.choice("status", [s.value for s in BookingStatus], default="booked")
    reference, stamp = r.text("booking", required=True), r.time("updated_at")
    arrival = r.time("arrival", required=True)
    guests = r.number("guests", whole=True)
    if kind == "table":
        made: Made = [
            (
                "heedful.reservation.upserted",
                stamp,
                _given(
                    reservation=reference, at=arrival, party_size=guests or 1, table=r.text("table")
                ),
            )
        ]
        if status == BookingStatus.CANCELLED.value:
            made.append(("heedful.reservation.cancelled", stamp, {"reservation": reference}))
        return made
    departure = r.time("departure", required=True)
    if arrival and departure and departure < arrival:
        r.problems.add("departure", "is before the arrival")
    made = [
        (
            "heedful.booking.upserted",
            stamp,
            _given(
                booking=reference,
                arrival=arrival,
                departure=departure,
                room_type=r.text("room_type"),
                room=r.text("room"),
                guests=guests,
            ),
        )
    ]
    if status == BookingStatus.CANCELLED.value:
        made.append(("heedful.booking.cancelled", stamp, {"booking": reference}))
    elif status == BookingStatus.COMPLETED.value:
        made.append(
            (
                "heedful.stay.completed",
                stamp,
                _given(
                    booking=reference, total=r.number("total"), currency=r.text("currency").upper()
                ),
            )
        )
    return made


def _order_rows(r: Reading) -> Made:
    data = _given(
        order=r.text("order", required=True),
        status=r.choice("status", [s.value for s in OrderStatus]),
        lines=r.items("lines"),
        promised=r.day("promised"),
        expected=r.day("expected"),
        carrier=r.text("carrier"),
        tracking_number=r.text("tracking_number"),
        total=r.number("total"),
        currency=r.text("currency").upper(),
    )
    return [("heedful.order.upserted", r.time("updated_at"), data)]


def _account_rows(r: Reading) -> Made:
    data = _given(
        account=r.text("account", required=True),
        balance=r.number("balance", required=True),
        currency=r.text("currency", required=True).upper(),
        limit=r.number("limit"),
        next_charge_at=r.time("next_charge_at"),
        next_charge_amount=r.number("next_charge_amount"),
        card_expires=r.day("card_expires"),
    )
    return [("heedful.account.upserted", r.time("updated_at"), data)]


def _history_rows(r: Reading) -> Made:
    kind = r.choice("kind", ("purchase", "visit"))
    occurred = r.time("occurred_at", required=True)
    data = _given(
        items=r.items("items") or [],
        total=r.number("total"),
        currency=r.text("currency").upper(),
        external_ref=r.text("external_ref"),
    )
    event_type = "heedful.visit.recorded" if kind == "visit" else "heedful.purchase.made"
    return [(event_type, occurred, data)]


_ROWS: dict[str, Callable[[Reading], Made]] = {
    "bookings": _booking_rows,
    "orders": _order_rows,
    "accounts": _account_rows,
    "history": _history_rows,
}
