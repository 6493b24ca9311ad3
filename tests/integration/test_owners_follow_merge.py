"""Her owners follow a merge of her records, and an undo gives back exactly what it took (ADR 0040).

The bank's CRM knew Anna twice; her relationship manager owned the second record. Merged, the
surviving record keeps its own owners and takes the absorbed record's where it has none.
"""

from __future__ import annotations

import pytest
from promise_world import PromiseWorld, build_world

from heedful.bootstrap import Container
from heedful.core.access import Role
from heedful.core.customers.commands import CreateCustomer
from heedful.core.customers.handlers import create_customer
from heedful.core.customers.merging import merge_customers, undo_merge
from heedful.core.customers.model import Customer
from heedful.core.shared.clock import FrozenClock
from heedful.core.shared.ids import new_id
from heedful.core.staff import set_owner
from heedful.core.staff.model import StaffMember


@pytest.fixture
def world(container: Container, clock: FrozenClock) -> PromiseWorld:
    return build_world(container, clock)


def _guest(world: PromiseWorld, name: str) -> Customer:
    cmd = CreateCustomer(full_name=name, home_location_id=world.kyiv.id)
    return create_customer(cmd, world.uow, world.clock, world.admin)


def _manager(world: PromiseWorld) -> StaffMember:
    petro = StaffMember(
        id=new_id("stf_"),
        login=f"petro-{new_id()[:6]}",
        full_name="Petro Shevchenko",
        role=Role.MANAGER,
        language="uk",
        password_hash="-",
        created_at=world.clock.now(),
        location_ids=None,
    )
    with world.uow as uow:
        uow.staff.add(petro)
        uow.commit()
    return petro


def _owners(world: PromiseWorld, customer: Customer) -> dict[str, str]:
    with world.uow as uow:
        return {o.location_id: o.staff_id for o in uow.owners.list_for(customer.id)}


def test_the_survivor_takes_the_absorbed_records_owner_and_an_undo_gives_it_back(
    world: PromiseWorld,
) -> None:
    anna, twin = _guest(world, "Anna Kovalenko"), _guest(world, "Anna Kovalenko")
    iryna = world.assistant.id
    set_owner(twin.id, world.kyiv.id, iryna, world.uow, world.clock, world.admin)

    record = merge_customers(anna.id, twin.id, "same client", world.uow, world.clock, world.admin)
    assert _owners(world, anna) == {world.kyiv.id: iryna}

    undo_merge(record.id, world.uow, world.clock, world.admin)
    assert _owners(world, anna) == {}
    assert _owners(world, twin) == {world.kyiv.id: iryna}


def test_the_survivor_keeps_its_own_owner_where_it_has_one(world: PromiseWorld) -> None:
    anna, twin = _guest(world, "Anna Kovalenko"), _guest(world, "Anna Kovalenko")
    petro = _manager(world)
    set_owner(anna.id, world.kyiv.id, petro.id, world.uow, world.clock, world.admin)
    set_owner(twin.id, world.kyiv.id, world.assistant.id, world.uow, world.clock, world.admin)
    set_owner(twin.id, world.lviv.id, petro.id, world.uow, world.clock, world.admin)

    record = merge_customers(anna.id, twin.id, "same client", world.uow, world.clock, world.admin)
    assert _owners(world, anna) == {world.kyiv.id: petro.id, world.lviv.id: petro.id}

    undo_merge(record.id, world.uow, world.clock, world.admin)
    assert _owners(world, anna) == {world.kyiv.id: petro.id}
