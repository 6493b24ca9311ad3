"""Bookings, orders and accounts in memory, unique on their location and reference as in storage."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, datetime

from fakes._base import FakeIntegrityError
from fakes._base import Repository as _Repository
from fakes._base import copy as _copy
from fakes._base import insert as _insert
from fakes._base import overwrite as _replace
from heedful.core.dealings.capacity import Capacity, Hold, HoldState
from heedful.core.dealings.model import (
    OPEN_ORDER_STATUSES,
    Account,
    Booking,
    BookingKind,
    BookingStatus,
    CustomerDealings,
    Order,
    OrderStatus,
)
from heedful.core.staff import Owner


@dataclass
class DealingsState:
    bookings: dict[str, Booking] = field(default_factory=dict)
    orders: dict[str, Order] = field(default_factory=dict)
    accounts: dict[str, Account] = field(default_factory=dict)
    owners: dict[tuple[str, str], Owner] = field(default_factory=dict)
    capacities: dict[str, Capacity] = field(default_factory=dict)
    holds: dict[str, Hold] = field(default_factory=dict)


class FakeBookingRepository(_Repository):
    def get_by_reference(
        self, kind: BookingKind, location_id: str, reference: str
    ) -> Booking | None:
        for booking in self._state.dealings.bookings.values():
            if (booking.kind, booking.location_id, booking.reference) == (
                kind,
                location_id,
                reference,
            ):
                return _copy(booking)
        return None

    def add(self, booking: Booking) -> None:
        if self.get_by_reference(booking.kind, booking.location_id, booking.reference):
            raise FakeIntegrityError(f"booking {booking.reference} is stored")
        _insert(self._writing().dealings.bookings, booking.id, booking)

    def update(self, booking: Booking) -> None:
        _replace(self._writing().dealings.bookings, booking.id, booking)

    def list_for_customer(self, customer_id: str, limit: int) -> list[Booking]:
        rows = [b for b in self._state.dealings.bookings.values() if b.customer_id == customer_id]
        # As storage: the latest start first, ties by id, a booking with no start last.
        rows.sort(
            key=lambda b: (
                b.starts_at is None,
                -b.starts_at.timestamp() if b.starts_at else 0,
                b.id,
            )
        )
        return [_copy(b) for b in rows[:limit]]

    def starting_between(
        self, kind: BookingKind, location_ids: Collection[str], start: datetime, end: datetime
    ) -> list[Booking]:
        rows = [
            b
            for b in self._state.dealings.bookings.values()
            if b.kind is kind
            and b.location_id in location_ids
            and b.status is BookingStatus.BOOKED
            and b.starts_at is not None
            and start <= b.starts_at < end
        ]
        rows.sort(key=lambda b: (b.starts_at, b.id))
        return [_copy(b) for b in rows]


class FakeOrderRepository(_Repository):
    def get_by_reference(self, location_id: str, reference: str) -> Order | None:
        for order in self._state.dealings.orders.values():
            if (order.location_id, order.reference) == (location_id, reference):
                return _copy(order)
        return None

    def add(self, order: Order) -> None:
        if self.get_by_reference(order.location_id, order.reference):
            raise FakeIntegrityError(f"order {order.reference} is stored")
        _insert(self._writing().dealings.orders, order.id, order)

    def update(self, order: Order) -> None:
        _replace(self._writing().dealings.orders, order.id, order)

    def list_for_customer(self, customer_id: str, limit: int) -> list[Order]:
        rows = [o for o in self._state.dealings.orders.values() if o.customer_id == customer_id]
        rows.sort(key=lambda o: (o.as_of, o.id), reverse=True)
        return [_copy(o) for o in rows[:limit]]

    def open_with_promise(self, location_ids: Collection[str] | None, limit: int) -> list[Order]:
        rows = [
            o
            for o in self._state.dealings.orders.values()
            if o.status in OPEN_ORDER_STATUSES
            and o.promised_on is not None
            and (location_ids is None or o.location_id in location_ids)
        ]
        rows.sort(key=lambda o: (o.promised_on, o.id))
        return [_copy(o) for o in rows[:limit]]

    def promised_between(
        self, location_id: str, first: date, last: date, *, late_only: bool = False
    ) -> list[Order]:
        rows = [
            o
            for o in self._state.dealings.orders.values()
            if o.location_id == location_id
            and o.status in OPEN_ORDER_STATUSES
            and o.promised_on is not None
            and first <= o.promised_on <= last
            and (not late_only or (o.expected_on is not None and o.expected_on > o.promised_on))
        ]
        rows.sort(key=lambda o: (o.promised_on, o.id))
        return [_copy(o) for o in rows]

    def waiting_between(self, location_id: str, first: date, last: date) -> list[Order]:
        rows = [
            o
            for o in self._state.dealings.orders.values()
            if o.location_id == location_id
            and o.status is OrderStatus.AT_PICKUP
            and o.pickup_until is not None
            and first <= o.pickup_until <= last
        ]
        rows.sort(key=lambda o: (o.pickup_until, o.id))
        return [_copy(o) for o in rows]


class FakeAccountRepository(_Repository):
    def get_by_reference(self, location_id: str, reference: str) -> Account | None:
        for account in self._state.dealings.accounts.values():
            if (account.location_id, account.reference) == (location_id, reference):
                return _copy(account)
        return None

    def add(self, account: Account) -> None:
        if self.get_by_reference(account.location_id, account.reference):
            raise FakeIntegrityError(f"account {account.reference} is stored")
        _insert(self._writing().dealings.accounts, account.id, account)

    def update(self, account: Account) -> None:
        _replace(self._writing().dealings.accounts, account.id, account)

    def list_for_customer(self, customer_id: str, limit: int) -> list[Account]:
        rows = [a for a in self._state.dealings.accounts.values() if a.customer_id == customer_id]
        rows.sort(key=lambda a: a.reference)
        return [_copy(a) for a in rows[:limit]]

    def charging_between(
        self,
        location_id: str,
        start: datetime,
        end: datetime,
        *,
        uncovered_only: bool = False,
        card_expiring_by: date | None = None,
    ) -> list[Account]:
        rows = [
            a
            for a in self._state.dealings.accounts.values()
            if a.location_id == location_id
            and a.next_charge_at is not None
            and start <= a.next_charge_at < end
            and (not uncovered_only or a.charge_uncovered)
            and (
                card_expiring_by is None
                or (a.card_expires_on is not None and a.card_expires_on <= card_expiring_by)
            )
        ]
        rows.sort(key=lambda a: (a.next_charge_at, a.id))
        return [_copy(a) for a in rows]


class FakeCustomerDealings(_Repository):
    """Her bookings, orders and accounts for the card, filtered and counted as storage does."""

    def on_card(
        self,
        customer_id: str,
        location_ids: frozenset[str] | None,
        since: datetime,
        now: datetime,
        limit: int,
    ) -> CustomerDealings:
        dealings = self._state.dealings

        def hers(row: Booking | Order | Account) -> bool:
            return row.customer_id == customer_id and (
                location_ids is None or row.location_id in location_ids
            )

        booked = [
            b
            for b in dealings.bookings.values()
            if hers(b)
            and b.status is BookingStatus.BOOKED
            and (b.ends_at or b.starts_at or now) >= since
        ]
        booked.sort(key=lambda b: (b.starts_at or now, b.id))
        ordered = sorted((o for o in dealings.orders.values() if hers(o)), key=lambda o: o.id)
        ordered.sort(key=lambda o: o.as_of or now, reverse=True)
        held = sorted(
            (a for a in dealings.accounts.values() if hers(a)), key=lambda a: (a.reference, a.id)
        )
        return CustomerDealings(
            [_copy(b) for b in booked[:limit]],
            [_copy(o) for o in ordered[:limit]],
            [_copy(a) for a in held[:limit]],
            booking_count=len(booked),
            order_count=len(ordered),
            account_count=len(held),
        )


class FakeOwnerRepository(_Repository):
    """One owner per customer and location, as the table's primary key keeps it."""

    def get(self, customer_id: str, location_id: str) -> Owner | None:
        return _copy(self._state.dealings.owners.get((customer_id, location_id)))

    def put(self, owner: Owner) -> None:
        self._writing().dealings.owners[(owner.customer_id, owner.location_id)] = _copy(owner)

    def remove(self, customer_id: str, location_id: str) -> bool:
        if (customer_id, location_id) not in self._state.dealings.owners:
            return False
        del self._writing().dealings.owners[(customer_id, location_id)]
        return True

    def list_for(self, customer_id: str) -> list[Owner]:
        rows = [o for o in self._state.dealings.owners.values() if o.customer_id == customer_id]
        return [_copy(o) for o in sorted(rows, key=lambda o: o.location_id)]


class FakeCapacity(_Repository):
    """Capacities by location and holds by id, as the two tables keep them."""

    def get(self, location_id: str) -> Capacity | None:
        return _copy(self._state.dealings.capacities.get(location_id))

    def put(self, capacity: Capacity) -> None:
        self._writing().dealings.capacities[capacity.location_id] = _copy(capacity)

    def add_hold(self, hold: Hold) -> None:
        self._writing().dealings.holds[hold.id] = _copy(hold)

    def get_hold(self, hold_id: str) -> Hold | None:
        return _copy(self._state.dealings.holds.get(hold_id))

    def update_hold(self, hold: Hold) -> None:
        self._writing().dealings.holds[hold.id] = _copy(hold)

    def holds_overlapping(self, location_id: str, start: datetime, end: datetime) -> list[Hold]:
        rows = [
            h
            for h in self._state.dealings.holds.values()
            if h.location_id == location_id and h.starts_at < end and h.releases_at > start
        ]
        return [_copy(h) for h in sorted(rows, key=lambda h: (h.starts_at, h.id))]

    def due_holds(self, now: datetime, limit: int) -> list[Hold]:
        rows = [
            h
            for h in self._state.dealings.holds.values()
            if h.state is HoldState.HELD and h.releases_at <= now
        ]
        return [_copy(h) for h in sorted(rows, key=lambda h: (h.releases_at, h.id))[:limit]]
