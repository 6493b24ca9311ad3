"""The admin's page of event types: a type registered with its schema, refused when the schema is
itself invalid (naming where), changed and removed; staff who are not admins cannot reach it."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from console_world import World, log_in
from fastapi.testclient import TestClient

from heedful.core.access.model import Role
from heedful.core.events.vocabulary import custom_type, use_custom_types

SCHEMA = {"type": "object", "required": ["table"], "properties": {"table": {"type": "string"}}}


@pytest.fixture(autouse=True)
def _no_custom_types_left() -> Iterator[None]:
    use_custom_types([])
    yield
    use_custom_types([])


def test_an_admin_registers_changes_and_removes_a_type(
    console_client: TestClient, world: World
) -> None:
    world.staff("root", "Olena Admin", Role.ADMIN)
    csrf = log_in(console_client, "root")
    page = console_client.get("/admin/event-types")
    assert page.status_code == 200
    assert 'href="/admin/event-types"' in page.text  # in the admin's menu
    assert "heedful.stock.changed" in page.text

    broken = console_client.post(
        "/admin/event-types",
        data={
            "csrf_token": csrf,
            "name": "acme.table.turned",
            "data_schema": json.dumps({"type": "object", "properties": {"n": {"type": "integr"}}}),
        },
    )
    assert broken.status_code == 422
    assert "schema.properties.n.type" in broken.text

    made = console_client.post(
        "/admin/event-types",
        data={
            "csrf_token": csrf,
            "name": "acme.table.turned",
            "description": "A table turned",
            "data_schema": json.dumps(SCHEMA),
            "acts_as": "",
        },
    )
    assert made.status_code == 200  # followed the redirect back to the page
    assert "acme.table.turned" in made.text
    assert custom_type("acme.table.turned") is not None

    edit = console_client.get("/admin/event-types?edit=acme.table.turned")
    assert "A table turned" in edit.text
    changed = console_client.post(
        "/admin/event-types",
        data={
            "csrf_token": csrf,
            "editing": "acme.table.turned",
            "name": "acme.table.turned",
            "description": "Paid and cleared",
            "data_schema": json.dumps(SCHEMA),
            "acts_as": "",
        },
    )
    assert "Paid and cleared" in changed.text
    gone = console_client.post(
        "/admin/event-types/acme.table.turned/remove", data={"csrf_token": csrf}
    )
    assert gone.status_code == 200
    assert custom_type("acme.table.turned") is None


def test_a_manager_cannot_reach_the_page(console_client: TestClient, world: World) -> None:
    shop = world.location("Atelier Lypky")
    world.staff("taras", "Taras Manager", Role.MANAGER, at=[shop])
    log_in(console_client, "taras")
    assert console_client.get("/admin/event-types").status_code == 403
