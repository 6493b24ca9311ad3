"""Applying one version of a booking, order or account: the event's own time decides.

Every function here is called by the engine's reactions for one stored event (never twice for
one event: the inbox stores it once), inside that event's savepoint. ``as_of`` is the time the
business's system says the change happened; the engine's arrival order does not matter.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Protocol

from heedful.core.dealings.model import (
    RECEIVED_ORDER_STATUSES,
    Account,
    Applied,
    Booking,
    BookingKind,
    BookingStatus,
    Order,
    OrderLine,
    OrderStatus,
    is_stale,
)
from heedful.core.dealings.ports import AccountRepository, BookingRepository, OrderRepository
from heedful.core.history import HistoryEntry, HistoryKind, HistoryRepository, Item
from heedful.core.shared.ids import new_id
from heedful.core.shared.ports import UnitOfWorkShape

# Fields that are bookkeeping, not what the business said: equal versions may differ in them.
_BOOKKEEPING = frozenset({"id", "as_of", "created_at", "updated_at"})


class DealingsWork(UnitOfWorkShape, Protocol):
    """The part of the unit of work this room writes (ADR 0030)."""

    @property
    def bookings(self) -> BookingRepository: ...
    @property
    def orders(self) -> OrderRepository: ...
    @property
    def accounts(self) -> AccountRepository: ...
    @property
    def history(self) -> HistoryRepository: ...


def minor_units(amount: float | int | None) -> int | None:
    """12.5 -> 1250: amounts arrive as JSON numbers in the currency's major unit."""
    if amount is None:
        return None
    return int((Decimal(str(amount)) * 100).to_integral_value())


def _same(stored: object, incoming: object) -> bool:
    return all(
        getattr(stored, f.name) == getattr(incoming, f.name)
        for f in fields(incoming)  # type: ignore[arg-type]
        if f.name not in _BOOKKEEPING
    )


@dataclass(frozen=True)
class BookingVersion:
    kind: BookingKind
    location_id: str
    reference: str
    customer_id: str
    starts_at: datetime
    ends_at: datetime | None = None
    room_type: str = ""
    room: str = ""
    table: str = ""
    guests: int | None = None


def put_booking(work: DealingsWork, version: BookingVersion, as_of: datetime) -> Applied:
    """A booking made or changed; a cancellation stamped later than this version stands."""
    stored = work.bookings.get_by_reference(version.kind, version.location_id, version.reference)
    incoming = Booking(
        id=stored.id if stored else new_id("bkg_"),
        status=BookingStatus.BOOKED,
        as_of=as_of,
        **{f.name: getattr(version, f.name) for f in fields(version)},
    )
    if stored is None:
        incoming.created_at = incoming.updated_at = as_of
        work.bookings.add(incoming)
        return Applied.CREATED
    if is_stale(stored.as_of, as_of) or (
        # At the very same instant a cancellation beats a change: the guest said no last.
        stored.as_of == as_of and stored.status is not BookingStatus.BOOKED
    ):
        return Applied.STALE
    if _same(stored, incoming):
        return Applied.UNCHANGED
    incoming.created_at, incoming.updated_at = stored.created_at, as_of
    work.bookings.update(incoming)
    return Applied.UPDATED


def close_booking(
    work: DealingsWork,
    kind: BookingKind,
    location_id: str,
    reference: str,
    status: BookingStatus,
    as_of: datetime,
    customer_id: str | None = None,
) -> Booking | None:
    """Cancel or complete a booking. Returns it when this event changed it.

    A cancellation that arrives before its booking is kept as a cancelled record, so that the
    booking, when it comes with an earlier time, stays cancelled.
    """
    stored = work.bookings.get_by_reference(kind, location_id, reference)
    if stored is None:
        tombstone = Booking(
            id=new_id("bkg_"),
            kind=kind,
            location_id=location_id,
            reference=reference,
            customer_id=customer_id,
            status=status,
            starts_at=None,
            as_of=as_of,
            created_at=as_of,
            updated_at=as_of,
        )
        work.bookings.add(tombstone)
        return tombstone
    if is_stale(stored.as_of, as_of) or stored.status is status:
        return None
    if stored.status is BookingStatus.COMPLETED and status is BookingStatus.CANCELLED:
        return None  # the guest stayed: a late cancellation of a stay that happened is noise
    stored.status, stored.as_of, stored.updated_at = status, as_of, as_of
    if stored.customer_id is None:
        stored.customer_id = customer_id
    work.bookings.update(stored)
    return stored


@dataclass(frozen=True)
class OrderVersion:
    location_id: str
    reference: str
    customer_id: str
    status: OrderStatus
    lines: tuple[OrderLine, ...] = ()
    promised_on: date | None = None
    expected_on: date | None = None
    pickup_until: date | None = None
    carrier: str = ""
    tracking_number: str = ""
    total_minor: int | None = None
    currency: str | None = None


def put_order(work: DealingsWork, version: OrderVersion, as_of: datetime, now: datetime) -> Applied:
    stored = work.orders.get_by_reference(version.location_id, version.reference)
    values = {f.name: getattr(version, f.name) for f in fields(version)}
    values["lines"] = list(version.lines)
    incoming = Order(id=stored.id if stored else new_id("ord_"), as_of=as_of, **values)
    if stored is None:
        incoming.created_at = incoming.updated_at = as_of
        work.orders.add(incoming)
    elif is_stale(stored.as_of, as_of):
        return Applied.STALE
    elif _same(stored, incoming):
        return Applied.UNCHANGED
    else:
        incoming.created_at, incoming.updated_at = stored.created_at, as_of
        work.orders.update(incoming)
    if incoming.status in RECEIVED_ORDER_STATUSES:
        _order_bought(work, incoming, now)
    return Applied.CREATED if stored is None else Applied.UPDATED


def _order_bought(work: DealingsWork, order: Order, now: datetime) -> None:
    """A received order joins her purchases once, named by its number (history is unique on it)."""
    reference = f"order:{order.location_id}:{order.reference}"[:100]
    if work.history.find_by_ref(HistoryKind.PURCHASE, reference) is not None:
        return
    work.history.add(
        HistoryEntry(
            id=new_id("his_"),
            customer_id=order.customer_id,
            kind=HistoryKind.PURCHASE,
            occurred_at=(order.as_of or now).astimezone(UTC),
            recorded_at=now,
            location_id=order.location_id,
            items=[Item(line.attributes, line.quantity, line.amount_minor) for line in order.lines],
            amount_minor=order.total_minor,
            currency=order.currency,
            external_ref=reference,
        )
    )


def stay_completed(
    work: DealingsWork,
    booking: Booking,
    items: tuple[Item, ...],
    total_minor: int | None,
    currency: str | None,
    now: datetime,
) -> bool:
    """The stay joins her visits once; returns whether it was new."""
    if booking.customer_id is None:
        return False
    reference = f"stay:{booking.location_id}:{booking.reference}"[:100]
    if work.history.find_by_ref(HistoryKind.VISIT, reference) is not None:
        return False
    attributes = {"room_type": booking.room_type} if booking.room_type else {}
    lines = items or ((Item(attributes, booking.nights or 1),) if attributes else ())
    work.history.add(
        HistoryEntry(
            id=new_id("his_"),
            customer_id=booking.customer_id,
            kind=HistoryKind.VISIT,
            occurred_at=(booking.starts_at or booking.as_of or now).astimezone(UTC),
            recorded_at=now,
            location_id=booking.location_id,
            items=list(lines),
            amount_minor=total_minor,
            currency=currency,
            external_ref=reference,
        )
    )
    return True


@dataclass(frozen=True)
class AccountVersion:
    location_id: str
    reference: str
    customer_id: str
    currency: str
    balance_minor: int
    limit_minor: int | None = None
    next_charge_at: datetime | None = None
    next_charge_minor: int | None = None
    card_expires_on: date | None = None


def put_account(work: DealingsWork, version: AccountVersion, as_of: datetime) -> Applied:
    stored = work.accounts.get_by_reference(version.location_id, version.reference)
    incoming = Account(
        id=stored.id if stored else new_id("acc_"),
        as_of=as_of,
        **{f.name: getattr(version, f.name) for f in fields(version)},
    )
    if stored is None:
        incoming.created_at = incoming.updated_at = as_of
        work.accounts.add(incoming)
        return Applied.CREATED
    if is_stale(stored.as_of, as_of):
        return Applied.STALE
    if _same(stored, incoming):
        return Applied.UNCHANGED
    work.accounts.update(replace(incoming, created_at=stored.created_at, updated_at=as_of))
    return Applied.UPDATED
