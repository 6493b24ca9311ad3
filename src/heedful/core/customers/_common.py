"""Steps every customer use case shares: finding a visible record and writing the audit log."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from heedful.core.access.model import Actor, Permission
from heedful.core.customers.audit import AuditEntry
from heedful.core.customers.model import Customer, CustomerStatus
from heedful.core.shared.errors import Conflict, NotFound
from heedful.core.shared.ids import new_id
from heedful.core.shared.ports import CustomerScope, UnitOfWork

_MAX_MERGE_HOPS = 20


def scope_of(actor: Actor) -> CustomerScope:
    return CustomerScope(None if actor.sees_every_location else actor.location_ids)


def load_customer(
    uow: UnitOfWork,
    actor: Actor,
    customer_id: str,
    *,
    follow_merge: bool = True,
    for_change: bool = False,
) -> Customer:
    """The customer as this actor may see it.

    A record merged into another answers with the survivor, so that old links keep working. A
    customer outside the actor's locations is "not found", not "forbidden": staff must not learn
    that a guest of another hotel exists.
    """
    actor.require(Permission.VIEW_CUSTOMERS)
    customer = uow.customers.get(customer_id)
    hops = 0
    while (
        follow_merge
        and customer is not None
        and customer.status is CustomerStatus.MERGED
        and customer.merged_into_id
        and hops < _MAX_MERGE_HOPS
    ):
        customer = uow.customers.get(customer.merged_into_id)
        hops += 1
    if customer is None or not actor.may_see_customer_at(customer.location_ids):
        raise NotFound(f"no customer {customer_id}")
    if for_change and customer.status is CustomerStatus.ERASED:
        # An erased record keeps only numbers; writing to it would start a profile again.
        raise Conflict("this customer was erased", field="customer_id")
    return customer


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
