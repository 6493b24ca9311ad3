"""Tasks to a team, on SQLite and PostgreSQL (ADR 0051).

A manager hands a task to the returns team: each member sees it in her list and may close it;
an agent outside the team does not see it. Handed to the customer's owner, it goes to the staff
member who looks after her at that location (ADR 0040), and leaves the team's lists.
"""

from __future__ import annotations

import pytest
from promise_world import PromiseWorld, build_world

from heedful.bootstrap import Container
from heedful.core.access.model import Actor, Role
from heedful.core.conversations.teams import create_team
from heedful.core.shared.clock import FrozenClock
from heedful.core.shared.errors import Forbidden, InvalidInput
from heedful.core.shared.ids import new_id
from heedful.core.staff import set_owner
from heedful.core.staff.model import StaffMember
from heedful.core.tasks import NewTask, complete_task, create_task, list_open_tasks, reassign_task


@pytest.fixture
def world(container: Container, clock: FrozenClock) -> PromiseWorld:
    return build_world(container, clock)


def _agent(world: PromiseWorld, name: str) -> Actor:
    member = StaffMember(
        id=new_id("stf_"),
        login=f"agent-{new_id()[:6]}",
        full_name=name,
        role=Role.AGENT,
        language="uk",
        password_hash="-",
        created_at=world.clock.now(),
        location_ids=frozenset({world.kyiv.id}),
    )
    with world.uow as uow:
        uow.staff.add(member)
        uow.commit()
    return Actor(member.id, name, Role.AGENT, frozenset({world.kyiv.id}))


def test_a_team_task_is_in_each_members_list_and_the_owner_takes_it_from_there(
    world: PromiseWorld,
) -> None:
    manager = Actor(new_id("stf_"), "Taras", Role.MANAGER, frozenset({world.kyiv.id}))
    petro = _agent(world, "Петро Коваль")
    anna = world.customer("Анна Коваль")
    returns = create_team(
        "Повернення",
        world.uow,
        world.clock,
        world.admin,
        location_id=world.kyiv.id,
        member_ids=[world.assistant.id],
    )
    task = create_task(
        NewTask("Повернути передоплату", world.kyiv.id, customer_id=anna.id),
        world.uow,
        world.clock,
        manager,
    )

    moved = reassign_task(task.id, world.uow, world.clock, manager, team_id=returns.id)
    assert (moved.team_id, moved.assignee_id, moved.assignee_role) == (returns.id, None, None)
    assert [t.id for t in list_open_tasks(world.uow, world.assistant)] == [task.id]
    assert list_open_tasks(world.uow, petro) == []
    with pytest.raises(Forbidden):
        complete_task(task.id, world.uow, world.clock, petro)

    set_owner(anna.id, world.kyiv.id, petro.id, world.uow, world.clock, world.admin)
    # A team member hands it on herself: it is in her queue.
    owned = reassign_task(task.id, world.uow, world.clock, world.assistant, to_owner=True)
    assert (owned.assignee_id, owned.team_id) == (petro.id, None)
    assert list_open_tasks(world.uow, world.assistant) == []
    done = complete_task(task.id, world.uow, world.clock, petro, "повернули 950 грн")
    assert done.outcome == "повернули 950 грн"


def test_a_team_of_another_location_or_two_holders_at_once_are_refused(
    world: PromiseWorld,
) -> None:
    anna = world.customer("Анна Коваль")
    lviv_team = create_team("Львів", world.uow, world.clock, world.admin, location_id=world.lviv.id)
    task = create_task(
        NewTask("Передзвонити", world.kyiv.id, customer_id=anna.id),
        world.uow,
        world.clock,
        world.admin,
    )
    with pytest.raises(InvalidInput) as elsewhere:
        reassign_task(task.id, world.uow, world.clock, world.admin, team_id=lviv_team.id)
    assert elsewhere.value.field == "team_id"
    with pytest.raises(InvalidInput):
        reassign_task(
            task.id, world.uow, world.clock, world.admin, team_id=lviv_team.id, to_owner=True
        )
    with pytest.raises(InvalidInput) as nobody:
        reassign_task(task.id, world.uow, world.clock, world.admin, to_owner=True)
    assert "owner" in str(nobody.value)


def test_a_task_made_for_a_team_goes_to_no_role_and_no_one_else(world: PromiseWorld) -> None:
    petro = _agent(world, "Петро Коваль")
    kitchen = create_team(
        "Кухня",
        world.uow,
        world.clock,
        world.admin,
        location_id=world.kyiv.id,
        member_ids=[petro.id],
    )
    task = create_task(
        NewTask("Торт без горіхів на 19:00", world.kyiv.id, team_id=kitchen.id),
        world.uow,
        world.clock,
        world.admin,
    )
    assert (task.team_id, task.assignee_id, task.assignee_role) == (kitchen.id, None, None)
    assert [t.id for t in list_open_tasks(world.uow, petro)] == [task.id]
    assert list_open_tasks(world.uow, world.assistant) == []
    with pytest.raises(InvalidInput):
        create_task(
            NewTask("Двічі", world.kyiv.id, team_id=kitchen.id, assignee_id=petro.id),
            world.uow,
            world.clock,
            world.admin,
        )
