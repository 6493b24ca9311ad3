"""Capacity and walk-in holds: /locations/{id}/capacity, /locations/{id}/tonight, /holds (ADR 0051).

The admin says how many tables, covers and rooms a location has; the host reads tonight's book,
keeps tables back for walk-ins until a set time, releases them early or seats a walk-in on one.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from pydantic import Field

from heedful.core.dealings.capacity import Book, Capacity, Hold, HoldKind, Service
from heedful.core.dealings.holds import (
    NewCapacity,
    NewHold,
    capacity_of,
    hold_back,
    release_hold,
    seat_walk_in,
    set_capacity,
    tonight,
    tonight_by_service,
)
from heedful.core.unit_of_work import UnitOfWork
from heedful.entrypoints.api.auth import Context, get_context
from heedful.entrypoints.api.idempotency import write
from heedful.entrypoints.api.schemas import NO_NUL, In, Out

router = APIRouter(tags=["capacity"])
Ctx = Annotated[Context, Depends(get_context)]
AnId = Annotated[str, Path(min_length=1, max_length=40, pattern=NO_NUL)]
Units = Annotated[int | None, Field(ge=0, le=10_000)]


class ServiceIn(In):
    """Lunch 12:00 to 16:00 with 8 tables, or the room type "double" with 20 rooms."""

    name: Annotated[str, Field(min_length=1, max_length=60)]
    kind: HoldKind = HoldKind.TABLES
    units: Annotated[int, Field(ge=0, le=10_000, description="Tables, or rooms of the type")]
    covers: Units = None
    starts: time | None = Field(None, alias="from", description="Tables: local start")
    until: time | None = Field(None, description="Tables: local end (before from: past midnight)")


class ServiceOut(Out):
    name: str
    kind: HoldKind
    units: int
    covers: int | None
    starts: time | None = Field(serialization_alias="from")
    until: time | None


class CapacityIn(In):
    tables: Units = None
    covers: Units = None
    rooms: Units = None
    services: list[ServiceIn] = Field(
        default_factory=list,
        description="Services (tables between local times) and room types, each with its own "
        "number; tonight's book is then weighed per service",
        max_length=20,
    )


class CapacityOut(Out):
    location_id: str
    tables: int | None
    covers: int | None
    rooms: int | None
    services: list[ServiceOut]


class HoldIn(In):
    location_id: Annotated[str, Field(min_length=1, max_length=40)]
    count: Annotated[int, Field(ge=1, le=10_000)]
    # Local times on the location's clock, today: "19:00" until "20:30".
    starts: time = Field(alias="from")
    until: time
    kind: HoldKind = HoldKind.TABLES
    reason: Annotated[str, Field(max_length=300)] = ""
    service: Annotated[str, Field(max_length=60)] = Field(
        "", description="The service or room type; blank: the service `from` falls in"
    )


class HoldOut(Out):
    id: str
    location_id: str
    kind: HoldKind
    count: int
    seated: int
    remaining: int
    state: str
    starts_at: datetime
    releases_at: datetime
    reason: str
    created_by_label: str
    service: str


class BookingLine(Out):
    reference: str
    customer_id: str | None
    starts_at: datetime | None
    table: str
    room: str
    guests: int | None


class TonightOut(Out):
    location_id: str
    day: date
    kind: HoldKind
    capacity: int | None
    booked: int
    guests: int
    held: int
    free: int | None
    over: bool
    bookings: list[BookingLine]
    holds: list[HoldOut]
    service: str = Field("", description="The service or room type; blank: the whole location")
    services: list[TonightOut] = Field(
        default_factory=list, description="The same book per service or room type, when kept"
    )


def _capacity(c: Capacity) -> CapacityOut:
    return CapacityOut(
        location_id=c.location_id,
        tables=c.tables,
        covers=c.covers,
        rooms=c.rooms,
        services=[
            ServiceOut(
                name=s.name,
                kind=s.kind,
                units=s.units,
                covers=s.covers,
                starts=s.starts,
                until=s.ends,
            )
            for s in c.services
        ],
    )


def _hold(h: Hold) -> HoldOut:
    return HoldOut(
        id=h.id,
        location_id=h.location_id,
        kind=h.kind,
        count=h.count,
        seated=h.seated,
        remaining=h.remaining,
        state=h.state.value,
        starts_at=h.starts_at,
        releases_at=h.releases_at,
        reason=h.reason,
        created_by_label=h.created_by_label,
        service=h.service,
    )


def _book(b: Book) -> TonightOut:
    return TonightOut(
        location_id=b.location_id,
        day=b.day,
        kind=b.kind,
        capacity=b.capacity,
        booked=b.booked,
        guests=b.guests,
        held=b.held,
        free=b.free,
        over=b.over,
        bookings=[
            BookingLine(
                reference=x.reference,
                customer_id=x.customer_id,
                starts_at=x.starts_at,
                table=x.table,
                room=x.room,
                guests=x.guests,
            )
            for x in b.bookings
        ],
        holds=[_hold(h) for h in b.holds],
        service=b.service,
    )


@router.get(
    "/locations/{location_id}/capacity",
    response_model=CapacityOut,
    summary="How many tables, covers and rooms the location has",
)
def get_capacity(ctx: Ctx, location_id: AnId) -> CapacityOut:
    return _capacity(capacity_of(location_id, ctx.container.uow(read_only=True), ctx.actor))


@router.put(
    "/locations/{location_id}/capacity",
    response_model=CapacityOut,
    summary="Set the location's tables, covers and rooms (admins)",
)
def put_capacity(request: Request, ctx: Ctx, location_id: AnId, body: CapacityIn) -> Response:
    def action(uow: UnitOfWork) -> CapacityOut:
        services = tuple(
            Service(s.name, s.kind, s.units, s.covers, s.starts, s.until) for s in body.services
        )
        new = NewCapacity(body.tables, body.covers, body.rooms, services)
        return _capacity(set_capacity(location_id, new, uow, ctx.container.clock, ctx.actor))

    return write(request, ctx, body, 200, action)


@router.get(
    "/locations/{location_id}/tonight",
    response_model=TonightOut,
    summary="Tonight's book on the location's clock: reservations, holds, and whether it is over",
)
def get_tonight(
    ctx: Ctx, location_id: AnId, kind: Annotated[HoldKind, Query()] = HoldKind.TABLES
) -> TonightOut:
    c = ctx.container
    whole = _book(tonight(location_id, kind, c.uow(read_only=True), c.clock, ctx.actor))
    parts = tonight_by_service(location_id, kind, c.uow(read_only=True), c.clock, ctx.actor)
    return whole.model_copy(update={"services": [_book(b) for b in parts]})


@router.post(
    "/holds",
    response_model=HoldOut,
    status_code=201,
    summary="Keep tables or rooms back for walk-ins tonight, until a set local time",
)
def post_hold(request: Request, ctx: Ctx, body: HoldIn) -> Response:
    def action(uow: UnitOfWork) -> HoldOut:
        new = NewHold(
            body.location_id,
            body.count,
            body.starts,
            body.until,
            body.kind,
            body.reason,
            body.service,
        )
        return _hold(hold_back(new, uow, ctx.container.clock, ctx.actor))

    return write(request, ctx, body, 201, action)


@router.post(
    "/holds/{hold_id}/release",
    response_model=HoldOut,
    summary="Release a hold early: its tables are free for bookings at once",
)
def post_release(request: Request, ctx: Ctx, hold_id: AnId) -> Response:
    def action(uow: UnitOfWork) -> HoldOut:
        return _hold(release_hold(hold_id, uow, ctx.container.clock, ctx.actor))

    return write(request, ctx, None, 200, action)


@router.post(
    "/holds/{hold_id}/seat",
    response_model=HoldOut,
    summary="Seat a walk-in at one of the held tables",
)
def post_seat(request: Request, ctx: Ctx, hold_id: AnId) -> Response:
    def action(uow: UnitOfWork) -> HoldOut:
        return _hold(seat_walk_in(hold_id, uow, ctx.container.clock, ctx.actor))

    return write(request, ctx, None, 200, action)
