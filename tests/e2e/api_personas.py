"""Personas, a small API client and their fixtures for the API tests.

Test modules load it with ``pytest_plugins = ["api_personas"]``: tests/e2e/conftest.py belongs to
the browser tests, whose ``world`` is another thing.

Personas (healthchecks ``hc/test.py`` style): an admin; a manager and an agent at location A; an
agent and a manager at location B; an evaluator (a mystery shopper, who must never see customers).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from databases import copy_postgres, copy_sqlite
from fastapi.testclient import TestClient
from httpx import Response

from heedful.bootstrap import Container, build
from heedful.config import Settings
from heedful.core.access.model import SYSTEM, Role
from heedful.core.shared.clock import FrozenClock
from heedful.core.staff.handlers import NewLocation, NewToken, create_location, create_token
from heedful.core.staff.model import Location, LocationKind
from heedful.entrypoints.web import create_app

API = "/api/v1"


# The suite's Monday morning in Kyiv (tests/conftest.py).
START = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Persona:
    name: str
    token_id: str
    secret: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.secret}"}


class Api:
    """A TestClient that speaks as one persona and prefixes /api/v1."""

    def __init__(self, client: TestClient, persona: Persona | None) -> None:
        self.client = client
        self.persona = persona

    def as_(self, persona: Persona | None) -> Api:
        return Api(self.client, persona)

    def request(
        self, method: str, path: str, *, headers: dict[str, str] | None = None, **kwargs: Any
    ) -> Response:
        sent = {**(self.persona.headers if self.persona else {}), **(headers or {})}
        response: Response = self.client.request(method, API + path, headers=sent, **kwargs)
        return response

    def get(self, path: str, **kwargs: Any) -> Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> Response:
        return self.request("POST", path, **kwargs)

    def patch(self, path: str, **kwargs: Any) -> Response:
        return self.request("PATCH", path, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> Response:
        return self.request("DELETE", path, **kwargs)

    # ---- the few things most tests start from ----

    def create_customer(self, full_name: str, **fields: Any) -> dict[str, Any]:
        response = self.post("/customers", json={"full_name": full_name, **fields})
        assert response.status_code == 201, response.text
        body: dict[str, Any] = response.json()
        return body

    def all_customer_ids(self) -> list[str]:
        ids: list[str] = []
        cursor: str | None = None
        while True:
            params: dict[str, Any] = {"limit": 200, **({"cursor": cursor} if cursor else {})}
            page = self.get("/customers", params=params)
            assert page.status_code == 200, page.text
            ids += [c["id"] for c in page.json()["items"]]
            cursor = page.json()["next_cursor"]
            if cursor is None:
                return ids


@dataclass
class ApiWorld:
    container: Container
    clock: FrozenClock
    client: TestClient
    location_a: Location
    location_b: Location
    admin: Persona
    manager_a: Persona
    agent_a: Persona
    agent_b: Persona
    manager_b: Persona
    evaluator: Persona

    def api(self, persona: Persona | None = None) -> Api:
        return Api(self.client, persona)

    def persona(self, name: str) -> Persona:
        found: Persona = getattr(self, name)
        return found

    def new_token(self, name: str, role: Role, *locations: Location) -> Persona:
        return new_token(self.container, self.clock, name, role, *locations)


def new_token(
    container: Container, clock: FrozenClock, name: str, role: Role, *locations: Location
) -> Persona:
    """A token made the way `heedful token create` makes one."""
    token, secret = create_token(
        NewToken(name=name, role=role, location_ids=frozenset(loc.id for loc in locations) or None),
        container.uow(),
        clock,
        SYSTEM,
    )
    return Persona(name=name, token_id=token.id, secret=secret)


def _location(container: Container, clock: FrozenClock, name: str, city: str) -> Location:
    return create_location(
        NewLocation(
            name=name, kind=LocationKind.BOUTIQUE, city=city, country="UA", time_zone="Europe/Kyiv"
        ),
        container.uow(),
        clock,
        SYSTEM,
    )


def make_world(container: Container, clock: FrozenClock, client: TestClient) -> ApiWorld:
    location_a = _location(container, clock, "Podil boutique", "Kyiv")
    location_b = _location(container, clock, "Rynok square", "Lviv")
    personas = [
        new_token(container, clock, "admin", Role.ADMIN),
        new_token(container, clock, "manager@A", Role.MANAGER, location_a),
        new_token(container, clock, "agent@A", Role.AGENT, location_a),
        new_token(container, clock, "agent@B", Role.AGENT, location_b),
        new_token(container, clock, "manager@B", Role.MANAGER, location_b),
        new_token(container, clock, "evaluator", Role.EVALUATOR),
    ]
    return ApiWorld(container, clock, client, location_a, location_b, *personas)


@contextmanager
def world_for_a_module(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, **settings: Any
) -> Iterator[ApiWorld]:
    """One world per backend shared by a module's table of cases: each row makes its own records.

    ``request.param`` names the backend; the database is a copy of the session's migrated one.
    """
    if request.param == "sqlite":
        template: Path = request.getfixturevalue("_sqlite_template")
        url = copy_sqlite(template, tmp_path_factory.mktemp("world") / "heedful.db")

        def drop() -> None:
            return None
    else:
        url, drop = copy_postgres(request.getfixturevalue("_postgres_template"))
    clock = FrozenClock(START)
    container = build(Settings(database_url=url, log_format="console", **settings), clock=clock)
    try:
        with TestClient(create_app(container)) as client:
            yield make_world(container, clock, client)
    finally:
        container.close()
        drop()


@pytest.fixture
def api_world(container: Container, clock: FrozenClock) -> Iterator[ApiWorld]:
    with TestClient(create_app(container)) as client:
        yield make_world(container, clock, client)


@pytest.fixture
def api(api_world: ApiWorld) -> Api:
    """The API as the admin token."""
    return api_world.api(api_world.admin)
