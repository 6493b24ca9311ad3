"""GET /api/v1/customers/lookup: the route and its lean path (entrypoints/fast_lookup.py) agree.

The first request with a token checks it in the database and goes through FastAPI; later ones
with a well-formed question take the lean path. An extra query parameter sends a request the long
way again, so each question can be asked both ways and the answers compared.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from prometheus_client.parser import text_string_to_metric_families
from structlog.testing import capture_logs

if TYPE_CHECKING:
    from api_personas import Api, ApiWorld

pytest_plugins = ["api_personas"]  # the API's personas and client; see that module

LOOKUP = "/customers/lookup"


def _both_ways(api: Api, params: dict[str, str]) -> tuple[Any, Any]:
    lean = api.get(LOOKUP, params=params)
    routed = api.get(LOOKUP, params={**params, "via": "route"})
    return lean, routed


def _counted(api: Api, status: str) -> float:
    metrics = api.client.get("/metrics").text
    for family in text_string_to_metric_families(metrics):
        if family.name == "heedful_http_requests":
            return sum(
                sample.value
                for sample in family.samples
                if sample.name == "heedful_http_requests_total"
                and sample.labels["route"] == "/api/v1/customers/lookup"
                and sample.labels["status"] == status
            )
    return 0.0


@pytest.fixture
def olena(api: Api, api_world: ApiWorld) -> dict[str, Any]:
    return api.create_customer(
        "Олена Шевченко",
        home_location_id=api_world.location_a.id,
        identities=[
            {"kind": "phone", "value": "+380671234567"},
            {"kind": "email", "value": "олена@приклад.укр"},
        ],
    )


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"kind": "phone", "value": "067 123-45-67"}, 200),
        ({"kind": "phone", "value": "+380671234567"}, 200),
        ({"kind": "email", "value": "ОЛЕНА@приклад.укр"}, 200),
        ({"kind": "phone", "value": "+380501112233"}, 404),
        ({"kind": "phone", "value": "not a phone"}, 422),
    ],
    ids=["typed-phone", "e164", "cyrillic-email", "nobody", "bad-phone"],
)
def test_the_lean_path_answers_as_the_route_does(
    api: Api, olena: dict[str, Any], params: dict[str, str], status: int
) -> None:
    lean, routed = _both_ways(api, params)
    assert lean.status_code == routed.status_code == status, lean.text
    assert lean.headers["content-type"] == routed.headers["content-type"]
    assert lean.json() == routed.json()
    if status == 200:
        assert lean.json()["id"] == olena["id"]


def test_a_location_scope_is_kept_on_the_lean_path(
    api_world: ApiWorld, olena: dict[str, Any]
) -> None:
    params = {"kind": "phone", "value": "+380671234567"}
    agent_a = api_world.api(api_world.agent_a)
    agent_b = api_world.api(api_world.agent_b)
    evaluator = api_world.api(api_world.evaluator)
    for who in (agent_a, agent_b, evaluator):
        who.get("/customers/search", params={"q": "x"})  # the token is checked and cached
    lean_a, routed_a = _both_ways(agent_a, params)
    assert lean_a.status_code == routed_a.status_code == 200
    lean_b, routed_b = _both_ways(agent_b, params)
    assert lean_b.status_code == routed_b.status_code
    assert lean_b.status_code in (403, 404)
    assert "Олена" not in lean_b.text
    # An evaluator may see no customer at all: never the lean path, always the route's refusal.
    lean_e, routed_e = _both_ways(evaluator, params)
    assert lean_e.status_code == routed_e.status_code == 403


def test_malformed_questions_get_the_routes_problems(api: Api, olena: dict[str, Any]) -> None:
    wrong_kind = api.get(LOOKUP, params={"kind": "passport", "value": "AB1"})
    assert wrong_kind.status_code == 422
    assert wrong_kind.json()["field"] == "kind"
    no_value = api.get(LOOKUP, params={"kind": "phone"})
    assert no_value.status_code == 422
    assert no_value.json()["field"] == "value"
    nul = api.get(LOOKUP, params={"kind": "phone", "value": "067\x00"})
    assert nul.status_code == 422
    assert nul.json()["field"] == "value"


def test_lean_answers_are_logged_and_counted(api: Api, olena: dict[str, Any]) -> None:
    params = {"kind": "phone", "value": "+380671234567"}
    api.get(LOOKUP, params=params)
    counted = _counted(api, "200")
    with capture_logs() as logs:
        again = api.get(LOOKUP, params=params, headers={"X-Request-Id": "till-42"})
    assert again.status_code == 200
    assert again.headers["x-request-id"] == "till-42"
    assert _counted(api, "200") == counted + 1
    assert [(e["path"], e["status"]) for e in logs if e["event"] == "request"] == [
        ("/api/v1/customers/lookup", 200)
    ]
