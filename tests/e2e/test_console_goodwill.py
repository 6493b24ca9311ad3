"""Goodwill at the console, in-process: setting allowances, giving from a task, the approvals page.

The browser test (test_goodwill_browser.py) drives the card and the approval as people would; here
the forms' answers are checked in each language, errors next to their fields included.
"""

from __future__ import annotations

from console_world import World, log_in
from fastapi.testclient import TestClient

from heedful.core.access.model import SYSTEM, Role
from heedful.core.shared.ids import new_id
from heedful.core.staff.model import Location, LocationKind
from heedful.core.tasks.model import Task, TaskKind


def _restaurant(world: World) -> Location:
    samna = world.location(
        "Samna", city="Kyiv", country="UA", time_zone="Europe/Kyiv", kind=LocationKind.RESTAURANT
    )
    world.staff("taras", "Taras Shevchuk", Role.MANAGER, language="uk", at=[samna])
    world.staff("oksana", "Oksana Bondar", Role.AGENT, language="ru", at=[samna])
    return samna


def test_a_manager_sets_an_allowance_and_a_bad_threshold_is_said_next_to_its_field(
    world: World, console_client: TestClient
) -> None:
    samna = _restaurant(world)
    csrf = log_in(console_client, "taras")
    form = {
        "csrf_token": csrf,
        "location_id": samna.id,
        "holder": "role:agent",
        "kind": "dessert",
        "amount": "5",
        "period": "month",
        "approval_above": "9",
    }
    refused = console_client.post("/console/goodwill/allowances", data=form)
    assert refused.status_code == 422
    assert "Поріг схвалення має бути меншим за ліміт." in refused.text
    assert 'value="9" maxlength="12" aria-invalid="true"' in refused.text

    saved = console_client.post(
        "/console/goodwill/allowances", data={**form, "approval_above": "2"}, follow_redirects=True
    )
    assert saved.status_code == 200
    assert "Десерт від закладу" in saved.text
    assert "на місяць" in saved.text


def test_an_agent_gives_from_a_task_and_the_manager_sees_it_waiting_in_ukrainian(
    world: World, console_client: TestClient
) -> None:
    samna = _restaurant(world)
    guest = world.customer("Anna Koval", at=samna)
    console_client.cookies.clear()
    csrf = log_in(console_client, "taras")
    console_client.post(
        "/console/goodwill/allowances",
        data={
            "csrf_token": csrf,
            "location_id": samna.id,
            "holder": "role:agent",
            "kind": "dessert",
            "amount": "5",
            "period": "month",
            "approval_above": "1",
        },
    )
    task = Task(
        id=new_id("tsk_"),
        kind=TaskKind.FOLLOW_UP,
        title="Apologise for the wait",
        location_id=samna.id,
        created_at=world.container.clock.now(),
        created_by_label=SYSTEM.label,
        customer_id=guest.id,
    )
    with world.container.uow() as uow:
        uow.tasks.add(task)
        uow.commit()

    console_client.cookies.clear()
    csrf = log_in(console_client, "oksana")
    queue = console_client.get("/console/tasks")
    link = f"/console/goodwill/give?customer_id={guest.id}&amp;task_id={task.id}"
    assert link in queue.text
    page = console_client.get(link.replace("&amp;", "&"))
    assert "Десерт от заведения" in page.text
    assert "осталось 5" in page.text
    given = console_client.post(
        f"/console/customers/{guest.id}/goodwill",
        data={
            "csrf_token": csrf,
            "kind": f"{samna.id}|dessert|",
            "amount": "2",
            "reason": "ждали 40 минут",
            "task_id": task.id,
        },
        follow_redirects=False,
    )
    assert given.status_code == 303
    assert given.headers["location"] == "/console/tasks"
    too_many = console_client.post(
        f"/console/customers/{guest.id}/goodwill",
        data={"csrf_token": csrf, "kind": f"{samna.id}|dessert|", "amount": "4", "reason": "x"},
    )
    assert too_many.status_code == 422
    assert "В вашем лимите на этот месяц осталось 3 × dessert." in too_many.text

    console_client.cookies.clear()
    log_in(console_client, "taras")
    waiting = console_client.get("/console/goodwill/approvals")
    assert "ждали 40 минут" in waiting.text
    assert "Чекає на схвалення" not in waiting.text  # the page lists them; the card says the state
    assert "Схвалити" in waiting.text
