"""What staff read: tomorrow's arrivals, tonight's tables, late deliveries, one customer's own.

Every list is bounded by the reader's locations, like every other read (``core/access``), and
"today" and "tomorrow" are each location's own days, in its time zone.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from heedful.core.access import Actor, Permission, load_customer
from heedful.core.customers import Customer
from heedful.core.dealings.model import Booking, BookingKind, CustomerDealings, Order
from heedful.core.dealings.ports import CustomerDealingsReads
from heedful.core.dealings.versions import DealingsWork
from heedful.core.shared.errors import InvalidInput, NotFound
from heedful.core.shared.phrases import Phrase

TODAY, TOMORROW = "today", "tomorrow"
LIST_LIMIT = 500
ON_THE_CARD = 10


class Place(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def time_zone(self) -> str: ...


class _Places(Protocol):
    def list(self) -> Sequence[Place]: ...


class _Customers(Protocol):
    def get(self, customer_id: str) -> Customer | None: ...


class _CardReads(Protocol):
    @property
    def dealings(self) -> CustomerDealingsReads: ...


class ReadingWork(DealingsWork, _CardReads, Protocol):
    @property
    def locations(self) -> _Places: ...
    @property
    def customers(self) -> _Customers: ...


def read_day(value: str, field: str = "day") -> str | date:
    """``today``, ``tomorrow`` (each location's own) or a day written YYYY-MM-DD."""
    word = value.strip().casefold()
    if word in (TODAY, TOMORROW):
        return word
    try:
        return date.fromisoformat(word)
    except ValueError:
        raise InvalidInput("say today, tomorrow or a day as YYYY-MM-DD", field=field) from None


def local_day(day: str | date, zone: ZoneInfo, now: datetime) -> date:
    if isinstance(day, date):
        return day
    today = now.astimezone(zone).date()
    return today + timedelta(days=1) if day == TOMORROW else today


def _window(day: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time(), zone)
    end = datetime.combine(day + timedelta(days=1), time(), zone)
    return start.astimezone(UTC), end.astimezone(UTC)


def _places(work: ReadingWork, actor: Actor, location_id: str | None) -> list[Place]:
    actor.require(Permission.VIEW_CUSTOMERS)
    if location_id is not None and not actor.may_act_at(location_id):
        raise NotFound(
            f"no location {location_id}", said=Phrase("refusal.no_location"), field="location_id"
        )
    return [
        place
        for place in work.locations.list()
        if actor.may_act_at(place.id) and location_id in (None, place.id)
    ]


def bookings_starting(
    work: ReadingWork,
    actor: Actor,
    kind: BookingKind,
    day: str | date,
    now: datetime,
    location_id: str | None = None,
) -> list[Booking]:
    """Arrivals (stays) or reservations (tables) on a day, per location's own calendar."""
    found: list[Booking] = []
    with work:
        for place in _places(work, actor, location_id):
            zone = ZoneInfo(place.time_zone)
            start, end = _window(local_day(day, zone, now), zone)
            found.extend(work.bookings.starting_between(kind, (place.id,), start, end))
    found.sort(key=lambda b: (b.starts_at or now, b.location_id, b.reference))
    return found[:LIST_LIMIT]


def late_orders(
    work: ReadingWork, actor: Actor, now: datetime, location_id: str | None = None
) -> list[Order]:
    """Orders on their way whose carrier's day is past the promise, or whose promise passed."""
    with work:
        places = {
            place.id: ZoneInfo(place.time_zone) for place in _places(work, actor, location_id)
        }
        candidates = work.orders.open_with_promise(list(places), LIST_LIMIT * 4)
    return [
        order
        for order in candidates
        if order.location_id in places
        and order.is_late(now.astimezone(places[order.location_id]).date())
    ][:LIST_LIMIT]


def orders_on_their_way(
    work: ReadingWork, actor: Actor, location_id: str | None = None
) -> list[Order]:
    """Orders not yet delivered that carry a promised day, the earliest promise first."""
    with work:
        places = [place.id for place in _places(work, actor, location_id)]
        return work.orders.open_with_promise(places, LIST_LIMIT)


def customer_dealings(
    work: ReadingWork, actor: Actor, customer_id: str, now: datetime
) -> CustomerDealings:
    """Hers, at the reader's locations; a customer the reader may not see is not found."""
    with work:
        return dealings_on_card(work, actor, load_customer(work, actor, customer_id).id, now)


def dealings_on_card(
    work: _CardReads, actor: Actor, customer_id: str, now: datetime
) -> CustomerDealings:
    """Hers, at the reader's locations, for a customer already loaded in the open unit of work.

    The card reads them in its own transaction, after its own access check (``core/card``), so
    that her record is not loaded twice; one statement, at most ``ON_THE_CARD`` of each, with
    how many there are. A stay still counts half a day after it ended (a late check-out).
    """
    return work.dealings.on_card(
        customer_id, actor.scope, now - timedelta(hours=12), now, ON_THE_CARD
    )
