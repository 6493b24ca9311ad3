"""Playbooks through the HTTP API, on SQLite and PostgreSQL: write, version, dry-run, fire."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

import pytest

from heedful.core.engine.reactions import process_events
from heedful.core.playbooks.demo import BANK_CALL_BEFORE_DECLINE

if TYPE_CHECKING:
    from api_personas import Api, ApiWorld

pytest_plugins = ["api_personas"]
PROBLEM = "application/problem+json"


def _create(api: Api, body: dict[str, Any]) -> dict[str, Any]:
    response = api.post("/playbooks", json=body)
    assert response.status_code == 201, response.text
    made: dict[str, Any] = response.json()
    return made


def _vip(world: ApiWorld) -> str:
    admin = world.api(world.admin)
    anna = admin.create_customer(
        "Anna Kovalenko", segment="vip", home_location_id=world.location_a.id
    )["id"]
    consent = {"channel": "phone", "purpose": "service", "granted": True, "how": "branch"}
    response = admin.post(f"/customers/{anna}/consents", json=consent)
    assert response.status_code == 201, response.text
    return str(anna)


def _charge(world: ApiWorld, customer_id: str, n: int, amount: float) -> None:
    event = {
        "specversion": "1.0",
        "source": "core-banking",
        "id": f"chg-{n}",
        "type": "heedful.charge.scheduled",
        "data": {
            "customer": {"id": customer_id},
            "account": "UA-1",
            "amount": amount,
            "balance": 300,
            "currency": "UAH",
            "due_at": "2026-03-03T09:00:00+02:00",
        },
    }
    response = world.api(world.admin).post("/events", json=event)
    assert response.status_code in (200, 202), response.text


def test_the_bank_story_over_http_dry_run_first_then_live(api_world: ApiWorld) -> None:
    manager = api_world.api(api_world.manager_a)
    anna = _vip(api_world)
    since = api_world.clock.now().isoformat()
    _charge(api_world, anna, 1, 1200)
    _charge(api_world, anna, 2, 100)
    process_events(api_world.container.uow, api_world.clock)
    made = _create(manager, BANK_CALL_BEFORE_DECLINE)
    assert (made["enabled"], made["version"], made["event"]) == (
        False,
        1,
        "heedful.charge.scheduled",
    )
    api_world.clock.advance(timedelta(hours=1))
    window = {"since": since, "until": api_world.clock.now().isoformat()}

    dry = manager.post(f"/playbooks/{made['id']}/dry-run", json=window)

    assert dry.status_code == 200, dry.text
    report = dry.json()
    assert (report["events"], report["events_matched"], report["tasks"]) == (2, 1, 1)
    [hit] = report["would_fire"]
    assert hit["customer_name"] == "Anna Kovalenko"
    assert "data.amount 1200 > data.balance 300" in hit["reasons"]
    assert manager.get(f"/playbooks/{made['id']}/firings").json() == []

    assert manager.post(f"/playbooks/{made['id']}/enable").json()["enabled"] is True
    _charge(api_world, anna, 3, 1500)
    process_events(api_world.container.uow, api_world.clock)
    [firing] = manager.get(f"/playbooks/{made['id']}/firings").json()
    assert (firing["customer_id"], firing["version"]) == (anna, 1)
    # English for programs, and each line by key with its text in the caller's language.
    [did] = firing["done"]
    assert did.startswith("task tsk_")
    [said] = firing["done_phrases"]
    assert said["key"] == "did.task"
    assert said["params"]["id"] == did.split()[1]
    russian = manager.get(
        f"/playbooks/{made['id']}/firings", headers={"Accept-Language": "ru"}
    ).json()[0]
    assert russian["done"] == firing["done"]
    assert russian["done_phrases"][0]["text"].startswith("задача tsk_")
    comparisons = [
        line
        for line, phrase in zip(firing["reasons"], firing["reasons_phrases"], strict=True)
        if phrase is None
    ]
    assert comparisons == ["data.amount 1500 > data.balance 300"]
    [task] = api_world.api(api_world.admin).get("/tasks").json()
    assert task["title"].startswith("Call Anna Kovalenko")


def test_a_change_is_a_new_version_and_the_old_one_stays_readable(api_world: ApiWorld) -> None:
    admin = api_world.api(api_world.admin)
    made = _create(admin, BANK_CALL_BEFORE_DECLINE)
    v2 = {**BANK_CALL_BEFORE_DECLINE, "name": "v2"}
    changed = admin.request("PUT", f"/playbooks/{made['id']}", json=v2)
    assert changed.status_code == 200, changed.text
    current = admin.get(f"/playbooks/{made['id']}").json()
    assert (current["name"], current["version"]) == ("v2", 2)
    assert [v["version"] for v in current["versions"]] == [1, 2]
    first = admin.get(f"/playbooks/{made['id']}/versions/1").json()
    assert first["playbook"]["name"] == BANK_CALL_BEFORE_DECLINE["name"]
    assert admin.get(f"/playbooks/{made['id']}/versions/3").status_code == 404


@pytest.mark.parametrize(
    ("change", "field"),
    [
        pytest.param({"actions": [{"do": "create_task", "title": "x"}]}, "actions[0].assign_to"),
        pytest.param({"trigger": {"event": "heedful.nothing"}}, "trigger.event"),
        pytest.param(
            {"trigger": {"event": "heedful.charge.scheduled", "where": [{"field": "amount"}]}},
            "trigger.where[0].field",
        ),
        pytest.param({"once_per_customer": "monthly"}, "once_per_customer"),
        pytest.param({"customer": {"segment": ["gold"]}}, "customer.segment[0]"),
    ],
)
def test_a_refused_playbook_names_the_json_path(
    api_world: ApiWorld, change: dict[str, Any], field: str
) -> None:
    admin = api_world.api(api_world.admin)
    response = admin.post("/playbooks", json={**BANK_CALL_BEFORE_DECLINE, **change})
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["field"] == field
    assert admin.get("/playbooks").json() == []


def test_a_draft_is_dry_run_without_saving_it(api_world: ApiWorld) -> None:
    admin = api_world.api(api_world.admin)
    now = api_world.clock.now()
    window = {"since": (now - timedelta(days=30)).isoformat(), "until": now.isoformat()}
    good = admin.post("/playbooks/dry-run", json={**window, "playbook": BANK_CALL_BEFORE_DECLINE})
    bad = admin.post(
        "/playbooks/dry-run", json={**window, "playbook": {**BANK_CALL_BEFORE_DECLINE, "name": ""}}
    )
    assert good.status_code == 200, good.text
    assert good.json()["playbook_id"] is None
    assert bad.json()["field"] == "playbook.name"
    assert admin.get("/playbooks").json() == []


@pytest.mark.parametrize(
    ("persona", "status"),
    [("admin", 201), ("manager_a", 201), ("agent_a", 403), ("evaluator", 403)],
)
def test_managers_and_admins_write_playbooks_agents_do_not(
    api_world: ApiWorld, persona: str, status: int
) -> None:
    api = api_world.api(api_world.persona(persona))
    assert api.post("/playbooks", json=BANK_CALL_BEFORE_DECLINE).status_code == status
    assert api.get("/playbooks").status_code == (200 if status == 201 else 403)
