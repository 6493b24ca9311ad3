"""Lists and reports show location B's staff nothing of location A (ADR 0009, 0029).

Zinaida is a guest of A with something in every list: an open promise, a task, a dead message,
a chat, an answered conversation, a recovery loop and a churn risk. A's agent sees her in each
list (so the check is not vacuous); B's agent and manager see her in none, and the reports and
their CSV exports count none of A's figures for them, even when they ask for A by id.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

import pytest
from scope_world import dead_message_at, recovery_at, task_at

from heedful.core.access.model import SYSTEM
from heedful.core.history.handlers import RecordHistory, record_history
from heedful.core.history.model import HistoryKind

if TYPE_CHECKING:
    from api_personas import ApiWorld

pytest_plugins = ["api_personas"]
NAME = "Zinaida Leakova"
EMAIL = "zinaida.leak@example.com"

LISTS = [
    "/promises",
    "/tasks",
    "/messages",
    "/conversations",
    "/recoveries",
    "/churn",
    "/answers",
]
# What each report counts, read from its JSON: A's manager sees Zinaida's, B's sees none.
REPORTS: dict[str, Any] = {
    "/reports/promises": lambda body: body["total"]["made"],
    "/reports/responsiveness": lambda body: body["total"]["first_response"]["ended"],
    "/reports/experience": lambda body: body["loops"]["opened"],
}


def zinaida_everywhere_at_a(world: ApiWorld) -> dict[str, str]:
    admin = world.api(world.admin)
    loc_a = world.location_a.id
    zinaida = admin.create_customer(
        NAME, home_location_id=loc_a, identities=[{"kind": "email", "value": EMAIL}]
    )["id"]
    container, clock = world.container, world.clock
    record_history(
        RecordHistory(zinaida, HistoryKind.VISIT, clock.now(), location_id=loc_a),
        container.uow(),
        clock,
        SYSTEM,
    )
    due = (clock.now() + timedelta(hours=3)).isoformat()
    promise = admin.post(
        f"/customers/{zinaida}/promises",
        json={"kind": "call_back", "due_at": due, "location_id": loc_a, "text": f"Call {NAME}"},
    )
    assert promise.status_code == 201, promise.text
    made = {
        "customer": zinaida,
        "task": task_at(container, clock, loc_a, zinaida, title=f"Call {NAME}"),
        "message": dead_message_at(container, clock, loc_a, zinaida, text=f"Dear {NAME}"),
        "loop": recovery_at(container, clock, loc_a, zinaida),
    }
    policy = {"name": "Everyone", "first_response_minutes": 60}
    assert admin.post("/sla-policies", json=policy).status_code == 201
    chat = world.api().post(
        "/conversations/chat",
        json={"text": "Is size 38 in?", "location_id": loc_a, "name": NAME, "email": EMAIL},
    )
    assert chat.status_code == 201, chat.text
    made["thread"] = chat.json()["thread_id"]
    accepted = admin.post(f"/conversations/{made['thread']}/accept-sender")
    assert accepted.status_code == 200, accepted.text
    answered = admin.post(f"/conversations/{made['thread']}/replies", json={"body": "It is."})
    assert answered.status_code == 201, answered.text
    clock.advance(timedelta(days=200))
    assert admin.post("/churn/assessments").status_code == 200
    return made


def _text(world: ApiWorld, persona: str, path: str, **params: Any) -> str:
    response = world.api(world.persona(persona)).get(path, params=params)
    assert response.status_code == 200, f"{persona} {path}: {response.text}"
    return response.text


def test_each_list_shows_a_guest_of_a_to_a_and_to_nobody_at_b(api_world: ApiWorld) -> None:
    made = zinaida_everywhere_at_a(api_world)
    params = {"/recoveries": {"open_only": "false"}, "/messages": {"status": "dead"}}
    for path in LISTS:
        seen_by_a = _text(api_world, "manager_a", path, **params.get(path, {}))
        assert made["customer"] in seen_by_a or NAME in seen_by_a, path
        for persona in ("agent_b", "manager_b"):
            response = api_world.api(api_world.persona(persona)).get(path)
            if response.status_code == 403:
                continue  # the role may not read this list at all
            assert response.status_code == 200, f"{persona} {path}: {response.text}"
            for secret in (*made.values(), NAME, EMAIL):
                assert secret not in response.text, f"{persona} {path} shows {secret}"


@pytest.mark.parametrize("path", REPORTS)
@pytest.mark.parametrize("csv", [False, True])
def test_reports_count_nothing_of_a_for_bs_manager(
    api_world: ApiWorld, path: str, csv: bool
) -> None:
    made = zinaida_everywhere_at_a(api_world)
    since = (api_world.clock.now() - timedelta(days=365)).date().isoformat()
    base: dict[str, Any] = {"since": since, **({"format": "csv"} if csv else {})}
    manager_b = api_world.api(api_world.manager_b)
    for params in (base, {**base, "location_id": api_world.location_a.id}):
        response = manager_b.get(path, params=params)
        assert response.status_code in (200, 403, 404), response.text
        if response.status_code != 200:
            continue
        for secret in (*made.values(), NAME, EMAIL, api_world.location_a.id, "Podil"):
            assert secret not in response.text, f"{path} {params} shows {secret}"
        if not csv:
            assert REPORTS[path](response.json()) == 0, path
    if not csv:
        seen_by_a = api_world.api(api_world.manager_a).get(path, params=base)
        assert REPORTS[path](seen_by_a.json()) >= 1, path
