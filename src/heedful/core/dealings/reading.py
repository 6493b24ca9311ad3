"""From a business event's data to a version of a booking, order or account, and applied.

The data's shape was checked where the event came in (``core/events/types.py``); here it is
read into the room's versions. Free text is trimmed and bounded as the columns are.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any

from heedful.core.dealings.model import (
    Applied,
    BookingKind,
    BookingStatus,
    OrderLine,
    OrderStatus,
)
from heedful.core.dealings.versions import (
    AccountVersion,
    BookingVersion,
    DealingsWork,
    OrderVersion,
    close_booking,
    minor_units,
    put_account,
    put_booking,
    put_order,
    stay_completed,
)
from heedful.core.events import parse_timestamp
from heedful.core.history import HistoryEntry, HistoryKind, Item
from heedful.core.shared.ids import new_id

BOOKING_UPSERTED = "heedful.booking.upserted"
BOOKING_CANCELLED = "heedful.booking.cancelled"
STAY_COMPLETED = "heedful.stay.completed"
RESERVATION_UPSERTED = "heedful.reservation.upserted"
RESERVATION_CANCELLED = "heedful.reservation.cancelled"
ORDER_UPSERTED = "heedful.order.upserted"
ACCOUNT_UPSERTED = "heedful.account.upserted"
PURCHASE_MADE = "heedful.purchase.made"
VISIT_RECORDED = "heedful.visit.recorded"
# The types whose events set a booking, order or account; the engine reacts to each.
DEALING_EVENT_TYPES = frozenset(
    {
        BOOKING_UPSERTED,
        BOOKING_CANCELLED,
        STAY_COMPLETED,
        RESERVATION_UPSERTED,
        RESERVATION_CANCELLED,
        ORDER_UPSERTED,
        ACCOUNT_UPSERTED,
        # A till's receipt and a visit go straight to her history (the usual, CX index, churn).
        PURCHASE_MADE,
        VISIT_RECORDED,
    }
)
_SHORT = 100  # room, table, carrier, tracking number: their columns are this wide


def _text(data: Mapping[str, Any], key: str, width: int = _SHORT) -> str:
    return " ".join(str(data.get(key) or "").split())[:width]


def _time(data: Mapping[str, Any], key: str) -> datetime | None:
    return parse_timestamp(data.get(key))


def _day(data: Mapping[str, Any], key: str) -> date | None:
    value = data.get(key)
    return date.fromisoformat(value) if isinstance(value, str) and value else None


def _count(data: Mapping[str, Any], key: str) -> int | None:
    value = data.get(key)
    return int(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _amount(data: Mapping[str, Any], key: str) -> int | None:
    value = data.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return minor_units(value)


def _currency(data: Mapping[str, Any]) -> str | None:
    value = _text(data, "currency", 3).upper()
    return value if len(value) == 3 and value.isalpha() else None


def read_items(value: Any) -> tuple[Item, ...]:
    """Lines as tills and shops send them: every key but the counts is an attribute."""
    if not isinstance(value, list):
        return ()
    items = []
    for raw in value:
        if not isinstance(raw, Mapping):
            continue
        quantity = _count(raw, "quantity") or 1
        amount = _amount(raw, "amount")
        attributes = {
            str(k)[:50]: " ".join(str(v).split())[:200]
            for k, v in raw.items()
            if k not in ("quantity", "amount") and v is not None
        }
        items.append(Item(attributes, max(quantity, 1), amount))
    return tuple(items)


def apply_dealing(
    work: DealingsWork,
    event_type: str,
    data: Mapping[str, Any],
    customer_id: str | None,
    location_id: str,
    as_of: datetime,
    now: datetime,
) -> Applied:
    """Apply one event of a ``DEALING_EVENT_TYPES`` type; the caller resolved who and where.

    ``customer_id`` is None only for the types where the customer is optional (cancellations
    and a completed stay), whose booking is found by its reference.
    """
    if event_type in (BOOKING_CANCELLED, RESERVATION_CANCELLED, STAY_COMPLETED):
        return _close(work, event_type, data, customer_id, location_id, as_of, now)
    if customer_id is None:
        raise ValueError(f"{event_type} names its customer")  # checked at ingest: a bug
    if event_type in (PURCHASE_MADE, VISIT_RECORDED):
        kind = HistoryKind.PURCHASE if event_type == PURCHASE_MADE else HistoryKind.VISIT
        return _history(work, kind, data, customer_id, location_id, as_of, now)
    if event_type in (BOOKING_UPSERTED, RESERVATION_UPSERTED):
        stay = event_type == BOOKING_UPSERTED
        starts_at = _time(data, "arrival" if stay else "at")
        if starts_at is None:
            raise ValueError(f"{event_type} has its time")  # checked at ingest: a bug
        version = BookingVersion(
            kind=BookingKind.STAY if stay else BookingKind.TABLE,
            location_id=location_id,
            reference=_text(data, "booking" if stay else "reservation"),
            customer_id=customer_id,
            starts_at=starts_at,
            ends_at=_time(data, "departure") if stay else None,
            room_type=_text(data, "room_type"),
            room=_text(data, "room"),
            table=_text(data, "table"),
            guests=_count(data, "guests" if stay else "party_size"),
        )
        return put_booking(work, version, as_of)
    if event_type == ORDER_UPSERTED:
        order = OrderVersion(
            location_id=location_id,
            reference=_text(data, "order"),
            customer_id=customer_id,
            status=OrderStatus(str(data["status"])),
            lines=tuple(
                OrderLine(item.attributes, item.quantity, item.amount_minor)
                for item in read_items(data.get("lines"))
            ),
            promised_on=_day(data, "promised"),
            expected_on=_day(data, "expected"),
            pickup_until=_day(data, "pickup_until"),
            carrier=_text(data, "carrier"),
            tracking_number=_text(data, "tracking_number"),
            total_minor=_amount(data, "total"),
            currency=_currency(data),
        )
        return put_order(work, order, as_of, now)
    if event_type == ACCOUNT_UPSERTED:
        account = AccountVersion(
            location_id=location_id,
            reference=_text(data, "account"),
            customer_id=customer_id,
            currency=_currency(data) or "",
            balance_minor=_amount(data, "balance") or 0,
            limit_minor=_amount(data, "limit"),
            next_charge_at=_time(data, "next_charge_at"),
            next_charge_minor=_amount(data, "next_charge_amount"),
            card_expires_on=_day(data, "card_expires"),
        )
        return put_account(work, account, as_of)
    raise ValueError(f"{event_type} sets no booking, order or account")


def _close(
    work: DealingsWork,
    event_type: str,
    data: Mapping[str, Any],
    customer_id: str | None,
    location_id: str,
    as_of: datetime,
    now: datetime,
) -> Applied:
    kind = BookingKind.TABLE if event_type == RESERVATION_CANCELLED else BookingKind.STAY
    reference = _text(data, "reservation" if kind is BookingKind.TABLE else "booking")
    status = BookingStatus.COMPLETED if event_type == STAY_COMPLETED else BookingStatus.CANCELLED
    changed = close_booking(work, kind, location_id, reference, status, as_of, customer_id)
    if changed is None:
        return Applied.STALE
    if status is BookingStatus.COMPLETED:
        stay_completed(
            work,
            changed,
            read_items(data.get("items")),
            _amount(data, "total"),
            _currency(data),
            now,
        )
    return Applied.UPDATED


def _history(
    work: DealingsWork,
    kind: HistoryKind,
    data: Mapping[str, Any],
    customer_id: str,
    location_id: str,
    as_of: datetime,
    now: datetime,
) -> Applied:
    """One receipt or visit into her history; the same ``external_ref`` again is a repeat."""
    reference = _text(data, "external_ref") or None
    if reference is not None and work.history.find_by_ref(kind, reference) is not None:
        return Applied.UNCHANGED
    work.history.add(
        HistoryEntry(
            id=new_id("his_"),
            customer_id=customer_id,
            kind=kind,
            occurred_at=min(as_of, now).astimezone(UTC),  # a till clock ahead is not the future
            recorded_at=now,
            location_id=location_id,
            items=list(read_items(data.get("items"))),
            amount_minor=_amount(data, "total"),
            currency=_currency(data),
            external_ref=reference,
        )
    )
    return Applied.CREATED
