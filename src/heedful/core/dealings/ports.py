"""What the dealings room needs stored: bookings, orders and accounts."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime
from typing import Protocol

from heedful.core.dealings.model import Account, Booking, BookingKind, CustomerDealings, Order


class BookingRepository(Protocol):
    def get_by_reference(
        self, kind: BookingKind, location_id: str, reference: str
    ) -> Booking | None: ...
    def add(self, booking: Booking) -> None: ...
    def update(self, booking: Booking) -> None: ...
    def list_for_customer(self, customer_id: str, limit: int) -> list[Booking]:
        """Hers, the latest start first."""
        ...

    def starting_between(
        self, kind: BookingKind, location_ids: Collection[str], start: datetime, end: datetime
    ) -> list[Booking]:
        """Booked (not cancelled or completed) ones starting in [start, end), earliest first."""
        ...


class OrderRepository(Protocol):
    def get_by_reference(self, location_id: str, reference: str) -> Order | None: ...
    def add(self, order: Order) -> None: ...
    def update(self, order: Order) -> None: ...
    def list_for_customer(self, customer_id: str, limit: int) -> list[Order]: ...
    def open_with_promise(self, location_ids: Collection[str] | None, limit: int) -> list[Order]:
        """Orders still on their way that carry a promised day, the earliest promise first."""
        ...

    def promised_between(
        self, location_id: str, first: date, last: date, *, late_only: bool = False
    ) -> list[Order]:
        """Orders still on their way promised for a day in [first, last], by an index range.

        ``late_only``: only those whose carrier's day is after the promised day.
        """
        ...

    def waiting_between(self, location_id: str, first: date, last: date) -> list[Order]:
        """Parcels at a pick-up point sent back on a day in [first, last], by an index range."""
        ...


class AccountRepository(Protocol):
    def get_by_reference(self, location_id: str, reference: str) -> Account | None: ...
    def add(self, account: Account) -> None: ...
    def update(self, account: Account) -> None: ...
    def list_for_customer(self, customer_id: str, limit: int) -> list[Account]: ...
    def charging_between(
        self,
        location_id: str,
        start: datetime,
        end: datetime,
        *,
        uncovered_only: bool = False,
        card_expiring_by: date | None = None,
    ) -> list[Account]:
        """Accounts whose next charge falls in [start, end), by an index range.

        ``uncovered_only``: the charge is above balance and limit. ``card_expiring_by``: the
        card expires on or before that day.
        """
        ...


class CustomerDealingsReads(Protocol):
    def on_card(
        self,
        customer_id: str,
        location_ids: frozenset[str] | None,
        since: datetime,
        now: datetime,
        limit: int,
    ) -> CustomerDealings:
        """Hers at ``location_ids`` (None: every location), in one read, at most ``limit`` of each.

        Bookings still booked that do not end (or, with no end, start) before ``since``, the
        soonest start first (no start counts as ``now``); orders by ``as_of``, the latest first;
        accounts by reference. Each count is of all that match, not only those returned.
        """
        ...
