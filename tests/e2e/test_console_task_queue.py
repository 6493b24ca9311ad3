"""The task queue at the console, in-process: a task made by hand, handed over, done with a note."""

from __future__ import annotations

from console_world import World, log_in
from fastapi.testclient import TestClient

from heedful.core.access.model import SYSTEM, Role
from heedful.core.conversations.teams import create_team
from heedful.core.staff.model import LocationKind


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
