"""Dead letters through the API: an admin sees what the worker set aside, retries or discards it."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from heedful.adapters.storage.promise_tables import timers
from heedful.core.engine.reactions import process_events
from heedful.core.engine.timers import fire_due_timers
from heedful.core.events.model import BusinessEvent

if TYPE_CHECKING:
    from api_personas import ApiWorld

pytest_plugins = ["api_personas"]


def poison(api_world: ApiWorld, event_id: str) -> None:
    """An event an older Heedful accepted: 10**20 units overflow the stock level."""
    event = BusinessEvent(
        source="urn:shop:kyiv-stock",
        id=event_id,
        type="heedful.stock.changed",
        data={"product": "bag-noir", "location": api_world.location_a.id, "quantity": 10**20},
    )
    with api_world.container.uow() as uow:
        uow.events.accept([event], received_at=api_world.clock.now())
        uow.commit()
    process_events(api_world.container.uow, api_world.clock)


def test_an_admin_lists_a_dead_event_retries_it_and_discards_it(api_world: ApiWorld) -> None:
    admin = api_world.api(api_world.admin)
    poison(api_world, "stock-poison")

    listed = admin.get("/dead-letters", params={"kind": "event"})
    assert listed.status_code == 200, listed.text
    [letter] = listed.json()
    assert letter["kind"] == "event"
    assert letter["state"] == "dead"
    assert letter["attempts"] == 1
    assert "urn:shop:kyiv-stock/stock-poison" in letter["what"]
    assert letter["error"].split(":")[0] in {"OverflowError", "DataError"}
    assert admin.get("/dead-letters", params={"kind": "timer"}).json() == []

    path = f"/dead-letters/event/{letter['ref']}"
    key = {"Idempotency-Key": "retry-1"}
    retried = admin.post(f"{path}/retry", headers=key)
    assert retried.status_code == 200, retried.text
    assert retried.json()["attempts"] == 0
    assert admin.post(f"{path}/retry", headers=key).json() == retried.json()  # replayed
    assert admin.get("/dead-letters").json() == []

    # Back in the queue, it fails again: a fresh letter, counted from one.
    api_world.clock.advance(timedelta(minutes=1))
    assert process_events(api_world.container.uow, api_world.clock).events == 1
    [again] = admin.get("/dead-letters").json()
    assert (again["ref"], again["attempts"]) == (letter["ref"], 1)

    discarded = admin.post(f"{path}/discard", headers={"Idempotency-Key": "discard-1"})
    assert discarded.status_code == 200, discarded.text
    closed = discarded.json()
    assert (closed["state"], closed["closed_by"]) == ("discarded", "API token admin")
    assert admin.get("/dead-letters").json() == []
    [kept] = admin.get("/dead-letters", params={"state": "discarded"}).json()
    assert kept["ref"] == letter["ref"]
    assert process_events(api_world.container.uow, api_world.clock).events == 0


def _problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    return body


def test_only_admins_see_and_act_and_mistakes_are_problems(api_world: ApiWorld) -> None:
    admin = api_world.api(api_world.admin)
    manager = api_world.api(api_world.manager_a)
    poison(api_world, "stock-poison")
    [letter] = admin.get("/dead-letters").json()
    path = f"/dead-letters/event/{letter['ref']}"

    _problem(manager.get("/dead-letters"), 403)
    _problem(manager.post(f"{path}/retry"), 403)
    _problem(manager.post(f"{path}/discard"), 403)
    _problem(admin.post("/dead-letters/event/999/retry"), 404)
    assert _problem(admin.get("/dead-letters", params={"kind": "parcel"}), 422)
    admin.post(f"{path}/discard")
    assert _problem(admin.post(f"{path}/retry"), 409)["field"] == "state"


def test_the_endpoints_are_documented_with_their_answers(api_world: ApiWorld) -> None:
    schema = api_world.api().get("/openapi.json").json()
    listing = schema["paths"]["/api/v1/dead-letters"]["get"]
    assert "DeadLetterOut" in str(listing["responses"]["200"])
    retry = schema["paths"]["/api/v1/dead-letters/{kind}/{ref}/retry"]["post"]
    assert "DeadLetterOut" in str(retry["responses"]["200"])
    assert any(p["name"] == "Idempotency-Key" for p in retry["parameters"])


def test_a_timer_a_newer_version_wrote_is_listed_and_can_only_be_discarded(
    api_world: ApiWorld,
) -> None:
    admin = api_world.api(api_world.admin)
    now = api_world.clock.now()
    with api_world.container.engine.begin() as conn:
        conn.execute(
            timers.insert().values(
                id="tmr_newer", kind="promise.teleport", subject_id="prm_x", due_at=now
            )
        )
    assert fire_due_timers(api_world.container.uow, api_world.clock).failed == []

    [letter] = admin.get("/dead-letters", params={"kind": "timer"}).json()
    assert (letter["ref"], letter["state"]) == ("tmr_newer", "dead")
    assert letter["what"].startswith("unreadable timer promise.teleport")
    assert letter["error"].startswith("ValueError: 'promise.teleport'")
    path = "/dead-letters/timer/tmr_newer"
    refused = _problem(admin.post(f"{path}/retry", headers={"Idempotency-Key": "r-1"}), 409)
    assert "cannot read timer" in refused["detail"]
    assert admin.post(f"{path}/discard", headers={"Idempotency-Key": "d-1"}).status_code == 200
