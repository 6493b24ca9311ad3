"""Import customer owners from a file: ``customer,location,owner`` (ADR 0040).

A bank moving from its CRM names each client's relationship manager per branch. The customer is
found by any identity (id, e-mail, phone, loyalty card, external id), the location by id or name,
the owner by staff login (or id). A separate file, not an ``owner`` column of the customer
import: a customer has one owner per location, so one row per customer and location says it
without a column per location. A row that names the owner already set changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from heedful.core.access import Actor, Permission
from heedful.core.customers import audit, customer_in_file
from heedful.core.shared.clock import Clock
from heedful.core.shared.errors import InvalidInput, NotFound
from heedful.core.shared.importing import (
    ImportReport,
    LocationNames,
    Outcome,
    ProgressCallback,
    Row,
    cell,
    fields_as_columns,
    import_in_batches,
)
from heedful.core.staff.owners import assign_owner
from heedful.core.unit_of_work import UnitOfWork

COLUMNS = ("customer", "location", "owner")
REQUIRED_COLUMNS = COLUMNS


def import_owners(
    rows: Iterable[Row],
    uow: UnitOfWork,
    clock: Clock,
    actor: Actor,
    *,
    batch_size: int = 500,
    on_progress: ProgressCallback | None = None,
) -> ImportReport:
    actor.require(Permission.IMPORT_DATA)
    actor.require(Permission.EDIT_CUSTOMERS)
    locations = LocationNames.load(uow)

    def import_row(row: Mapping[str, str]) -> Outcome:
        return _import_owner(row, locations, uow, clock, actor)

    return import_in_batches(rows, uow, import_row, batch_size=batch_size, on_progress=on_progress)


def _import_owner(
    row: Mapping[str, str], locations: LocationNames, uow: UnitOfWork, clock: Clock, actor: Actor
) -> Outcome:
    named = cell(row, "customer")
    customer = customer_in_file(named, uow.customers, actor) if named else None
    if customer is None:
        # The same words for nobody and for a customer the importer may not see (ADR 0024).
        raise NotFound(
            f"no customer has the id, e-mail, phone, loyalty card or external id {named!r}",
            field="customer",
        )
    location_id = locations.find(cell(row, "location"), "location")
    if location_id is None or not actor.may_act_at(location_id):
        raise InvalidInput("say a location you work at", field="location")
    staff_ref = cell(row, "owner")
    if not staff_ref:
        raise InvalidInput("say the owner's login", field="owner")
    before = uow.owners.get(customer.id, location_id)
    member = uow.staff.get(staff_ref) or uow.staff.get_by_login(staff_ref)
    if before is not None and member is not None and before.staff_id == member.id:
        return Outcome.UNCHANGED
    now = clock.now()
    with fields_as_columns({"staff_id": "owner"}):
        owner, _ = assign_owner(uow, customer.id, location_id, staff_ref, now, actor.label)
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
    return Outcome.CREATED if before is None else Outcome.UPDATED
