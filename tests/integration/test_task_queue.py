"""The task queue staff live in, on storage: made by hand, handed over, done with a note."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from promise_world import PromiseWorld, build_world

from heedful.bootstrap import Container
from heedful.core.access.model import Actor, Role
from heedful.core.calendar import LocationBusinessHours
from heedful.core.shared.clock import FrozenClock
from heedful.core.shared.errors import Forbidden, InvalidInput
from heedful.core.shared.ids import new_id
from heedful.core.sla.calendar_days import set_opening_hours
from heedful.core.tasks import NewTask, complete_task, create_task, list_open_tasks, reassign_task


@pytest.fixture
def world(container: Container, clock: FrozenClock) -> PromiseWorld:
    return build_world(container, clock)


def test_a_task_made_by_hand_is_due_in_business_time_handed_over_and_done_with_its_outcome(
    world: PromiseWorld,
) -> None:
    set_opening_hours(
        world.kyiv.id, {"mon-fri": ["09:00-18:00"]}, "", world.uow, world.clock, world.admin
    )
    world.clock.set(datetime(2026, 3, 6, 15, 0, tzinfo=UTC))  # Friday 17:00 in Kyiv
    manager = Actor(new_id("stf_"), "Taras", Role.MANAGER, frozenset({world.kyiv.id}))
    anna = world.customer("Anna Koval")
    uow = world.uow
    task = create_task(
        NewTask(
            title="Set her birthday table by the window",
            location_id=world.kyiv.id,
            customer_id=anna.id,
            due_in_business_minutes=120,
        ),
        uow,
        world.clock,
        manager,
        LocationBusinessHours(uow),
    )
    # One business hour left on Friday, one on Monday from 09:00: Monday 10:00 in Kyiv.
    assert task.due_at == datetime(2026, 3, 9, 8, 0, tzinfo=UTC)
    assert task.assignee_role is Role.AGENT
    assert [t.id for t in list_open_tasks(world.uow, world.assistant)] == [task.id]

    reassign_task(task.id, world.uow, world.clock, manager, assignee_role=Role.MANAGER)
    assert list_open_tasks(world.uow, world.assistant) == []
    with pytest.raises(Forbidden):
        complete_task(task.id, world.uow, world.clock, world.assistant)
    reassign_task(task.id, world.uow, world.clock, manager, assignee_id=world.assistant.id)

    done = complete_task(
        task.id, world.uow, world.clock, world.assistant, "  table 4 set,   balloons ready "
    )
    assert done.outcome == "table 4 set, balloons ready"
    with world.uow as uow:
        stored = uow.tasks.get(task.id)
    assert stored is not None
    assert (stored.outcome, stored.done_by_label) == ("table 4 set, balloons ready", "Iryna Melnyk")


def test_a_task_for_someone_who_does_not_work_there_is_refused_naming_the_field(
    world: PromiseWorld,
) -> None:
    with pytest.raises(InvalidInput) as refused:
        create_task(
            NewTask("Call back", world.lviv.id, assignee_id=world.assistant.id),
            world.uow,
            world.clock,
            world.admin,
        )
    assert refused.value.field == "assignee_id"
