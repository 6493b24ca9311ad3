"""Relationship owners: the staff member who looks after a customer at a location.

The bank's VIP has a relationship manager; the hotel's regular guest has the guest-relations
manager who knows her. Playbooks address "the customer's owner" (ADR 0040); where nobody owns her,
the location's managers get the task, so it never goes to nobody.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from heedful.core.access import Actor, Permission, Role, load_customer
from heedful.core.customers import audit
from heedful.core.shared.clock import Clock
from heedful.core.shared.errors import InvalidInput, NotFound
from heedful.core.shared.phrases import Phrase
from heedful.core.unit_of_work import UnitOfWork

# Owners are people who serve customers: not admins of the whole system, not mystery shoppers.
OWNER_ROLES = frozenset({Role.MANAGER, Role.AGENT})


@dataclass(frozen=True)
class Owner:
    customer_id: str
    location_id: str
    staff_id: str
    staff_name: str
    set_at: datetime
    set_by_label: str


class OwnerRepository(Protocol):
    def get(self, customer_id: str, location_id: str) -> Owner | None: ...
    def put(self, owner: Owner) -> None:
        """Sets or replaces the owner at the location (one per customer and location)."""
        ...

    def remove(self, customer_id: str, location_id: str) -> bool: ...
    def list_for(self, customer_id: str) -> list[Owner]: ...


def set_owner(
    customer_id: str,
    location_id: str,
    staff_id: str,
    uow: UnitOfWork,
    clock: Clock,
    actor: Actor,
) -> Owner:
    """Makes ``staff_id`` her owner at the location; a manager or agent working there."""
    actor.require(Permission.EDIT_CUSTOMERS)
    now = clock.now()
    with uow:
        customer = load_customer(uow, actor, customer_id)
        if uow.locations.get(location_id) is None or not actor.may_act_at(location_id):
            raise NotFound(
                f"no location {location_id}",
                said=Phrase("refusal.no_location"),
                field="location_id",
            )
        owner, before = assign_owner(uow, customer.id, location_id, staff_id, now, actor.label)
        audit(
            uow,
            actor,
            now,
            "customer.owner_set",
            customer_id=customer.id,
            entity="owner",
            entity_id=location_id,
            before=None if before is None else {"staff_id": before.staff_id},
            after={"staff_id": owner.staff_id, "location_id": location_id},
        )
        uow.commit()
    return owner


def assign_owner(
    uow: UnitOfWork, customer_id: str, location_id: str, staff_ref: str, now: datetime, by: str
) -> tuple[Owner, Owner | None]:
    """Stores the owner (a staff member by id, or by login from a business system's event).

    Returns the new owner and the one before; refuses anyone who could not take her tasks.
    """
    member = uow.staff.get(staff_ref) or uow.staff.get_by_login(staff_ref)
    if member is None or not member.active:
        raise InvalidInput(f"no active staff member {staff_ref}", field="staff_id")
    if member.role not in OWNER_ROLES:
        raise InvalidInput("an owner is a manager or an agent", field="staff_id")
    if member.location_ids is not None and location_id not in member.location_ids:
        raise InvalidInput(f"{member.full_name} does not work there", field="staff_id")
    before = uow.owners.get(customer_id, location_id)
    owner = Owner(customer_id, location_id, member.id, member.full_name, now, by)
    uow.owners.put(owner)
    return owner, before


def remove_owner(
    customer_id: str, location_id: str, uow: UnitOfWork, clock: Clock, actor: Actor
) -> bool:
    actor.require(Permission.EDIT_CUSTOMERS)
    now = clock.now()
    with uow:
        customer = load_customer(uow, actor, customer_id)
        if not actor.may_act_at(location_id):
            raise NotFound(
                f"no location {location_id}",
                said=Phrase("refusal.no_location"),
                field="location_id",
            )
        removed = uow.owners.remove(customer.id, location_id)
        if removed:
            audit(
                uow,
                actor,
                now,
                "customer.owner_removed",
                customer_id=customer.id,
                entity="owner",
                entity_id=location_id,
            )
        uow.commit()
    return removed


def owners_of(customer_id: str, uow: UnitOfWork, actor: Actor) -> list[Owner]:
    """Her owners at the reader's locations."""
    with uow:
        customer = load_customer(uow, actor, customer_id)
        return [o for o in uow.owners.list_for(customer.id) if actor.may_act_at(o.location_id)]


def _merged_label(absorbed_id: str) -> str:
    return f"merge of {absorbed_id}"


class OwnersFollowMerge:
    """Her owners follow a merge of her records (a ``MergeFollower``, ADR 0040).

    The surviving record keeps its own owner at each location and takes the absorbed record's
    owner where it has none: the bank's relationship manager still gets the call for the merged
    customer. The absorbed record keeps its rows, so an undo removes from the survivor exactly
    the owners the merge gave it (marked ``set_by_label`` "merge of <id>") and nothing else.
    """

    def __init__(self, owners: OwnerRepository) -> None:
        self._owners = owners

    def follow_merge(self, survivor_id: str, absorbed_id: str, now: datetime) -> None:
        held = {owner.location_id for owner in self._owners.list_for(survivor_id)}
        for theirs in self._owners.list_for(absorbed_id):
            if theirs.location_id in held:
                continue
            label = _merged_label(absorbed_id)
            where, who = theirs.location_id, theirs.staff_id
            self._owners.put(Owner(survivor_id, where, who, theirs.staff_name, now, label))

    def follow_undo(self, survivor_id: str, restored_id: str, now: datetime) -> None:  # noqa: ARG002
        label = _merged_label(restored_id)
        for owner in self._owners.list_for(survivor_id):
            if owner.set_by_label == label:
                self._owners.remove(survivor_id, owner.location_id)
