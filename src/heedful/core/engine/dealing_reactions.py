"""The reaction that keeps bookings, reservations, orders and accounts (ADR 0036).

The engine names who and where, with the sender's scope (ADR 0029), and the dealings room
applies the version; the event's own time decides which version stands, not its arrival.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from heedful.core.access import SYSTEM
from heedful.core.customers import note_location
from heedful.core.dealings import (
    ACCOUNT_AT_RISK,
    ACCOUNT_UPSERTED,
    Applied,
    BookingKind,
    BookingStatus,
    OrderStatus,
    account_warnings,
    apply_dealing,
)
from heedful.core.events import (
    OUTSIDE_SCOPE,
    BusinessEvent,
    customer_named,
    location_named,
    sender_may_name,
)
from heedful.core.playbooks import (
    StateObject,
    Subject,
    account_object,
    booking_object,
    order_object,
    pickup_object,
    reconsider,
    reconsider_tonight,
)
from heedful.core.shared.errors import InvalidInput
from heedful.core.staff import assign_owner

if TYPE_CHECKING:
    from heedful.core.engine.reactions import Reacting


def keep_dealings(moment: Reacting) -> None:
    uow, event = moment.uow, moment.stored.event
    data = event.data
    location_id = location_named(uow, str(data["location"]), event.sender_locations)
    if location_id is None:
        moment.report.skipped.append(f"{moment.cause}: no location {data['location']}")
        return
    customer = None
    if data.get("customer") is not None:
        customer = customer_named(uow, data["customer"])
        if customer is None:
            moment.report.skipped.append(f"{moment.cause}: no such customer")
            return
        if not sender_may_name(event, customer):
            moment.report.skipped.append(f"{moment.cause}: {OUTSIDE_SCOPE}")
            return
    # The sender's clock says when it happened; without one, the order of arrival is all we have.
    as_of = event.time or moment.stored.received_at
    customer_id = customer.id if customer else None
    applied = apply_dealing(uow, event.type, data, customer_id, location_id, as_of, moment.now)
    if event.type == ACCOUNT_UPSERTED and applied is not Applied.STALE:
        _tell_risks(moment, location_id, str(data["account"]))
    if applied in (Applied.CREATED, Applied.UPDATED):
        _look_ahead(moment, event.type, data, location_id)
    if customer is not None:
        # Her booking at a hotel makes her its guest: its staff see her card (ADR 0024).
        note_location(uow, SYSTEM, moment.now, customer, location_id, reason=event.type)


def _tell_risks(moment: Reacting, location_id: str, reference: str) -> None:
    """The account as it now stands at risk: stored as events the playbooks act on, once each."""
    uow = moment.uow
    account = uow.accounts.get_by_reference(location_id, reference)
    if account is None:
        return
    warnings = account_warnings(account, moment.now.date())
    if warnings:
        told = [
            BusinessEvent(
                HEEDFUL_SOURCE, warning.key, ACCOUNT_AT_RISK, warning.data, time=moment.now
            )
            for warning in warnings
        ]
        uow.events.accept(told, received_at=moment.now)


# The source of the events Heedful tells itself; with the warning's key, a risk is told once.
HEEDFUL_SOURCE = "urn:heedful:dealings"


_SUBJECTS = {
    "heedful.booking.upserted": (Subject.STAYS, "booking"),
    "heedful.reservation.upserted": (Subject.TABLES, "reservation"),
    "heedful.order.upserted": (Subject.ORDERS, "order"),
    ACCOUNT_UPSERTED: (Subject.CHARGES, "account"),
}


def _look_ahead(moment: Reacting, event_type: str, data: Any, location_id: str) -> None:
    """The one record this event changed, weighed by the look-ahead playbooks of its kind.

    Only this record is read (by its reference), so a change costs what one record costs, not
    a pass over the horizon (ADR 0040). Cancellations change nothing to weigh.
    """
    if event_type not in _SUBJECTS:
        return
    subject, key = _SUBJECTS[event_type]
    _look_ahead_more(moment, subject, data, location_id)
    if not moment.playbooks.looking_ahead(subject):
        return
    uow, reference = moment.uow, " ".join(str(data.get(key) or "").split())

    def obj_of(zone: ZoneInfo) -> StateObject | None:
        if subject in (Subject.STAYS, Subject.TABLES):
            kind = BookingKind.STAY if subject is Subject.STAYS else BookingKind.TABLE
            booking = uow.bookings.get_by_reference(kind, location_id, reference)
            if booking is None or booking.status is not BookingStatus.BOOKED:
                return None
            if booking.starts_at is None or booking.customer_id is None:
                return None
            return booking_object(booking, subject, zone)
        if subject is Subject.ORDERS:
            order = uow.orders.get_by_reference(location_id, reference)
            if order is None or order.promised_on is None:
                return None
            return order_object(order, zone)
        account = uow.accounts.get_by_reference(location_id, reference)
        if account is None or account.next_charge_at is None:
            return None
        return account_object(account, zone)

    moment.report.fired += reconsider(
        uow, moment.playbooks, obj_of, subject, location_id, moment.now
    )


def _look_ahead_more(moment: Reacting, subject: Subject, data: Any, location_id: str) -> None:
    """A reservation or a stay weighs the location's night again; an order waiting at a
    pick-up point is weighed by the pickups playbooks (ADR 0051)."""
    uow = moment.uow
    if subject in (Subject.STAYS, Subject.TABLES):
        moment.report.fired += reconsider_tonight(uow, moment.playbooks, location_id, moment.now)
        return
    if subject is not Subject.ORDERS or not moment.playbooks.looking_ahead(Subject.PICKUPS):
        return
    reference = " ".join(str(data.get("order") or "").split())

    def parcel_of(zone: ZoneInfo) -> StateObject | None:
        order = uow.orders.get_by_reference(location_id, reference)
        if order is None or order.status is not OrderStatus.AT_PICKUP or not order.pickup_until:
            return None
        return pickup_object(order, zone)

    moment.report.fired += reconsider(
        uow, moment.playbooks, parcel_of, Subject.PICKUPS, location_id, moment.now
    )


def keep_owner(moment: Reacting) -> None:
    """``heedful.owner.assigned``: her owner at the location, as the business's CRM says."""
    uow, event = moment.uow, moment.stored.event
    location_id = location_named(uow, str(event.data["location"]), event.sender_locations)
    customer = customer_named(uow, event.data["customer"])
    if location_id is None or customer is None:
        moment.report.skipped.append(f"{moment.cause}: no such customer or location")
        return
    if not sender_may_name(event, customer):
        moment.report.skipped.append(f"{moment.cause}: {OUTSIDE_SCOPE}")
        return
    staff = " ".join(str(event.data["staff"]).split())
    try:
        assign_owner(uow, customer.id, location_id, staff, moment.now, event.source[:200])
    except InvalidInput as refused:
        moment.report.skipped.append(f"{moment.cause}: {refused}")
