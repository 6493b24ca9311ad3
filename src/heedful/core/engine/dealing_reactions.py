"""The reaction that keeps bookings, reservations, orders and accounts (ADR 0036).

The engine names who and where, with the sender's scope (ADR 0029), and the dealings room
applies the version; the event's own time decides which version stands, not its arrival.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from heedful.core.access import SYSTEM
from heedful.core.customers import note_location
from heedful.core.dealings import (
    ACCOUNT_AT_RISK,
    ACCOUNT_UPSERTED,
    Applied,
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
