"""Tonight's book against capacity, and tables or rooms held back for walk-ins (ADR 0051).

A restaurant has so many tables (and covers) per service, a hotel so many rooms. A host keeps
some back at peak for walk-ins, at her discretion or by a look-ahead playbook, until a set time:
then the hold releases itself and the tables are free for bookings again. The book is over when
the night's reservations exceed capacity minus what is still held.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Protocol
from zoneinfo import ZoneInfo

from heedful.core.dealings.model import Booking, BookingKind
from heedful.core.shared.errors import Conflict, InvalidInput

# A stay that began this long before tonight still counts when it has not left yet; longer stays
# are rare enough at a hotel that reading them all would cost more than it tells.
_LONGEST_STAY = timedelta(days=31)
MAX_UNITS = 10_000


class HoldKind(StrEnum):
    TABLES = "tables"
    ROOMS = "rooms"


BOOKING_OF = {HoldKind.TABLES: BookingKind.TABLE, HoldKind.ROOMS: BookingKind.STAY}


class HoldState(StrEnum):
    HELD = "held"
    RELEASED = "released"  # by the host, early: free for bookings
    EXPIRED = "expired"  # released itself at its set time
    SEATED = "seated"  # every held unit went to a walk-in


@dataclass(frozen=True)
class Capacity:
    location_id: str
    tables: int | None = None
    covers: int | None = None
    rooms: int | None = None
    changed_at: datetime | None = None
    changed_by_label: str = ""

    def of(self, kind: HoldKind) -> int | None:
        return self.tables if kind is HoldKind.TABLES else self.rooms


@dataclass
class Hold:
    id: str
    location_id: str
    kind: HoldKind
    count: int
    starts_at: datetime
    releases_at: datetime
    created_at: datetime
    created_by_label: str
    reason: str = ""
    playbook_id: str | None = None
    seated: int = 0
    state: HoldState = HoldState.HELD
    ended_at: datetime | None = None
    ended_by_label: str = ""

    @property
    def remaining(self) -> int:
        """Units still kept back: none once it ended."""
        return self.count - self.seated if self.state is HoldState.HELD else 0

    def release(self, at: datetime, by: str, state: HoldState = HoldState.RELEASED) -> None:
        if self.state is not HoldState.HELD:
            raise Conflict("this hold is already released", field="hold_id")
        self.state, self.ended_at, self.ended_by_label = state, at, by

    def seat_walk_in(self, at: datetime, by: str) -> None:
        if self.state is not HoldState.HELD:
            raise Conflict("this hold is already released", field="hold_id")
        self.seated += 1
        if self.seated >= self.count:
            self.state, self.ended_at, self.ended_by_label = HoldState.SEATED, at, by


class CapacityRepository(Protocol):
    def get(self, location_id: str) -> Capacity | None: ...
    def put(self, capacity: Capacity) -> None: ...
    def add_hold(self, hold: Hold) -> None: ...
    def get_hold(self, hold_id: str) -> Hold | None: ...
    def update_hold(self, hold: Hold) -> None: ...
    def holds_overlapping(self, location_id: str, start: datetime, end: datetime) -> list[Hold]:
        """Holds of the location that keep units at some moment of [start, end), any state."""
        ...

    def due_holds(self, now: datetime, limit: int) -> list[Hold]:
        """Still held, their release time come: by the partial index on held ones."""
        ...


@dataclass(frozen=True)
class Book:
    """One location's night: its reservations, holds and capacity, and whether it is over."""

    location_id: str
    day: date
    kind: HoldKind
    bookings: tuple[Booking, ...]
    holds: tuple[Hold, ...]
    capacity: int | None
    covers: int | None

    @property
    def booked(self) -> int:
        return len(self.bookings)

    @property
    def guests(self) -> int:
        return sum(b.guests or 0 for b in self.bookings)

    @property
    def held(self) -> int:
        return sum(h.remaining for h in self.holds)

    @property
    def free(self) -> int | None:
        if self.capacity is None:
            return None
        return self.capacity - self.held - self.booked

    @property
    def over(self) -> bool:
        """More reservations than capacity minus what is held: someone will wait at the door."""
        return self.free is not None and self.free < 0

    def as_data(self) -> dict[str, object]:
        return {
            "day": self.day.isoformat(),
            "kind": self.kind.value,
            "booked": self.booked,
            "guests": self.guests,
            "capacity": self.capacity if self.capacity is not None else "",
            "covers": self.covers if self.covers is not None else "",
            "held": self.held,
            "free": self.free if self.free is not None else "",
            "over": self.over,
        }


def night(day: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """The local day as [start, end) on the location's clock (23 or 25 hours at a DST change)."""
    start = datetime.combine(day, time(), zone)
    return start, datetime.combine(day + timedelta(days=1), time(), zone)


def local_span(day: date, starts: time, ends: time, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """19:00 to 20:30 on the location's clock that day; until 01:00 is past midnight."""
    start = datetime.combine(day, starts, zone)
    end_day = day if ends > starts else day + timedelta(days=1)
    return start, datetime.combine(end_day, ends, zone)


def checked_count(count: int) -> int:
    if not 1 <= count <= MAX_UNITS:
        raise InvalidInput(f"hold between 1 and {MAX_UNITS}", field="count")
    return count


class BookReads(Protocol):
    def starting_between(
        self, kind: BookingKind, location_ids: Sequence[str], start: datetime, end: datetime
    ) -> list[Booking]: ...


def read_book(
    bookings: BookReads,
    capacities: CapacityRepository,
    location_id: str,
    kind: HoldKind,
    day: date,
    zone: ZoneInfo,
) -> Book:
    start, end = night(day, zone)
    if kind is HoldKind.TABLES:
        found = bookings.starting_between(BookingKind.TABLE, [location_id], start, end)
    else:
        # The guests in a room that night: arrived by its end, leaving after it began.
        stays = bookings.starting_between(
            BookingKind.STAY, [location_id], start - _LONGEST_STAY, end
        )
        found = [b for b in stays if b.ends_at is None or b.ends_at > start + timedelta(hours=12)]
    capacity = capacities.get(location_id)
    holds = capacities.holds_overlapping(location_id, start, end)
    return Book(
        location_id,
        day,
        kind,
        tuple(found),
        tuple(holds),
        capacity.of(kind) if capacity else None,
        capacity.covers if capacity else None,
    )
