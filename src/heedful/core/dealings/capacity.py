"""Tonight's book against capacity, and tables or rooms held back for walk-ins (ADR 0051).

A restaurant has so many tables (and covers) per service, a hotel so many rooms. A host keeps
some back at peak for walk-ins, at her discretion or by a look-ahead playbook, until a set time:
then the hold releases itself and the tables are free for bookings again. The book is over when
the night's reservations exceed capacity minus what is still held.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Protocol
from zoneinfo import ZoneInfo

from heedful.core.dealings.model import Booking, BookingKind
from heedful.core.shared.errors import Conflict, InvalidInput
from heedful.core.shared.phrases import Phrase

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
class Service:
    """A part of the capacity booked on its own: a restaurant's service (lunch, dinner), its
    tables between two local times, or a hotel's room type with its rooms (ADR 0055)."""

    name: str
    kind: HoldKind
    units: int
    covers: int | None = None
    starts: time | None = None  # tables: the service's span on the location's clock
    ends: time | None = None  # an end before the start is past midnight

    def minutes(self) -> tuple[int, int]:
        """The span as minutes from the day's midnight; past midnight runs over 1440."""
        assert self.starts is not None
        assert self.ends is not None
        start = self.starts.hour * 60 + self.starts.minute
        end = self.ends.hour * 60 + self.ends.minute
        return start, end if end > start else end + 1440

    def at(self, moment: time) -> bool:
        """Whether a table at this local time belongs to the service (from included)."""
        if self.kind is not HoldKind.TABLES:
            return False
        start, end = self.minutes()
        minute = moment.hour * 60 + moment.minute
        return start <= minute < end or start <= minute + 1440 < end

    def takes(self, booking: Booking, zone: ZoneInfo) -> bool:
        if self.kind is HoldKind.ROOMS:
            return booking.room_type.strip().casefold() == self.name.casefold()
        if booking.starts_at is None:
            return False
        return self.at(booking.starts_at.astimezone(zone).time())

    def same(self, name: str) -> bool:
        return name.strip().casefold() == self.name.casefold()


@dataclass(frozen=True)
class Capacity:
    location_id: str
    tables: int | None = None
    covers: int | None = None
    rooms: int | None = None
    changed_at: datetime | None = None
    changed_by_label: str = ""
    services: tuple[Service, ...] = ()  # lunch and dinner, or room types (ADR 0055)

    def of(self, kind: HoldKind) -> int | None:
        return self.tables if kind is HoldKind.TABLES else self.rooms

    def services_of(self, kind: HoldKind) -> tuple[Service, ...]:
        return tuple(s for s in self.services if s.kind is kind)

    def service(self, kind: HoldKind, name: str) -> Service | None:
        return next((s for s in self.services_of(kind) if s.same(name)), None)


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
    service: str = ""  # the service or room type it keeps units of; "" the whole location
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
    part: Service | None = None  # the service or room type this book is of; None: the location

    @property
    def service(self) -> str:
        return self.part.name if self.part else ""

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
            "service": self.service,
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


MAX_SERVICES = 20


def checked_services(services: Sequence[Service]) -> tuple[Service, ...]:
    """Names given and unique per kind; a service's tables have a span, and two services never
    share a minute, so each reservation belongs to one; a room type has no span."""
    for n, service in enumerate(services):
        at = f"services[{n}]"
        if not 1 <= len(service.name.strip()) <= 60:
            raise InvalidInput(
                "a name of 1 to 60 characters",
                said=Phrase("refusal.capacity_name"),
                field=f"{at}.name",
            )
        if not 0 <= service.units <= MAX_UNITS:
            raise InvalidInput(f"between 0 and {MAX_UNITS}", field=f"{at}.units")
        if service.covers is not None and not 0 <= service.covers <= MAX_UNITS:
            raise InvalidInput(f"between 0 and {MAX_UNITS}", field=f"{at}.covers")
        timed = service.starts is not None and service.ends is not None
        if service.kind is HoldKind.TABLES and (not timed or service.starts == service.ends):
            raise InvalidInput(
                "a service's tables need its from and until",
                said=Phrase("refusal.service_hours"),
                field=f"{at}.from",
            )
        if service.kind is HoldKind.ROOMS and (service.starts, service.ends) != (None, None):
            raise InvalidInput(
                "a room type has no hours",
                said=Phrase("refusal.room_type_hours"),
                field=f"{at}.from",
            )
        for other in services[:n]:
            if other.kind is service.kind and other.same(service.name):
                raise InvalidInput(
                    "two services with one name",
                    said=Phrase("refusal.service_twice"),
                    field=f"{at}.name",
                )
            both_tables = service.kind is HoldKind.TABLES and other.kind is HoldKind.TABLES
            if both_tables and _overlap(service, other):
                raise InvalidInput(
                    f"overlaps {other.name}",
                    said=Phrase("refusal.service_overlap", {"name": other.name}),
                    field=f"{at}.from",
                )
    if len(services) > MAX_SERVICES:
        raise InvalidInput(f"at most {MAX_SERVICES}", field="services")
    return tuple(replace(s, name=s.name.strip()) for s in services)


def _overlap(one: Service, two: Service) -> bool:
    (a, b), (c, d) = one.minutes(), two.minutes()
    # Shifted by a day too: a service past midnight meets the next morning's.
    return any(a < d + shift and c + shift < b for shift in (-1440, 0, 1440))


def service_of_hold(capacity: Capacity | None, new: NewHoldLike) -> Service | None:
    """The service or room type a hold keeps units of: the one named, else the service its
    start falls in (tables). None: the whole location (it keeps no services of that kind)."""
    parts = capacity.services_of(new.kind) if capacity else ()
    if new.service.strip():
        found = capacity.service(new.kind, new.service) if capacity else None
        if found is None:
            raise InvalidInput(
                f"no service {new.service.strip()}",
                said=Phrase("refusal.no_service", {"name": new.service.strip()}),
                field="service",
            )
        return found
    if not parts:
        return None
    found = next((p for p in parts if p.at(new.starts)), None)
    if found is None:
        raise InvalidInput(
            "say which service or room type",
            said=Phrase("refusal.service_or_room"),
            field="service",
        )
    return found


class NewHoldLike(Protocol):
    @property
    def kind(self) -> HoldKind: ...
    @property
    def starts(self) -> time: ...
    @property
    def service(self) -> str: ...


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
    """The whole location's book: every reservation and hold, against its own number."""
    return read_books(bookings, capacities, location_id, kind, day, zone, whole=True)[0]


def read_books(
    bookings: BookReads,
    capacities: CapacityRepository,
    location_id: str,
    kind: HoldKind,
    day: date,
    zone: ZoneInfo,
    *,
    whole: bool = False,
) -> list[Book]:
    """The night's book per service or room type when the location keeps them, else (or with
    ``whole``) one book for the location. One read of the night's reservations and holds."""
    start, end = night(day, zone)
    if kind is HoldKind.TABLES:
        found = bookings.starting_between(BookingKind.TABLE, [location_id], start, end)
    else:
        # The guests in a room that night: arrived by its end, leaving after it began.
        stays = bookings.starting_between(
            BookingKind.STAY, [location_id], start - _LONGEST_STAY, end
        )
        found = [b for b in stays if b.ends_at is None or b.ends_at > start + timedelta(hours=12)]
    capacity = capacities.get(location_id) or Capacity(location_id)
    holds = capacities.holds_overlapping(location_id, start, end)
    parts = () if whole else capacity.services_of(kind)
    if not parts:
        same_kind = tuple(h for h in holds if h.kind is kind)
        return [
            Book(
                location_id,
                day,
                kind,
                tuple(found),
                same_kind if capacity.services_of(kind) else tuple(holds),
                capacity.of(kind),
                capacity.covers,
            )
        ]
    return [
        Book(
            location_id,
            day,
            kind,
            tuple(b for b in found if part.takes(b, zone)),
            tuple(h for h in holds if h.kind is kind and part.same(h.service)),
            part.units,
            part.covers,
            part,
        )
        for part in parts
    ]
