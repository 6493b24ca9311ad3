"""The customer card: everything a receptionist should see before saying hello."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from heedful.core.access import Actor, Permission, load_customer
from heedful.core.customers import (
    AuditEntry,
    Channel,
    ConsentDecision,
    Customer,
    Identity,
    MergeRecord,
    Purpose,
    current_consents,
)
from heedful.core.dealings import CustomerDealings, dealings_on_card
from heedful.core.history import HistoryEntry
from heedful.core.preferences import Polarity, Preference, Usual, grouped, infer_usual
from heedful.core.shared.clock import Clock
from heedful.core.unit_of_work import UnitOfWork

RECENT_HISTORY = 20
# "The usual" looks further back than the card shows: a habit needs its history.
HABIT_WINDOW = 200
RECENT_AUDIT = 30


@dataclass(frozen=True)
class CustomerCard:
    customer: Customer
    identities: list[Identity]
    consent: dict[tuple[Channel, Purpose], ConsentDecision]
    consent_history: list[ConsentDecision]
    preferences: dict[Polarity, list[Preference]]
    usual: list[Usual]
    recent_history: list[HistoryEntry]
    history_count: int
    merges: list[MergeRecord]
    audit: list[AuditEntry]  # empty when the actor may not read the audit log
    # The one moment the card was read at: "still to come" and "on its way" are judged by it.
    read_at: datetime
    # Her bookings, orders and accounts, when asked for: read in the card's own transaction.
    state: CustomerDealings | None = None


def customer_card(
    customer_id: str, uow: UnitOfWork, clock: Clock, actor: Actor, *, with_state: bool = False
) -> CustomerCard:
    """``with_state``: her bookings, orders and accounts too (issue 12), in this transaction."""
    now = clock.now()
    with uow:
        customer = load_customer(uow, actor, customer_id)
        preferences = uow.preferences.list_for(customer.id)
        history = uow.history.list_for(customer.id, HABIT_WINDOW)
        consents = uow.consents.list_for(customer.id)
        return CustomerCard(
            customer=customer,
            identities=uow.identities.list_for(customer.id),
            consent=current_consents(consents),
            consent_history=sorted(consents, key=lambda c: c.decided_at, reverse=True),
            preferences=grouped(preferences),
            usual=infer_usual(history, preferences, now),
            recent_history=history[:RECENT_HISTORY],
            history_count=len(history)
            if len(history) < HABIT_WINDOW
            else uow.history.count_for(customer.id),
            merges=uow.merges.list_for(customer.id),
            audit=uow.audit.list_for(customer.id, RECENT_AUDIT)
            if actor.may(Permission.VIEW_AUDIT_LOG)
            else [],
            read_at=now,
            state=dealings_on_card(uow, actor, customer.id, now) if with_state else None,
        )
