"""Core objects to API shapes."""

from __future__ import annotations

from heedful.core.card import CustomerCard
from heedful.core.customers.identities import Identity
from heedful.core.customers.merge import MergeRecord
from heedful.core.customers.model import Customer
from heedful.core.preferences.model import Polarity
from heedful.entrypoints.api.dealings import CardWithDealingsOut, dealings_out
from heedful.entrypoints.api.schemas import (
    ConsentOut,
    CustomerOut,
    FieldChangeOut,
    HistoryOut,
    IdentityOut,
    MergeOut,
    PreferenceGroups,
    PreferenceOut,
    UsualOut,
)


def customer_out(customer: Customer, identities: list[Identity] | None = None) -> CustomerOut:
    return CustomerOut(
        id=customer.id,
        full_name=customer.full_name,
        language=customer.language,
        time_zone=customer.time_zone,
        segment=customer.segment,
        status=customer.status,
        home_location_id=customer.home_location_id,
        birthday=customer.birthday,
        merged_into_id=customer.merged_into_id,
        location_ids=sorted(customer.location_ids),
        created_at=customer.created_at,
        updated_at=customer.updated_at,
        identities=[IdentityOut.model_validate(i) for i in identities or []],
    )


def card_out(card: CustomerCard) -> CardWithDealingsOut:
    """The card; with her bookings, orders and accounts when they were read with it."""

    def prefs(polarity: Polarity) -> list[PreferenceOut]:
        return [PreferenceOut.model_validate(p) for p in card.preferences[polarity]]

    return CardWithDealingsOut(
        customer=customer_out(card.customer, card.identities),
        consent=[ConsentOut.model_validate(c) for c in card.consent.values()],
        preferences=PreferenceGroups(
            never=prefs(Polarity.NEVER), dislike=prefs(Polarity.DISLIKE), like=prefs(Polarity.LIKE)
        ),
        usual=[UsualOut(**{**u.__dict__, "evidence": list(u.evidence)}) for u in card.usual],
        recent_history=[HistoryOut.model_validate(h) for h in card.recent_history],
        history_count=card.history_count,
        dealings=None if card.state is None else dealings_out(card.state, card.read_at),
    )


def merge_out(record: MergeRecord) -> MergeOut:
    return MergeOut(
        id=record.id,
        survivor_id=record.survivor_id,
        absorbed_id=record.absorbed_id,
        merged_at=record.merged_at,
        merged_by=record.merged_by,
        merged_by_label=record.merged_by_label,
        reason=record.reason,
        changes=[FieldChangeOut.model_validate(c) for c in record.changes],
        undone_at=record.undone_at,
        undone_by=record.undone_by,
        notes=record.notes,
    )
