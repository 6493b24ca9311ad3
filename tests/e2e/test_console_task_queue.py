"""The task queue at the console, in-process: a task made by hand, handed over, done with a note."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from console_world import World, log_in
from fastapi.testclient import TestClient

from heedful.core.access.model import SYSTEM, Role
from heedful.core.conversations.teams import create_team
from heedful.core.promises.handlers import MakePromise, make_promise
from heedful.core.promises.model import Promise, PromiseKind
from heedful.core.shared.clock import FrozenClock
from heedful.core.staff.model import Location, LocationKind
from heedful.core.tasks import TaskKind, reminder
from heedful.entrypoints.worker.jobs import close_stale_tasks


def test_a_manager_adds_a_task_an_agent_hands_it_over_and_it_is_done_with_an_outcome(
    world: World, console_client: TestClient
) -> None:
    samna = world.location(
        "Samna", city="Kyiv", country="UA", time_zone="Europe/Kyiv", kind=LocationKind.RESTAURANT
    )
    world.staff("taras", "Taras Shevchuk", Role.MANAGER, language="uk", at=[samna])
    oksana = world.staff("oksana", "Oksana Bondar", Role.AGENT, language="ru", at=[samna])
    csrf = log_in(console_client, "taras")
    empty = console_client.post(
        "/console/tasks", data={"csrf_token": csrf, "location_id": samna.id, "holder": "role:agent"}
    )
    assert empty.status_code == 422
    assert "aria-invalid" in empty.text
    added = console_client.post(
        "/console/tasks",
        data={
            "csrf_token": csrf,
            "title": "Накрити стіл на день народження",
            "location_id": samna.id,
            "holder": "role:agent",
        },
        headers={"HX-Request": "true"},
    )
    assert "Завдання додано." in added.text

    console_client.cookies.clear()
    csrf = log_in(console_client, "oksana")
    queue = console_client.get("/console/tasks")
    assert "Накрити стіл на день народження" in queue.text
    task_id = "tsk_" + queue.text.split('id="task-tsk_', 1)[1].split('"', 1)[0]
    handed = console_client.post(
        f"/console/tasks/{task_id}/assignment",
        data={"csrf_token": csrf, "holder": f"staff:{oksana.id}"},
        headers={"HX-Request": "true"},
    )
    assert "Передано." in handed.text
    assert "Для: Oksana Bondar" in handed.text
    done = console_client.post(
        f"/console/tasks/{task_id}/done",
        data={"csrf_token": csrf, "outcome": "стол 4, свечи"},
        headers={"HX-Request": "true"},
    )
    assert "Накрити стіл на день народження" in done.text  # the notice names it
    with world.container.uow() as uow:
        task = uow.tasks.get(task_id)
    assert task is not None
    assert (task.outcome, task.done_by_label) == ("стол 4, свечи", "Oksana Bondar")


def _promise_with_both_tasks(
    world: World, clock: FrozenClock, samna: Location, customer_id: str
) -> Promise:
    """A promise broken two months ago whose "due soon" was never closed (tasks from before
    promises closed their own tasks): a "due soon" and a "broken" for the same promise."""
    promise = make_promise(
        MakePromise(
            customer_id=customer_id,
            kind=PromiseKind.CALL_BACK,
            location_id=samna.id,
            text="передзвонити щодо банкету",
            due_at=clock.now() + timedelta(hours=2),
        ),
        world.container.uow(),
        clock,
        SYSTEM,
    )
    with world.container.uow() as uow:
        stored = uow.promises.get(promise.id, for_change=True)
        assert stored is not None
        assert promise.due_at is not None
        stored.break_(promise.due_at, SYSTEM.label, "the deadline passed")
        uow.promises.update(stored)
        for kind, title, due in (
            (TaskKind.PROMISE_REMINDER, "Due soon: передзвонити", promise.due_at),
            (TaskKind.PROMISE_ESCALATION, "Broken promise: передзвонити", None),
        ):
            task = reminder(
                kind,
                title,
                samna.id,
                clock.now(),
                customer_id=customer_id,
                promise_id=promise.id,
                holder_id=None,
                due_at=due,
            )
            uow.tasks.add(replace(task, assignee_role=Role.MANAGER))
        uow.commit()
    clock.advance(timedelta(days=60))
    return promise


@pytest.mark.parametrize(
    ("language", "done_today", "by_itself"),
    [
        ("uk", "Зроблено сьогодні", "закрито саме: обіцянку вже завершено"),
        ("ru", "Сделано сегодня", "закрыта сама: обещание уже завершено"),
        ("en", "Done today", "closed by itself: its promise has ended"),
    ],
)
def test_a_stale_due_soon_task_of_an_ended_promise_closes_itself_and_shows_as_done(
    world: World,
    clock: FrozenClock,
    console_client: TestClient,
    language: str,
    done_today: str,
    by_itself: str,
) -> None:
    samna = world.location("Samna", city="Kyiv", country="UA", time_zone="Europe/Kyiv")
    world.staff("taras", "Taras Shevchuk", Role.MANAGER, language=language, at=[samna])
    anna = world.customer("Анна Коваль", at=samna)
    promise = _promise_with_both_tasks(world, clock, samna, anna.id)
    log_in(console_client, "taras")
    # Reading the list writes nothing: both tasks are there until the worker's pass.
    before = console_client.get("/console/tasks").text.split('id="tasks-done"')[0]
    assert "Due soon: передзвонити" in before
    assert close_stale_tasks(world.container) == 1

    page = console_client.get("/console/tasks").text
    open_part, done_part = page.split('id="tasks-done"')
    # Only the broken promise's escalation is left to do: no "due soon" beside it.
    assert "Broken promise: передзвонити" in open_part
    assert "Due soon: передзвонити" not in open_part
    assert done_today in done_part
    assert "Due soon: передзвонити" in done_part
    assert by_itself in done_part
    with world.container.uow() as uow:
        left = uow.tasks.open_for_promise(promise.id)
    assert [t.kind for t in left] == [TaskKind.PROMISE_ESCALATION]
    # The next pass finds nothing more to close.
    assert close_stale_tasks(world.container) == 0
    assert console_client.get("/console/tasks").text.count("Due soon: передзвонити") == 1


def test_a_manager_hands_a_task_to_a_team_whose_member_sees_it_and_an_outsider_does_not(
    world: World, console_client: TestClient
) -> None:
    samna = world.location(
        "Samna", city="Kyiv", country="UA", time_zone="Europe/Kyiv", kind=LocationKind.RESTAURANT
    )
    world.staff("taras", "Taras Shevchuk", Role.MANAGER, language="uk", at=[samna])
    oksana = world.staff("oksana", "Оксана Бондар", Role.AGENT, language="uk", at=[samna])
    world.staff("petro", "Петро Коваль", Role.AGENT, language="ru", at=[samna])
    team = create_team(
        "Банкети",
        world.container.uow(),
        world.container.clock,
        SYSTEM,
        location_id=samna.id,
        member_ids=[oksana.id],
    )
    csrf = log_in(console_client, "taras")
    console_client.post(
        "/console/tasks",
        data={
            "csrf_token": csrf,
            "title": "Підготувати банкет на 20 осіб",
            "location_id": samna.id,
            "holder": "role:manager",
        },
    )
    queue = console_client.get("/console/tasks")
    task_id = "tsk_" + queue.text.split('id="task-tsk_', 1)[1].split('"', 1)[0]
    assert f'value="team:{team.id}"' in queue.text
    handed = console_client.post(
        f"/console/tasks/{task_id}/assignment",
        data={"csrf_token": csrf, "holder": f"team:{team.id}"},
        headers={"HX-Request": "true"},
    )
    assert "Передано." in handed.text

    console_client.cookies.clear()
    log_in(console_client, "oksana")
    mine = console_client.get("/console/tasks")
    assert "Підготувати банкет на 20 осіб" in mine.text
    assert "Для команди: Банкети" in mine.text
    console_client.cookies.clear()
    log_in(console_client, "petro")
    assert "Підготувати банкет на 20 осіб" not in console_client.get("/console/tasks").text
