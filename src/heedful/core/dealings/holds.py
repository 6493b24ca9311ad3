"""Use cases of capacity and holds: set it, read tonight's book, hold, release, seat a walk-in.

The console's host page and the API call these; the worker's ``release_holds`` job calls
``release_due_holds`` with the injected clock, so a hold set "until 20:30" is free at 20:30 on
the location's clock whatever the season (ADR 0051).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Protocol
from zoneinfo import ZoneInfo

from heedful.core.access import SYSTEM, Actor, Permission
from heedful.core.dealings.capacity import (
    MAX_UNITS,
    Book,
    Capacity,
    CapacityRepository,
    Hold,
    HoldKind,
    HoldState,
    Service,
    checked_count,
    checked_services,
    local_span,
    read_book,
    read_books,
    service_of_hold,
)
from heedful.core.dealings.ports import BookingRepository
from heedful.core.shared.clock import Clock
from heedful.core.shared.errors import InvalidInput, NotFound
from heedful.core.shared.ids import new_id
from heedful.core.shared.phrases import Phrase
from heedful.core.shared.ports import UnitOfWorkShape

_DUE_READ = 500  # holds released per pass: a backlog drains over a few passes


class _Zoned(Protocol):
    @property
    def time_zone(self) -> str: ...


class _Places(Protocol):
    """Where a location is, read by id: the staff room's locations, seen from here."""

    def get(self, location_id: str) -> _Zoned | None: ...


class HoldsWork(UnitOfWorkShape, Protocol):
    """The part of the unit of work capacity and holds use (ADR 0030)."""

    @property
    def bookings(self) -> BookingRepository: ...
    @property
    def capacity(self) -> CapacityRepository: ...
    @property
    def locations(self) -> _Places: ...


@dataclass(frozen=True)
class NewCapacity:
    tables: int | None = None
    covers: int | None = None
    rooms: int | None = None
    services: tuple[Service, ...] = ()  # lunch and dinner, or room types (ADR 0055)


def _units(value: int | None, name: str) -> int | None:
    if value is not None and not 0 <= value <= MAX_UNITS:
        raise InvalidInput(f"between 0 and {MAX_UNITS}", field=name)
    return value


def _zone(uow: HoldsWork, actor: Actor, location_id: str) -> ZoneInfo:
    location = uow.locations.get(location_id)
    if location is None or not actor.may_act_at(location_id):
        raise NotFound(
            f"no location {location_id}", said=Phrase("refusal.no_location"), field="location_id"
        )
    return ZoneInfo(location.time_zone)


def set_capacity(
    location_id: str, new: NewCapacity, uow: HoldsWork, clock: Clock, actor: Actor
) -> Capacity:
    """The admin says how many tables, covers and rooms the location has (None: not kept)."""
    actor.require(Permission.MANAGE_STAFF)
    with uow:
        _zone(uow, actor, location_id)
        capacity = Capacity(
            location_id,
            _units(new.tables, "tables"),
            _units(new.covers, "covers"),
            _units(new.rooms, "rooms"),
            clock.now(),
            actor.label,
            checked_services(new.services),
        )
        uow.capacity.put(capacity)
        uow.commit()
    return capacity


def capacity_of(location_id: str, uow: HoldsWork, actor: Actor) -> Capacity:
    actor.require(Permission.VIEW_CUSTOMERS)
    with uow:
        _zone(uow, actor, location_id)
        return uow.capacity.get(location_id) or Capacity(location_id)


def tonight(
    location_id: str,
    kind: HoldKind,
    uow: HoldsWork,
    clock: Clock,
    actor: Actor,
    day: date | None = None,
) -> Book:
    """The location's book for today on its own clock (or ``day``): reservations and holds."""
    actor.require(Permission.VIEW_CUSTOMERS)
    with uow:
        zone = _zone(uow, actor, location_id)
        return read_book(
            uow.bookings,
            uow.capacity,
            location_id,
            kind,
            day or clock.now().astimezone(zone).date(),
            zone,
        )


def tonight_by_service(
    location_id: str,
    kind: HoldKind,
    uow: HoldsWork,
    clock: Clock,
    actor: Actor,
    day: date | None = None,
) -> list[Book]:
    """The night's book per service or room type the location keeps (none kept: empty)."""
    actor.require(Permission.VIEW_CUSTOMERS)
    with uow:
        zone = _zone(uow, actor, location_id)
        capacity = uow.capacity.get(location_id)
        if capacity is None or not capacity.services_of(kind):
            return []
        return read_books(
            uow.bookings,
            uow.capacity,
            location_id,
            kind,
            day or clock.now().astimezone(zone).date(),
            zone,
        )


@dataclass(frozen=True)
class NewHold:
    location_id: str
    count: int
    starts: time
    ends: time
    kind: HoldKind = HoldKind.TABLES
    reason: str = ""
    service: str = ""  # "" : the service its start falls in, if the location keeps services


def hold_back(new: NewHold, uow: HoldsWork, clock: Clock, actor: Actor) -> Hold:
    """The host keeps ``count`` tables back tonight from ``starts`` until ``ends``, local time."""
    actor.require(Permission.EDIT_CUSTOMERS)
    now = clock.now()
    with uow:
        zone = _zone(uow, actor, new.location_id)
        hold = place_hold(uow, new, now, zone, actor.label)
        uow.commit()
    return hold


def place_hold(
    uow: HoldsWork,
    new: NewHold,
    now: datetime,
    zone: ZoneInfo,
    by: str,
    playbook_id: str | None = None,
) -> Hold:
    """Stores the hold for the location's today; call inside a unit of work.

    A hold whose end has already passed today is refused: it would keep nothing back.
    """
    if len(new.reason) > 300:
        raise InvalidInput("at most 300 characters", field="reason")
    starts_at, releases_at = local_span(now.astimezone(zone).date(), new.starts, new.ends, zone)
    if releases_at <= now:
        raise InvalidInput("that time has passed today", field="until")
    part = service_of_hold(uow.capacity.get(new.location_id), new)
    hold = Hold(
        id=new_id("hld_"),
        location_id=new.location_id,
        kind=new.kind,
        count=checked_count(new.count),
        starts_at=starts_at,
        releases_at=releases_at,
        created_at=now,
        created_by_label=by,
        reason=new.reason.strip(),
        playbook_id=playbook_id,
        service=part.name if part else "",
    )
    uow.capacity.add_hold(hold)
    return hold


def _change(hold_id: str, uow: HoldsWork, actor: Actor, change: Callable[[Hold], None]) -> Hold:
    actor.require(Permission.EDIT_CUSTOMERS)
    with uow:
        hold = uow.capacity.get_hold(hold_id)
        if hold is None or not actor.may_act_at(hold.location_id):
            raise NotFound(f"no hold {hold_id}", field="hold_id")
        change(hold)
        uow.capacity.update_hold(hold)
        uow.commit()
    return hold


def release_hold(hold_id: str, uow: HoldsWork, clock: Clock, actor: Actor) -> Hold:
    """The host lets the held tables go early: they are free for bookings at once."""
    now = clock.now()
    return _change(hold_id, uow, actor, lambda h: h.release(now, actor.label))


def seat_walk_in(hold_id: str, uow: HoldsWork, clock: Clock, actor: Actor) -> Hold:
    """A walk-in sits at one of the held tables; the last one seated ends the hold."""
    now = clock.now()
    return _change(hold_id, uow, actor, lambda h: h.seat_walk_in(now, actor.label))


def release_due_holds(uow: HoldsWork, clock: Clock) -> int:
    """Holds whose set time has come release themselves (the worker's job)."""
    now = clock.now()
    with uow:
        due = uow.capacity.due_holds(now, _DUE_READ)
        for hold in due:
            hold.release(hold.releases_at, SYSTEM.label, HoldState.EXPIRED)
            uow.capacity.update_hold(hold)
        uow.commit()
    return len(due)
