"""Who may do what through the API: roles x endpoints as one table (healthchecks ``hc/test.py``).

Personas: an admin; a manager and an agent at location A; an agent and a manager at location B;
an evaluator (a mystery shopper, who must never see customers). Anna, Boris and the rest are
known only at A. Staff of another location get 404, not 403: they must not learn that a guest of
another shop exists.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from api_personas import make_world
from conftest_services import make_postgres_database
from fastapi.testclient import TestClient

from heedful.adapters.storage.migrate import upgrade
from heedful.bootstrap import build
from heedful.config import Settings
from heedful.core.access.model import Role
from heedful.core.shared.clock import FrozenClock
from heedful.entrypoints.web import create_app

if TYPE_CHECKING:
    from api_personas import Api, ApiWorld, Persona

pytest_plugins = ["api_personas"]

START = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)
NOW = START.isoformat()

PERSONAS = ("admin", "manager_a", "agent_a", "agent_b", "manager_b", "evaluator")

# fmt: off
# Placeholders in braces are made on demand for each row: {anna} {phone} {email} {boris}
# {merge} {preference} {identity} {token} {loc_a} {loc_b}.
TABLE: list[tuple[str, str, dict[str, Any] | None, tuple[int, int, int, int, int, int]]] = [
    # method, path, body                          admin mgr@A agt@A agt@B mgr@B evaluator
    ("GET", "/me", None,                            (200, 200, 200, 200, 200, 200)),
    ("GET", "/locations", None,                     (200, 200, 200, 200, 200, 200)),
    ("POST", "/locations",
     {"name": "Hotel", "kind": "hotel", "country": "UA", "time_zone": "Europe/Kyiv"},
                                                    (201, 403, 403, 403, 403, 403)),
    ("GET", "/customers", None,                     (200, 200, 200, 200, 200, 403)),
    ("GET", "/customers/search?q=Anna", None,       (200, 200, 200, 200, 200, 403)),
    ("GET", "/customers/lookup?kind=phone&value={phone}", None,
                                                    (200, 200, 200, 404, 404, 403)),
    ("GET", "/customers/{anna}", None,              (200, 200, 200, 404, 404, 403)),
    ("GET", "/customers/{anna}/card", None,         (200, 200, 200, 404, 404, 403)),
    ("POST", "/customers", {"full_name": "Vera", "home_location_id": "{loc_a}"},
                                                    (201, 201, 201, 403, 403, 403)),
    ("POST", "/customers", {"full_name": "Vera"},   (201, 422, 422, 422, 422, 403)),
    ("POST", "/customers/identify",
     {"identities": [{"kind": "email", "value": "vera@example.com"}], "location_id": "{loc_a}"},
                                                    (200, 200, 200, 403, 403, 403)),
    ("PATCH", "/customers/{anna}", {"segment": "vip"},
                                                    (200, 200, 200, 404, 404, 403)),
    ("PATCH", "/customers/{anna}", {"home_location_id": "{loc_b}"},
                                                    (200, 403, 403, 404, 404, 403)),
    ("POST", "/customers/{anna}/identities", {"kind": "email", "value": "{email}"},
                                                    (201, 201, 201, 404, 404, 403)),
    ("DELETE", "/customers/{anna}/identities/{identity}", None,
                                                    (204, 204, 204, 404, 404, 403)),
    ("GET", "/customers/{anna}/preferences", None,  (200, 200, 200, 404, 404, 403)),
    ("POST", "/customers/{anna}/preferences", {"polarity": "never", "subject": "peanuts"},
                                                    (201, 201, 201, 404, 404, 403)),
    ("DELETE", "/customers/{anna}/preferences/{preference}", None,
                                                    (200, 200, 200, 404, 404, 403)),
    ("GET", "/customers/{anna}/consents", None,     (200, 200, 200, 404, 404, 403)),
    ("POST", "/customers/{anna}/consents",
     {"channel": "sms", "purpose": "marketing", "granted": True, "how": "at the till"},
                                                    (201, 201, 201, 404, 404, 403)),
    ("POST", "/customers/{anna}/purchases", {"occurred_at": NOW, "location_id": "{loc_a}"},
                                                    (201, 201, 201, 404, 404, 403)),
    ("POST", "/customers/{anna}/purchases", {"occurred_at": NOW, "location_id": "{loc_b}"},
                                                    (201, 403, 403, 404, 404, 403)),
    ("POST", "/customers/{anna}/visits", {"occurred_at": NOW},
                                                    (201, 201, 201, 404, 404, 403)),
    ("GET", "/customers/{anna}/history", None,      (200, 200, 200, 404, 404, 403)),
    ("GET", "/customers/{anna}/audit", None,        (200, 200, 403, 403, 404, 403)),
    ("POST", "/merges", {"survivor_id": "{anna}", "absorbed_id": "{boris}"},
                                                    (201, 201, 403, 403, 404, 403)),
    ("GET", "/merges/{merge}", None,                (200, 200, 403, 403, 404, 403)),
    ("POST", "/merges/{merge}/undo", None,          (200, 403, 403, 403, 403, 403)),
    ("GET", "/customers/{anna}/export", None,       (200, 403, 403, 403, 403, 403)),
    ("POST", "/customers/{anna}/erasure", {"reason": "her request"},
                                                    (200, 403, 403, 403, 403, 403)),
    ("GET", "/tokens", None,                        (200, 403, 403, 403, 403, 403)),
    ("POST", "/tokens", {"name": "till 2", "role": "agent", "location_ids": ["{loc_a}"]},
                                                    (201, 403, 403, 403, 403, 403)),
    ("DELETE", "/tokens/{token}", None,             (200, 403, 403, 403, 403, 403)),
]
# fmt: on

CASES = [
    pytest.param(persona, method, path, body, status, id=f"{persona} {method} {path}")
    for method, path, body, statuses in TABLE
    for persona, status in zip(PERSONAS, statuses, strict=True)
]


class Targets(dict[str, str]):
    """The ids a row names, each made (through the API, as the admin) the first time it is asked."""

    def __init__(self, world: ApiWorld) -> None:
        super().__init__(loc_a=world.location_a.id, loc_b=world.location_b.id)
        self.world = world
        self.admin: Api = world.api(world.admin)

    def __missing__(self, name: str) -> str:
        made: str = getattr(self, f"_{name}")()
        self[name] = made
        return made

    def _customer(self, name: str, **fields: Any) -> str:
        customer = self.admin.create_customer(name, home_location_id=self["loc_a"], **fields)
        return str(customer["id"])

    def _anna(self) -> str:
        # Every row's Anna has her own number and e-mail: the rows share one database.
        self["phone"] = f"067{uuid.uuid4().int % 10**7:07d}"
        self["email"] = f"anna.{uuid.uuid4().hex[:8]}@example.com"
        return self._customer(
            "Anna Kovalenko", identities=[{"kind": "phone", "value": self["phone"]}]
        )

    def _phone(self) -> str:
        self["anna"]
        return self["phone"]

    def _email(self) -> str:
        self["anna"]
        return self["email"]

    def _boris(self) -> str:
        return self._customer("Boris Orlov")

    def _identity(self) -> str:
        return str(self.admin.get(f"/customers/{self['anna']}").json()["identities"][0]["id"])

    def _preference(self) -> str:
        made = self.admin.post(
            f"/customers/{self['anna']}/preferences", json={"polarity": "like", "subject": "tea"}
        )
        return str(made.json()["id"])

    def _merge(self) -> str:
        merged = self.admin.post(
            "/merges",
            json={"survivor_id": self._customer("Dora"), "absorbed_id": self._customer("Dasha")},
        )
        assert merged.status_code == 201, merged.text
        return str(merged.json()["id"])

    def _token(self) -> str:
        till = self.world.new_token("till", Role.AGENT, self.world.location_a)
        return till.token_id


def _filled(value: Any, targets: Targets) -> Any:
    if isinstance(value, str):
        return value.format_map(targets)
    if isinstance(value, list):
        return [_filled(v, targets) for v in value]
    if isinstance(value, dict):
        return {k: _filled(v, targets) for k, v in value.items()}
    return value


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def roles_world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ApiWorld]:
    """One database per backend for the whole table: every row makes its own targets."""
    if request.param == "sqlite":
        url = f"sqlite:///{Path(tmp_path_factory.mktemp('roles')) / 'heedful.db'}"

        def drop() -> None:
            return None
    else:
        request.getfixturevalue("postgres_server_url")
        url, drop = make_postgres_database()
    upgrade(url)
    clock = FrozenClock(START)
    container = build(Settings(database_url=url, log_format="console"), clock=clock)
    try:
        with TestClient(create_app(container)) as client:
            yield make_world(container, clock, client)
    finally:
        container.close()
        drop()


@pytest.mark.parametrize(("persona", "method", "path", "body", "status"), CASES)
def test_each_role_may_do_only_what_its_table_row_says(
    roles_world: ApiWorld,
    persona: str,
    method: str,
    path: str,
    body: dict[str, Any] | None,
    status: int,
) -> None:
    targets = Targets(roles_world)
    url = _filled(path, targets)
    payload = _filled(body, targets)
    who: Persona = getattr(roles_world, persona)

    response = roles_world.api(who).request(method, url, json=payload)

    assert response.status_code == status, f"{persona} {method} {url}: {response.text}"
    if status >= 400:
        assert response.headers["content-type"] == "application/problem+json"


def test_an_evaluator_learns_nothing_about_customers(roles_world: ApiWorld) -> None:
    targets = Targets(roles_world)
    anna, phone = targets["anna"], targets["phone"]
    evaluator = roles_world.api(roles_world.evaluator)
    for path in (
        f"/customers/{anna}",
        "/customers",
        f"/customers/{anna}/card",
        f"/customers/search?q={phone}",
        f"/customers/lookup?kind=phone&value={phone}",
    ):
        response = evaluator.get(path)
        assert response.status_code == 403
        assert "Anna" not in response.text
        assert phone not in response.text


def test_lists_and_search_show_each_agent_only_customers_of_their_locations(
    roles_world: ApiWorld,
) -> None:
    # Other rows move their Annas to B; this one has a name of her own.
    name = f"Zlata {uuid.uuid4().hex[:8]}"
    phone = f"067{uuid.uuid4().int % 10**7:07d}"
    zlata = Targets(roles_world)._customer(name, identities=[{"kind": "phone", "value": phone}])
    agent_a, agent_b = roles_world.api(roles_world.agent_a), roles_world.api(roles_world.agent_b)

    assert zlata in agent_a.all_customer_ids()
    assert zlata not in agent_b.all_customer_ids()
    for query in (name, phone):
        found = agent_a.get("/customers/search", params={"q": query}).json()
        assert [c["id"] for c in found] == [zlata]
        assert agent_b.get("/customers/search", params={"q": query}).json() == []
