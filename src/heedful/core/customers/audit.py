"""The audit log: every change to a customer, with who, when, before and after."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class AuditEntry:
    id: str
    at: datetime
    actor_id: str
    actor_label: str
    action: str  # "customer.updated", "preference.recorded", "customers.merged", ...
    customer_id: str | None
    entity: str
    entity_id: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


def changed_fields(
    before: dict[str, Any], after: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only what differs, so the log reads "language: ru → uk" rather than two whole records."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}
