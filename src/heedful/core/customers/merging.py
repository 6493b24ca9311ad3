"""Use cases that join and separate records: merge, undo a merge, and identify-or-create."""

from __future__ import annotations

from datetime import datetime

from heedful.core.access import SYSTEM, Actor, Permission, load_customer
from heedful.core.customers.audit import audit
from heedful.core.customers.commands import CreateCustomer, IdentifyCustomer
from heedful.core.customers.handlers import (
    _attach_identity,
    _check_location,
    _normalised,
    create_customer,
    identity_in_use,
    note_location,
)
from heedful.core.customers.merge import (
    OWNED_ENTITIES,
    MergeRecord,
    apply_profile_change,
    plan_merge,
)
from heedful.core.customers.model import Customer, CustomerStatus, check_full_name
from heedful.core.shared.clock import Clock
from heedful.core.shared.errors import Conflict, InvalidInput, NotFound
from heedful.core.shared.ids import new_id
from heedful.core.shared.phrases import Phrase
from heedful.core.unit_of_work import UnitOfWork


def _merge_in(
    uow: UnitOfWork,
    actor: Actor,
    survivor: Customer,
    absorbed: Customer,
    reason: str,
    now: datetime,
) -> MergeRecord:
    owned = {entity: uow.owned.ids_for(entity, absorbed.id) for entity in OWNED_ENTITIES}
    record = MergeRecord(
        id=new_id("mrg_"),
        survivor_id=survivor.id,
        absorbed_id=absorbed.id,
        merged_at=now,
        merged_by=actor.id,
        merged_by_label=actor.label,
        reason=reason,
        changes=plan_merge(survivor, absorbed, owned),
        survivor_before=survivor.snapshot(),
        absorbed_before=absorbed.snapshot(),
    )
    for entity, ids in owned.items():
        uow.owned.move(entity, ids, survivor.id)
    for follower in uow.merge_followers:  # her survey cap and churn risk, for one
        follower.follow_merge(survivor.id, absorbed.id, now)
    for change in record.changes:
        if change.entity == "customer":
            target = survivor if change.entity_id == survivor.id else absorbed
            apply_profile_change(target, change, change.after)
    survivor.updated_at = absorbed.updated_at = now
    uow.customers.update(survivor)
    uow.customers.update(absorbed)
    uow.merges.add(record)
    summary = {
        "merge_id": record.id,
        "survivor_id": survivor.id,
        "absorbed_id": absorbed.id,
        "reason": reason,
        "changes": len(record.changes),
    }
    for customer in (survivor, absorbed):
        audit(
            uow,
            actor,
            now,
            "customers.merged",
            customer_id=customer.id,
            entity="merge",
            entity_id=record.id,
            after=summary,
        )
    return record


def merge_customers(
    survivor_id: str, absorbed_id: str, reason: str, uow: UnitOfWork, clock: Clock, actor: Actor
) -> MergeRecord:
    actor.require(Permission.MERGE_CUSTOMERS)
    if survivor_id == absorbed_id:
        raise InvalidInput(
            "a customer cannot be merged with itself",
            said=Phrase("refusal.merge_itself"),
            field="absorbed_id",
        )
    now = clock.now()
    with uow:
        survivor = load_customer(uow, actor, survivor_id, follow_merge=False)
        absorbed = load_customer(uow, actor, absorbed_id, follow_merge=False)
        for customer, field in ((survivor, "survivor_id"), (absorbed, "absorbed_id")):
            if not customer.is_active:
                raise Conflict(
                    f"customer {customer.id} is {customer.status.value}",
                    said=Phrase(
                        "refusal.customer_merged"
                        if customer.status is CustomerStatus.MERGED
                        else "refusal.customer_erased"
                    ),
                    field=field,
                )
        record = _merge_in(uow, actor, survivor, absorbed, reason.strip() or "merged by staff", now)
        uow.commit()
    return record


def merge_record(merge_id: str, uow: UnitOfWork, actor: Actor) -> MergeRecord:
    """A merge and its changes, for staff who may merge and may see one of its two records.

    A merge names both people and the fields it copied (a name, a birthday): staff of another
    location get "not found", as they would for either customer.
    """
    actor.require(Permission.MERGE_CUSTOMERS)
    with uow:
        record = uow.merges.get(merge_id)
        ids = (record.survivor_id, record.absorbed_id) if record else ()
        people = [person for person in map(uow.customers.get, ids) if person is not None]
        if record is None or not any(actor.may_see_customer_at(p.location_ids) for p in people):
            raise NotFound(f"no merge {merge_id}", said=Phrase("refusal.no_merge"))
        return record


def undo_merge(merge_id: str, uow: UnitOfWork, clock: Clock, actor: Actor) -> MergeRecord:
    """Both records back as they were before the merge.

    What was added to the survivor after the merge stays with the survivor; a survivor field that
    staff changed since the merge keeps its new value. The survivor must still be a customer of its
    own: a later merge of it is undone first.
    """
    actor.require(Permission.UNDO_MERGE)
    now = clock.now()
    with uow:
        record = uow.merges.get(merge_id)
        if record is None:
            raise NotFound(f"no merge {merge_id}", said=Phrase("refusal.no_merge"))
        if record.is_undone:
            raise Conflict(
                "this merge was already undone",
                said=Phrase("refusal.merge_undone"),
                field="merge_id",
            )
        survivor = uow.customers.get(record.survivor_id)
        absorbed = uow.customers.get(record.absorbed_id)
        if absorbed is None or absorbed.status is not CustomerStatus.MERGED:
            raise Conflict(
                "the absorbed record is no longer there to restore",
                said=Phrase("refusal.merge_absorbed_gone"),
                field="merge_id",
            )
        if survivor is None or not survivor.is_active:
            raise Conflict(
                "the surviving record has since been merged or erased; undo that first",
                said=Phrase("refusal.merge_survivor_changed"),
                field="merge_id",
            )
        for entity in OWNED_ENTITIES:
            moved = [c.entity_id for c in record.changes if c.entity == entity]
            owners = uow.owned.owner_of(entity, moved)
            still_here = [i for i in moved if owners.get(i) == survivor.id]
            uow.owned.move(entity, still_here, absorbed.id)
            if len(still_here) < len(moved):
                record.notes.append(
                    f"{len(moved) - len(still_here)} {entity} rows were gone and stay gone"
                )
        for change in record.changes:
            if change.entity != "customer" or change.entity_id != survivor.id:
                continue
            current = survivor.profile().get(change.field, sorted(survivor.location_ids))
            if change.field == "location_ids":
                added_by_merge = set(change.after) - set(change.before)
                survivor.location_ids -= added_by_merge
                survivor.location_ids |= set(change.before)
            elif current == change.after:
                apply_profile_change(survivor, change, change.before)
            else:
                record.notes.append(
                    f"{change.field} was changed after the merge and keeps its new value"
                )
        for follower in uow.merge_followers:
            follower.follow_undo(survivor.id, absorbed.id, now)
        restored = Customer.from_snapshot(record.absorbed_before)
        survivor.updated_at = now
        uow.customers.update(survivor)
        uow.customers.update(restored)
        record.undone_at, record.undone_by = now, actor.id
        uow.merges.update(record)
        for customer_id in (survivor.id, restored.id):
            audit(
                uow,
                actor,
                now,
                "customers.merge_undone",
                customer_id=customer_id,
                entity="merge",
                entity_id=record.id,
                after={"merge_id": record.id, "notes": record.notes},
            )
        uow.commit()
    return record


def identify_customer(
    cmd: IdentifyCustomer, uow: UnitOfWork, clock: Clock, actor: Actor
) -> Customer:
    """Find the one customer behind identities that arrived together, creating or merging as needed.

    Two records that each hold one of the identities are the same person (the phone from the shop,
    the e-mail from the web chat): the older record survives and absorbs the newer one.
    """
    actor.require(Permission.EDIT_CUSTOMERS)
    if not cmd.identities:
        raise InvalidInput("give at least one identity", field="identities")
    if not actor.sees_every_location and cmd.location_id is None:
        # Staff scoped to locations only ever see customers known at one of them.
        raise InvalidInput(
            "say at which of your locations the customer is known",
            said=Phrase("refusal.customer_location"),
            field="location_id",
        )
    if cmd.full_name is not None:
        # Checked even when the person is found and the name is not used: a refused character
        # is refused on every path, not only when it would be stored.
        check_full_name(cmd.full_name)
    now = clock.now()
    # One transaction from look-up to decision: two channels identifying the same person at once
    # must not both find nobody and both create a customer.
    with uow:
        _check_location(uow, actor, cmd.location_id, "location_id")
        owners: dict[str, Customer] = {}
        for index, new in enumerate(cmd.identities):
            field = f"identities[{index}].value"
            existing = uow.customers.find_by_identity(new.kind, _normalised(new, field))
            if existing is None or existing.status is not CustomerStatus.ACTIVE:
                continue
            if not actor.may_see_customer_at(existing.location_ids):
                # A guest of another location: neither shown nor linked. The answer is the one
                # a taken identity always gets, with no id (ADR 0024); an administrator links
                # her on purpose when she is the same person.
                raise identity_in_use(uow, actor, new.kind, existing.id, field)
            owners.setdefault(existing.id, existing)
        if not owners:
            created = create_customer(
                CreateCustomer(
                    full_name=cmd.full_name or _name_from(cmd),
                    language=cmd.language or "en",
                    time_zone=cmd.time_zone,
                    home_location_id=cmd.location_id,
                    identities=cmd.identities,
                ),
                uow,
                clock,
                actor,
            )
            uow.commit()
            return created
        ranked = sorted(owners.values(), key=lambda c: (c.created_at, c.id))
        # Only staff who already see every owner get here: admins and the system (the chat, the
        # mail) across locations, scoped staff within theirs. Recording the location below,
        # audited, is what then lets that location's staff see the customer.
        survivor = ranked[0]
        for absorbed in ranked[1:]:
            shared = ", ".join(f"{i.kind.value} {_normalised(i, 'value')}" for i in cmd.identities)
            # The system merges on the integrator's behalf; the log names both.
            _merge_in(
                uow,
                SYSTEM if actor.sees_every_location else actor,
                survivor,
                absorbed,
                f"same person arrived with {shared} (via {actor.label})",
                now,
            )
        for index, new in enumerate(cmd.identities):
            _attach_identity(uow, actor, survivor, new, now, f"identities[{index}].value")
        note_location(uow, actor, now, survivor, cmd.location_id)
        uow.commit()
    return survivor


def _name_from(cmd: IdentifyCustomer) -> str:
    first = cmd.identities[0]
    return first.value.split("@")[0] if first.value else "Unknown"
