"""The dry-run of a ``tonight`` playbook, at the console and through the API (ADR 0055).

The restaurant has two tables; three parties booked for tonight at 19:00 in Kyiv. Before
switching the host's warning on, the manager asks what it would have done since yesterday: it
would have warned about tonight's book (three for two tables), and written nothing.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import restaurant_world
from api_personas import new_token
from console_world import World, log_in
from fastapi.testclient import TestClient

from heedful.bootstrap import Container
from heedful.core.access.model import SYSTEM, Role
from heedful.core.dealings.holds import NewCapacity, set_capacity
from heedful.core.playbooks import handlers as playbooks
from heedful.core.playbooks.look_ahead_demo import WARN_THE_HOST_OVERBOOKED
from heedful.core.shared.clock import FrozenClock
from heedful.core.staff.model import Location

# The conftest clock: Monday 2 March 2026, 07:00 UTC, 09:00 in Kyiv.
AT_1900_KYIV = datetime(2026, 3, 2, 17, 0, tzinfo=UTC)


def _overbooked_tonight(world: World, container: Container, clock: FrozenClock) -> Location:
    restaurant = restaurant_world.kruchi(world)
    world.staff("olha", "Ольга Бондар", Role.MANAGER, language="uk", at=[restaurant])
    marta = world.customer("Марта Гнатюк", at=restaurant, language="uk")
    set_capacity(restaurant.id, NewCapacity(tables=2), container.uow(), clock, SYSTEM)
    restaurant_world.book(container, clock, restaurant, marta.id, [AT_1900_KYIV] * 3)
    return restaurant


def test_the_manager_dry_runs_the_hosts_warning_at_the_console_in_her_language(
    console_client: TestClient, world: World, container: Container, clock: FrozenClock
) -> None:
    kruchi = _overbooked_tonight(world, container, clock)
    made = playbooks.create_playbook(WARN_THE_HOST_OVERBOOKED, container.uow(), clock, SYSTEM)
    csrf = log_in(console_client, "olha")

    answer = console_client.post(
        f"/console/playbooks/{made.id}/dry-run",
        data={"since": "2026-03-01", "until": "2026-03-02", "csrf_token": csrf},
        headers={"HX-Request": "true"},
    )

    assert answer.status_code == 200
    text = answer.text
    assert "1 відповідала умовам" in text
    assert "1 завдання" in text
    assert f'href="/console/tonight?location_id={kruchi.id}"' in text
    assert "Ресторан «Кручі», 2026-03-02: бронювань 3 на 2 (столики), притримано 0" in text
    assert "завдання «Tonight is overbooked: 3 reservations for 2 tables, 0 held»" in text
    assert "для локації: персонал на місці" in text
    with container.uow() as uow:
        assert (
            uow.tasks.open_for(assignee_id=None, location_ids=frozenset({kruchi.id}), limit=9) == []
        )


def test_a_tonight_draft_is_dry_run_through_the_api_with_its_sentences_by_key(
    console_client: TestClient, world: World, container: Container, clock: FrozenClock
) -> None:
    kruchi = _overbooked_tonight(world, container, clock)
    persona = new_token(container, clock, "crm", Role.MANAGER, kruchi)
    now = clock.now()
    answer = console_client.post(
        "/api/v1/playbooks/dry-run",
        json={
            "since": (now - timedelta(hours=12)).isoformat(),
            "until": now.isoformat(),
            "playbook": WARN_THE_HOST_OVERBOOKED,
        },
        headers={**persona.headers, "Accept-Language": "ru"},
    )

    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert (body["subject"], body["tasks"], body["holds"]) == ("tonight", 1, 0)
    [night] = body["would_fire"]
    assert night["location_id"] == kruchi.id
    said = night["reasons_phrases"][0]
    assert said["text"].startswith("Ресторан «Кручі», 2026-03-02: броней 3 на 2 (столики)")
    assert said["key"] == "dry_run.night"
    assert (said["params"]["booked"], said["params"]["kind"]) == (3, {"": "capacity.tables"})
    assert night["actions_phrases"][0]["key"] == "dry_run.task_for_role"
