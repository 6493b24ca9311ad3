"""The API's own document declares how every operation is authenticated; outside development
the document and /metrics are not for passers-by (ADR 0023)."""

from __future__ import annotations

import secrets
from collections.abc import Iterator

import pytest
from api_personas import ApiWorld, new_token
from fastapi.testclient import TestClient

from heedful.bootstrap import Container, build
from heedful.config import Settings
from heedful.core.access.model import Role
from heedful.core.shared.clock import FrozenClock
from heedful.entrypoints.web import create_app

pytest_plugins = ["api_personas"]
METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}


def test_every_operation_in_the_document_declares_its_security(api_world: ApiWorld) -> None:
    document = api_world.client.get("/api/v1/openapi.json").json()
    schemes = document["components"]["securitySchemes"]
    undeclared, unknown = [], []
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            if method not in METHODS:
                continue
            if "security" not in operation:
                undeclared.append(f"{method.upper()} {path}")
            for requirement in operation.get("security", []):
                unknown += [name for name in requirement if name not in schemes]

    assert undeclared == [], "declare security (or `security: []` if public) for these"
    assert unknown == []
    assert schemes["HTTPBearer"]["scheme"] == "bearer"
    events = document["paths"]["/api/v1/events"]["post"]
    assert events["security"] == [{"HTTPBearer": []}]
    tokens = document["paths"]["/api/v1/tokens"]["post"]
    assert tokens["security"] == [{"HTTPBearer": []}]


@pytest.fixture
def production_app(
    database_url: str, clock: FrozenClock
) -> Iterator[tuple[TestClient, Container, str]]:
    metrics_token = secrets.token_urlsafe(32)
    settings = Settings(
        database_url=database_url,
        environment="production",
        secret_key=secrets.token_urlsafe(32),
        webhook_secret=secrets.token_urlsafe(32),
        metrics_token=metrics_token,
        log_format="console",
    )
    container = build(settings, clock=clock)
    with TestClient(create_app(container), base_url="https://heedful.example") as client:
        yield client, container, metrics_token
    container.close()


def test_in_production_metrics_ask_for_their_token(
    production_app: tuple[TestClient, Container, str],
) -> None:
    client, _, metrics_token = production_app
    anonymous = client.get("/metrics")
    wrong = client.get("/metrics", headers={"Authorization": "Bearer guess"})
    scraped = client.get("/metrics", headers={"Authorization": f"Bearer {metrics_token}"})

    assert anonymous.status_code == 401
    assert anonymous.headers["content-type"].startswith("application/problem+json")
    assert wrong.status_code == 401
    assert scraped.status_code == 200
    assert "heedful" in scraped.text or "http_request" in scraped.text


def test_in_production_the_api_document_is_for_token_holders_and_the_docs_page_is_off(
    production_app: tuple[TestClient, Container, str], clock: FrozenClock
) -> None:
    client, container, _ = production_app
    reader = new_token(container, clock, "reader", Role.EVALUATOR)

    anonymous = client.get("/api/v1/openapi.json")
    with_token = client.get("/api/v1/openapi.json", headers=reader.headers)
    docs = client.get("/api/v1/docs")

    assert anonymous.status_code == 401
    assert with_token.status_code == 200
    assert "/api/v1/customers" in with_token.json()["paths"]
    assert docs.status_code == 404


def test_in_development_metrics_and_docs_stay_open(api_world: ApiWorld) -> None:
    assert api_world.client.get("/metrics").status_code == 200
    assert api_world.client.get("/api/v1/docs").status_code == 200
