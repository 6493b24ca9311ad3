"""Events from a location-scoped token act only within its locations (ADR 0029).

Anna is a guest of location A. Location B's manager holds a token that may send events; naming
Anna by her e-mail must not keep her promises nor fire a playbook for her, on the lean ingest
path (a cached token, no Idempotency-Key) and on the routed one (with an Idempotency-Key) alike.
The same events from A's manager or the admin act on her.
"""

from __future__ import annotations

import json
import uuid
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import pytest
import sqlalchemy as sa

from heedful.adapters.storage.tables import events
from heedful.core.engine.reactions import EngineReport, process_events
from heedful.core.events.references import OUTSIDE_SCOPE
from heedful.core.playbooks.demo import BANK_CALL_BEFORE_DECLINE

if TYPE_CHECKING:
    from api_personas import Api, ApiWorld, Persona

pytest_plugins = ["api_personas"]
EMAIL = "anna.scope@example.com"


def _anna(world: ApiWorld) -> str:
    admin = world.api(world.admin)
    anna = admin.create_customer(
        "Anna Kovalenko",
        segment="vip",
        home_location_id=world.location_a.id,
        identities=[{"kind": "email", "value": EMAIL}],
    )["id"]
    consent = {"channel": "phone", "purpose": "service", "granted": True, "how": "branch"}
    assert admin.post(f"/customers/{anna}/consents", json=consent).status_code == 201
    return str(anna)


def _send(world: ApiWorld, persona: Persona, event: dict[str, Any], path: str) -> None:
    api = world.api(persona)
    headers = {"Content-Type": "application/cloudevents+json"}
    if path == "routed":
        headers["Idempotency-Key"] = str(uuid.uuid4())  # the route keeps the answer
    else:
        assert api.get("/locations").status_code == 200  # the token is cached: the lean path
    response = api.post("/events", content=json.dumps(event), headers=headers)
    assert response.status_code == 202, response.text


def _delivered(order: str, customer: dict[str, str]) -> dict[str, Any]:
    return {
        "specversion": "1.0",
        "id": f"delivered-{uuid.uuid4().hex[:8]}",
        "source": "urn:shop:orders",
        "type": "heedful.order.delivered",
        "data": {"customer": customer, "order_ref": order},
    }


def _charge(customer: dict[str, str]) -> dict[str, Any]:
    return {
        "specversion": "1.0",
        "source": "core-banking",
        "id": f"chg-{uuid.uuid4().hex[:8]}",
        "type": "heedful.charge.scheduled",
        "data": {
            "customer": customer,
            "account": "UA-1",
            "amount": 1200,
            "balance": 300,
            "currency": "UAH",
            "due_at": "2026-03-03T09:00:00+02:00",
        },
    }


def _promise_to_deliver(world: ApiWorld, anna: str, order: str) -> str:
    due = (world.clock.now() + timedelta(days=2)).isoformat()
    made = world.api(world.manager_a).post(
        f"/customers/{anna}/promises",
        json={
            "kind": "deliver_by",
            "due_at": due,
            "reference": order,
            "location_id": world.location_a.id,
        },
    )
    assert made.status_code == 201, made.text
    return str(made.json()["id"])


def _run(world: ApiWorld) -> EngineReport:
    return process_events(world.container.uow, world.clock)


def _state(api: Api, promise_id: str) -> str:
    return str(api.get(f"/promises/{promise_id}").json()["state"])


@pytest.mark.parametrize("path", ["lean", "routed"])
@pytest.mark.parametrize("named_by", ["email", "id"])
def test_b_managers_delivery_event_keeps_no_promise_of_a_guest_of_a(
    api_world: ApiWorld, path: str, named_by: str
) -> None:
    anna = _anna(api_world)
    promise = _promise_to_deliver(api_world, anna, "ORD-1")
    customer = {"email": EMAIL} if named_by == "email" else {"id": anna}

    _send(api_world, api_world.manager_b, _delivered("ORD-1", customer), path)
    report = _run(api_world)

    admin = api_world.api(api_world.admin)
    assert _state(admin, promise) == "open"
    assert any(OUTSIDE_SCOPE in why for why in report.skipped), report.skipped

    _send(api_world, api_world.manager_a, _delivered("ORD-1", customer), path)
    _run(api_world)
    assert _state(admin, promise) == "kept"


def test_the_senders_scope_is_stored_by_heedful_never_read_from_the_event(
    api_world: ApiWorld,
) -> None:
    anna = _anna(api_world)
    forged = {**_delivered("ORD-2", {"id": anna}), "senderlocations": api_world.location_a.id}
    _send(api_world, api_world.manager_b, forged, "lean")
    _send(api_world, api_world.admin, _delivered("ORD-3", {"id": anna}), "routed")
    with api_world.container.engine.connect() as conn:
        stored = conn.execute(
            sa.select(events.c.sender_locations).order_by(events.c.sequence)
        ).scalars()
        assert list(stored) == [[api_world.location_b.id], None]


def test_b_managers_event_fires_no_playbook_for_a_guest_of_a(api_world: ApiWorld) -> None:
    _anna(api_world)
    admin = api_world.api(api_world.admin)
    made = admin.post("/playbooks", json=BANK_CALL_BEFORE_DECLINE).json()
    assert admin.post(f"/playbooks/{made['id']}/enable").status_code == 200

    _send(api_world, api_world.manager_b, _charge({"email": EMAIL}), "lean")
    report = _run(api_world)
    assert report.fired == 0
    assert any(OUTSIDE_SCOPE in why for why in report.skipped), report.skipped
    assert admin.get("/tasks").json() == []

    _send(api_world, api_world.manager_a, _charge({"email": EMAIL}), "routed")
    assert _run(api_world).fired == 1
    [task] = admin.get("/tasks").json()
    assert task["location_id"] == api_world.location_a.id


def test_b_managers_stock_event_names_no_location_of_a(api_world: ApiWorld) -> None:
    event = {
        "specversion": "1.0",
        "id": "stock-1",
        "source": "urn:shop:stock",
        "type": "heedful.stock.changed",
        "data": {"product": "bag-noir", "location": api_world.location_a.id, "quantity": 3},
    }
    _send(api_world, api_world.manager_b, event, "lean")
    report = _run(api_world)
    assert report.skipped == [f"urn:shop:stock/stock-1: no location {api_world.location_a.id}"]


def test_the_admins_event_acts_on_every_location(api_world: ApiWorld) -> None:
    anna = _anna(api_world)
    promise = _promise_to_deliver(api_world, anna, "ORD-9")
    _send(api_world, api_world.admin, _delivered("ORD-9", {"email": EMAIL}), "lean")
    assert _run(api_world).kept == 1
    assert _state(api_world.api(api_world.admin), promise) == "kept"


def test_an_audience_playbook_run_by_bs_event_reaches_only_bs_customers(
    api_world: ApiWorld,
) -> None:
    admin = api_world.api(api_world.admin)
    liked = {"polarity": "like", "category": "brand", "subject": "Max Mara"}
    guests = {}
    for name, location in (("Anna A", api_world.location_a), ("Bohdana B", api_world.location_b)):
        guest = admin.create_customer(name, home_location_id=location.id)["id"]
        assert admin.post(f"/customers/{guest}/preferences", json=liked).status_code == 201
        guests[name] = guest
    playbook = {
        "name": "Your brand is back",
        "trigger": {"event": "heedful.stock.changed", "where": []},
        "audience": {"preference": {"category": "brand", "subject_of": "data.brand"}},
        "actions": [
            {
                "do": "create_task",
                "kind": "call_customer",
                "title": "Call {{customer.name}}",
                "assign_to": "role:manager",
            }
        ],
    }
    made = admin.post("/playbooks", json=playbook)
    assert made.status_code == 201, made.text
    assert admin.post(f"/playbooks/{made.json()['id']}/enable").status_code == 200
    event = {
        "specversion": "1.0",
        "id": "stock-brand-1",
        "source": "urn:shop:lviv-stock",
        "type": "heedful.stock.changed",
        "data": {
            "product": "coat",
            "brand": "Max Mara",
            "location": api_world.location_b.id,
            "quantity": 1,
        },
    }

    _send(api_world, api_world.manager_b, event, "lean")

    assert _run(api_world).fired == 1
    [task] = admin.get("/tasks").json()
    assert (task["customer_id"], task["location_id"]) == (
        guests["Bohdana B"],
        api_world.location_b.id,
    )
