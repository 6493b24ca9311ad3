"""The event vocabulary through the API, on SQLite and PostgreSQL: Heedful's types listed with
their schemas, and a business's own types registered, checked, changed and removed (ADR 0042)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from custom_event_types import (  # the autouse fixture clears the registered types
    TABLE_TURNED_SCHEMA,
    _no_custom_types_left,  # noqa: F401
    event,
)

from heedful.core.engine.reactions import process_events
from heedful.core.events.types import EVENT_TYPES

if TYPE_CHECKING:
    from api_personas import Api, ApiWorld

pytest_plugins = ["api_personas"]

BATCH = {"Content-Type": "application/cloudevents-batch+json"}
TABLE_TURNED = {
    "name": "acme.table.turned",
    "description": "A restaurant table turned: seated to paid",
    "schema": TABLE_TURNED_SCHEMA,
}


def test_every_type_is_listed_with_its_schema_state_and_example(api: Api) -> None:
    response = api.get("/event-types")
    assert response.status_code == 200, response.text
    listed = {entry["name"]: entry for entry in response.json()}
    assert set(EVENT_TYPES) <= set(listed)
    stock = listed["heedful.stock.changed"]
    assert stock["updates"] == "stock"
    assert stock["schema"]["type"] == "object"
    assert stock["example"]["code"] == "selene-black"
    assert stock["built_in"] is True


def test_a_business_registers_a_type_and_its_events_are_accepted_or_refused_by_index(
    api: Api, api_world: ApiWorld
) -> None:
    made = api.post("/event-types", json=TABLE_TURNED, headers={"Idempotency-Key": "k-1"})
    assert made.status_code == 201, made.text
    assert made.json()["updates"] is None
    again = api.post("/event-types", json=TABLE_TURNED, headers={"Idempotency-Key": "k-1"})
    assert again.status_code == 201  # the first answer, not a conflict
    assert api.post("/event-types", json=TABLE_TURNED).status_code == 409
    assert api.get("/event-types/acme.table.turned").json()["schema"] == TABLE_TURNED["schema"]

    good = {"location": api_world.location_a.id, "table": "12", "minutes": 50}
    sent = api.post(
        "/events",
        content=json.dumps(
            [
                event("t-1", "acme.table.turned", good),
                event("t-2", "acme.table.turned", {**good, "table": "far too long"}),
                event("t-3", "acme.table.turned", {**good, "minutes": "fifty"}),
                event("t-4", "acme.table.turned", good | {"extra": True}),
            ]
        ),
        headers=BATCH,
    )
    assert sent.status_code == 202, sent.text
    body = sent.json()
    assert body["accepted"] == 2
    assert [(r["index"], r["field"]) for r in body["rejected"]] == [
        (1, "data.table"),
        (2, "data.minutes"),
    ]
    report = process_events(api_world.container.uow, api_world.clock)
    assert (report.events, report.failed) == (2, [])


def test_a_schema_that_is_itself_invalid_is_refused_naming_the_field(api: Api) -> None:
    broken = {**TABLE_TURNED, "schema": {"type": "object", "properties": {"n": {"minimum": "0"}}}}
    response = api.post("/event-types", json=broken)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["field"] == "schema.properties.n.minimum"
    assert api.get("/event-types/acme.table.turned").status_code == 404


def test_a_type_acting_as_stock_changes_the_stock_and_can_be_changed_and_removed(
    api: Api, api_world: ApiWorld
) -> None:
    stock_count = {
        "name": "acme.stock.counted",
        "schema": {"type": "object", "properties": {"shelf": {"type": "string"}}},
        "acts_as": "heedful.stock.changed",
    }
    made = api.post("/event-types", json=stock_count)
    assert made.status_code == 201, made.text
    assert made.json()["updates"] == "stock"
    data = {"code": "selene-black", "location": api_world.location_a.id, "quantity": 3}
    sent = api.post(
        "/events",
        content=json.dumps(
            [event("s-1", "acme.stock.counted", data), event("s-2", "acme.stock.counted", {})]
        ),
        headers=BATCH,
    )
    assert sent.json()["accepted"] == 1
    assert sent.json()["rejected"][0]["field"] == "data.location"  # Heedful's own field check
    process_events(api_world.container.uow, api_world.clock)
    item = api.get("/items/selene-black")
    assert item.status_code == 200, item.text
    assert 3 in [level["quantity"] for level in item.json()["stock"]]

    put = api.request("PUT", "/event-types/acme.stock.counted", json={"schema": {"type": "object"}})
    assert put.status_code == 200, put.text
    assert put.json()["acts_as"] is None
    assert api.delete("/event-types/acme.stock.counted").status_code == 204
    gone = api.post("/events", json=event("s-3", "acme.stock.counted", data))
    assert gone.status_code == 422
    assert gone.json()["field"] == "type"
    own = api.request(
        "PUT", "/event-types/heedful.stock.changed", json={"schema": {"type": "object"}}
    )
    assert own.status_code == 422


def test_only_admins_register_types(api_world: ApiWorld) -> None:
    manager = api_world.api(api_world.manager_a)
    assert manager.post("/event-types", json=TABLE_TURNED).status_code == 403
    assert manager.get("/event-types").status_code == 200
