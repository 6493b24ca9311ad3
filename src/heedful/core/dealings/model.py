"""Bookings, reservations, orders and accounts: the business's own records, kept as state.

Each record is named by its location and the business's own reference (the hotel's booking
number, the shop's order number, the bank's account number) and carries ``as_of``: the time of
the event that last set it. A version older than the stored one is stale and changes nothing,
so events that arrive out of order, or again, leave the newest version standing (ADR 0036).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum


class BookingKind(StrEnum):
    STAY = "stay"  # a hotel room, from arrival to departure
    TABLE = "table"  # a restaurant reservation, at a time


class BookingStatus(StrEnum):
    BOOKED = "booked"
    CANCELLED = "cancelled"
    COMPLETED = "completed"  # the guest stayed, the party dined


class OrderStatus(StrEnum):
    NEW = "new"
    PROCESSING = "processing"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    RETURNED = "returned"
    # Waiting at a pick-up point (a parcel locker, a branch) until ``pickup_until`` (ADR 0051).
    AT_PICKUP = "at_pickup"


# Orders still on their way: the ones a late delivery can concern.
OPEN_ORDER_STATUSES = frozenset({OrderStatus.NEW, OrderStatus.PROCESSING, OrderStatus.SHIPPED})
# Orders the customer has in her hands: they join her purchases.
RECEIVED_ORDER_STATUSES = frozenset({OrderStatus.DELIVERED, OrderStatus.COMPLETED})


class Applied(StrEnum):
    """What one version did to the stored record."""

    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"  # the same version again: a replay
    STALE = "stale"  # older than the stored one: it arrived late and is ignored


@dataclass
class Booking:
    id: str
    kind: BookingKind
    location_id: str
    reference: str
    customer_id: str | None  # None only for a cancellation that arrived before its booking
    status: BookingStatus
    starts_at: datetime | None  # arrival, or the reservation's time
    ends_at: datetime | None = None  # departure (stays only)
    room_type: str = ""
    room: str = ""
    table: str = ""
    guests: int | None = None  # guests of a stay, the party of a reservation
    as_of: datetime | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None

    @property
    def nights(self) -> int | None:
        if self.kind is not BookingKind.STAY or self.starts_at is None or self.ends_at is None:
            return None
        return max((self.ends_at.date() - self.starts_at.date()).days, 0)


@dataclass(frozen=True)
class OrderLine:
    attributes: dict[str, str]
    quantity: int = 1
    amount_minor: int | None = None


@dataclass
class Order:
    id: str
    location_id: str
    reference: str
    customer_id: str
    status: OrderStatus
    lines: list[OrderLine] = field(default_factory=list)
    promised_on: date | None = None  # the day the shop promised
    expected_on: date | None = None  # the day the carrier now says
    pickup_until: date | None = None  # waiting at a pick-up point: the day it is sent back
    carrier: str = ""
    tracking_number: str = ""
    total_minor: int | None = None
    currency: str | None = None
    as_of: datetime | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None

    def is_late(self, today: date) -> bool:
        """Still on its way, and the carrier's day is past the promise, or the promise passed."""
        if self.status not in OPEN_ORDER_STATUSES or self.promised_on is None:
            return False
        if self.expected_on is not None and self.expected_on > self.promised_on:
            return True
        return self.promised_on < today


@dataclass
class Account:
    id: str
    location_id: str
    reference: str
    customer_id: str
    currency: str
    balance_minor: int
    limit_minor: int | None = None  # an overdraft or credit limit: what may be spent below zero
    next_charge_at: datetime | None = None
    next_charge_minor: int | None = None
    card_expires_on: date | None = None
    as_of: datetime | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None

    @property
    def charge_uncovered(self) -> bool:
        """The next scheduled charge is more than the balance and the limit together."""
        if self.next_charge_minor is None:
            return False
        return self.next_charge_minor > self.balance_minor + (self.limit_minor or 0)

    def card_expires_within(self, today: date, days: int) -> bool:
        if self.card_expires_on is None:
            return False
        return (self.card_expires_on - today).days <= days


@dataclass(frozen=True)
class CustomerDealings:
    """What the card shows of her dealings: at most a few of each, and how many there are."""

    bookings: list[Booking]  # still to come or under way, the soonest first
    orders: list[Order]  # the latest first
    accounts: list[Account]  # by reference
    # All of hers the lists were taken from (at the reader's locations): the card says "10 of 500".
    booking_count: int
    order_count: int
    account_count: int


def is_stale(stored_as_of: datetime | None, as_of: datetime) -> bool:
    return stored_as_of is not None and as_of < stored_as_of
