"""Merging two records of one person, recorded field by field so that an admin can undo it.

The survivor keeps its own values; a field it lacks is taken from the absorbed record. Every row of
the absorbed record (identities, preferences, consent decisions, history) moves to the survivor, and
each move is one recorded change. Undo plays the changes backwards.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from heedful.core.customers.model import PROFILE_FIELDS, Customer, CustomerStatus, Segment

# Rows that belong to a customer and move with a merge, in the order they are moved.
OWNED_ENTITIES = (
    "identity",
    "preference",
    "consent",
    "history",
    "promise",
    "message",
    "task",
    "thread",
    # Her surveys, answers and recoveries (see core/feedback/customer_records.py).
    "survey_invitation",
    "survey_answer",
    "recovery_loop",
    # Her bookings, orders and accounts (core/dealings, ADR 0036).
    "booking",
    "order",
    "account",
)

_SEGMENT_RANK = {Segment.NEW: 0, Segment.REGULAR: 1, Segment.AT_RISK: 2, Segment.VIP: 3}


@dataclass(frozen=True)
class FieldChange:
    entity: str  # "customer" or one of OWNED_ENTITIES
    entity_id: str
    field: str
    before: Any
    after: Any


@dataclass
class MergeRecord:
    id: str
    survivor_id: str
    absorbed_id: str
    merged_at: datetime
    merged_by: str
    merged_by_label: str
    reason: str
    changes: list[FieldChange]
    survivor_before: dict[str, Any]
    absorbed_before: dict[str, Any]
    undone_at: datetime | None = None
    undone_by: str | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def is_undone(self) -> bool:
        return self.undone_at is not None


def plan_merge(
    survivor: Customer, absorbed: Customer, owned_ids: dict[str, list[str]]
) -> list[FieldChange]:
    """The changes a merge makes, before any is applied."""
    changes: list[FieldChange] = []
    survivor_profile, absorbed_profile = survivor.profile(), absorbed.profile()
    for name in PROFILE_FIELDS:
        mine, theirs = survivor_profile[name], absorbed_profile[name]
        if name == "segment":
            if _SEGMENT_RANK[Segment(theirs)] > _SEGMENT_RANK[Segment(mine)]:
                changes.append(FieldChange("customer", survivor.id, name, mine, theirs))
        elif not mine and theirs:
            changes.append(FieldChange("customer", survivor.id, name, mine, theirs))
    locations_after = sorted(survivor.location_ids | absorbed.location_ids)
    if locations_after != sorted(survivor.location_ids):
        changes.append(
            FieldChange(
                "customer",
                survivor.id,
                "location_ids",
                sorted(survivor.location_ids),
                locations_after,
            )
        )
    changes.extend(
        FieldChange(entity, entity_id, "customer_id", absorbed.id, survivor.id)
        for entity in OWNED_ENTITIES
        for entity_id in owned_ids.get(entity, [])
    )
    changes.append(
        FieldChange(
            "customer", absorbed.id, "status", absorbed.status.value, CustomerStatus.MERGED.value
        )
    )
    changes.append(FieldChange("customer", absorbed.id, "merged_into_id", None, survivor.id))
    return changes


def apply_profile_change(customer: Customer, change: FieldChange, value: Any) -> None:
    """Set one customer field from a recorded change, parsing it back from its stored form."""
    restored = Customer.from_snapshot({**customer.snapshot(), change.field: value})
    setattr(customer, change.field, getattr(restored, change.field))
