"""The audit log: every change to a customer, with who, when, before and after."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from heedful.core.shared.ids import new_id

if TYPE_CHECKING:  # shared.ports imports this module: the unit of work is named for mypy only
    from heedful.core.access import Actor
    from heedful.core.unit_of_work import UnitOfWork


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


def audit(
    uow: UnitOfWork,
    actor: Actor,
    now: datetime,
    action: str,
    *,
    customer_id: str | None,
    entity: str,
    entity_id: str,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    """Write one entry of the audit log, in the caller's unit of work."""
    uow.audit.add(
        AuditEntry(
            id=new_id("aud_"),
            at=now,
            actor_id=actor.id,
            actor_label=actor.label,
            action=action,
            customer_id=customer_id,
            entity=entity,
            entity_id=entity_id,
            before=before,
            after=after,
        )
    )
