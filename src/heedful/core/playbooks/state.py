"""What a look-ahead playbook reads: the business's records inside a horizon, as event-like data.

A booking, an order or an account becomes a ``StateObject``: its customer, its location, its own
instant (the arrival, the charge, the start of the promised day) and the fields conditions and
titles read (``data.room``, ``data.shortfall``, ``data.wishes``). Read by index ranges, one per
location and subject: only what lies inside the horizon is ever loaded (ADR 0040).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from heedful.core.dealings import Account, Booking, BookingKind, Order
from heedful.core.events import BusinessEvent
from heedful.core.playbooks.model import LOOK_AHEAD_PREFIX, Horizon, Op, PlaybookBody, Subject
from heedful.core.preferences import Category, Polarity, Preference
from heedful.core.unit_of_work import UnitOfWork

STATE_SOURCE = "urn:heedful:state"
_KINDS = {Subject.STAYS: BookingKind.STAY, Subject.TABLES: BookingKind.TABLE}


@dataclass(frozen=True)
class StateObject:
    subject: Subject
    key: str  # the object in the once-key: the booking, the order, this charge of the account
    customer_id: str
    location_id: str
    at: datetime  # its own instant, UTC
    data: Mapping[str, Any]

    def as_event(self) -> BusinessEvent:
        """The object dressed as an event, so conditions, titles and actions read it as one."""
        data = {"customer": {"id": self.customer_id}, "location": self.location_id, **self.data}
        return BusinessEvent(
            STATE_SOURCE, self.key, f"{LOOK_AHEAD_PREFIX}{self.subject.value}", data, time=self.at
        )


def window(horizon: Horizon, zone: ZoneInfo, now: datetime) -> tuple[datetime, datetime]:
    """[start, end) in UTC for a location in ``zone``: days are its own, across DST changes."""
    if horizon.within is not None:
        return now, now + horizon.within
    day = now.astimezone(zone).date() + timedelta(days=horizon.days_ahead or 0)
    if horizon.before is not None:
        return now, _local(day, horizon.before, zone)
    return max(now, _local(day, time(), zone)), _local(day + timedelta(days=1), time(), zone)


def _local(day: date, at: time, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, at, zone).astimezone(UTC)


class Narrowing(StrEnum):
    """A condition the database can check too, so rows that cannot meet it are never loaded.

    Only a superset is read this way: the condition is still checked on every object, in words.
    """

    UNCOVERED = "uncovered"  # data.charge_uncovered = true
    CARD_EXPIRING = "card_expiring"  # data.card_expires_before_charge = true
    LATE = "late"  # data.late = true


_NARROWED_BY = {
    "data.charge_uncovered": Narrowing.UNCOVERED,
    "data.card_expires_before_charge": Narrowing.CARD_EXPIRING,
    "data.late": Narrowing.LATE,
}


def narrowing(body: PlaybookBody) -> frozenset[Narrowing]:
    """What of the playbook's own conditions the index range may also ask the database."""
    return frozenset(
        _NARROWED_BY[c.field]
        for c in body.where
        if c.field in _NARROWED_BY and c.op is Op.EQUALS and c.value is True
    )


def read_window(
    uow: UnitOfWork,
    subject: Subject,
    location_id: str,
    zone: ZoneInfo,
    span: tuple[datetime, datetime],
    narrowed: frozenset[Narrowing] = frozenset(),
) -> list[StateObject]:
    """The location's objects of this subject inside [start, end), by an index range."""
    if subject is Subject.TONIGHT:
        return []  # a night is no customer's object: playbooks/tonight.py reads it
    start, end = span
    last = (end - timedelta(microseconds=1)).astimezone(zone).date()
    if subject in _KINDS:
        found = uow.bookings.starting_between(_KINDS[subject], (location_id,), start, end)
        return wishes_added(uow, [booking_object(b, subject, zone) for b in found])
    if subject is Subject.PICKUPS:
        first = start.astimezone(zone).date()
        waiting = uow.orders.waiting_between(location_id, first, last)
        parcels = [pickup_object(o, zone) for o in waiting]
        return [p for p in parcels if start <= p.at < end]
    if subject is Subject.ORDERS:
        first = start.astimezone(zone).date()
        late = Narrowing.LATE in narrowed
        orders = uow.orders.promised_between(location_id, first, last, late_only=late)
        return [order_object(o, zone) for o in orders if start <= order_at(o, zone) < end]
    found_accounts = uow.accounts.charging_between(
        location_id,
        start,
        end,
        uncovered_only=Narrowing.UNCOVERED in narrowed,
        # A card that expires before a charge inside the window expires by its last day.
        card_expiring_by=last if Narrowing.CARD_EXPIRING in narrowed else None,
    )
    return [account_object(a, zone) for a in found_accounts]


def booking_object(booking: Booking, subject: Subject, zone: ZoneInfo) -> StateObject:
    assert booking.starts_at is not None
    assert booking.customer_id is not None
    local = booking.starts_at.astimezone(zone)
    data = {
        "reference": booking.reference,
        "room": booking.room,
        "room_type": booking.room_type,
        "table": booking.table,
        "guests": booking.guests,
        "nights": booking.nights,
        "starts_at": f"{local:%Y-%m-%d %H:%M}",
        "starts_on": local.date().isoformat(),
        "ends_on": booking.ends_at.astimezone(zone).date().isoformat() if booking.ends_at else "",
        "wishes": "",
        "never": "",
    }
    return StateObject(
        subject,
        f"booking:{booking.id}",
        booking.customer_id,
        booking.location_id,
        booking.starts_at,
        data,
    )


def order_at(order: Order, zone: ZoneInfo) -> datetime:
    assert order.promised_on is not None
    return _local(order.promised_on, time(), zone)


def order_object(order: Order, zone: ZoneInfo) -> StateObject:
    promised, expected = order.promised_on, order.expected_on
    days_late = (expected - promised).days if promised and expected else 0
    data = {
        "reference": order.reference,
        "status": order.status.value,
        "promised_on": promised.isoformat() if promised else "",
        "expected_on": expected.isoformat() if expected else "",
        "late": days_late > 0,
        "days_late": max(days_late, 0),
        "carrier": order.carrier,
        "tracking_number": order.tracking_number,
    }
    return StateObject(
        Subject.ORDERS,
        f"order:{order.id}",
        order.customer_id,
        order.location_id,
        order_at(order, zone),
        data,
    )


def pickup_object(order: Order, zone: ZoneInfo) -> StateObject:
    """A parcel at a pick-up point; its instant is the start of the day it is sent back."""
    assert order.pickup_until is not None
    data = {
        "reference": order.reference,
        "status": order.status.value,
        "pickup_until": order.pickup_until.isoformat(),
        "carrier": order.carrier,
        "tracking_number": order.tracking_number,
    }
    return StateObject(
        Subject.PICKUPS,
        f"pickup:{order.id}@{order.pickup_until.isoformat()}",
        order.customer_id,
        order.location_id,
        _local(order.pickup_until, time(), zone),
        data,
    )


def _major(amount_minor: int) -> int | float:
    # Quoted in titles staff read: "1200 UAH", never "1200.0 UAH"; kopecks only when there are some.
    return amount_minor // 100 if amount_minor % 100 == 0 else amount_minor / 100


def account_object(account: Account, zone: ZoneInfo) -> StateObject:
    assert account.next_charge_at is not None
    charge = account.next_charge_minor or 0
    available = account.balance_minor + (account.limit_minor or 0)
    expires = account.card_expires_on
    local = account.next_charge_at.astimezone(zone)
    data = {
        "reference": account.reference,
        "currency": account.currency,
        # In major units, as staff and the business's systems write amounts.
        "balance": _major(account.balance_minor),
        "limit": _major(account.limit_minor or 0),
        "charge": _major(charge),
        "available": _major(available),
        "shortfall": _major(max(charge - available, 0)),
        "charge_uncovered": account.charge_uncovered,
        "charge_at": f"{local:%Y-%m-%d %H:%M}",
        "card_expires_on": expires.isoformat() if expires else "",
        "card_expires_before_charge": expires is not None and expires < local.date(),
    }
    # Each scheduled charge is its own object: next month's charge may fire again.
    stamp = int(account.next_charge_at.timestamp())
    return StateObject(
        Subject.CHARGES,
        f"charge:{account.id}@{stamp}",
        account.customer_id,
        account.location_id,
        account.next_charge_at,
        data,
    )


def wishes_of(preferences: Iterable[Preference]) -> tuple[str, str]:
    """(wishes, never) in words: "no sparkling water in the minibar; two firm pillows".

    A "never" is said as "no ..."; room wishes she likes follow. Only standing ones (seed 004).
    """
    never, room = [], []
    for preference in preferences:
        if not preference.is_standing:
            continue
        if preference.polarity is Polarity.NEVER:
            subject = preference.subject.strip()
            never.append(subject)
        elif preference.polarity is Polarity.LIKE and preference.category is Category.ROOM:
            room.append(preference.subject.strip())
    said = [_said_as_never(s) for s in never]
    return "; ".join([*said, *room]), "; ".join(never)


# Staff write a "never" in their own words, often already negated ("без газованої води", "no
# nuts"); those are quoted as written. Otherwise English gets "no …"; a subject in Cyrillic gets
# "без: …", which reads the same in Russian and Ukrainian without guessing the grammatical case.
_NEGATIONS = ("no ", "not ", "never ", "без ", "не ", "ні ", "нет ", "никогда ", "ніколи ")


def _said_as_never(subject: str) -> str:
    if subject.casefold().startswith(_NEGATIONS):
        return subject
    if any("\u0400" <= letter <= "\u04ff" for letter in subject):
        return f"без: {subject}"
    return f"no {subject}"


def wishes_added(uow: UnitOfWork, objects: Sequence[StateObject]) -> list[StateObject]:
    """Each guest's stated wishes, read for the whole window in one query."""
    if not objects:
        return []
    standing = uow.preferences.standing_for_many(sorted({o.customer_id for o in objects}))
    done = []
    for obj in objects:
        wishes, never = wishes_of(standing.get(obj.customer_id, []))
        data = {**obj.data, "wishes": wishes, "never": never}
        done.append(
            StateObject(obj.subject, obj.key, obj.customer_id, obj.location_id, obj.at, data)
        )
    return done
