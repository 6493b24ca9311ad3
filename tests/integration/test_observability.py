"""What an operator sees: the health check, Prometheus metrics and one JSON log line per request."""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Iterator

import pytest
import structlog
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from heedful.bootstrap import Container
from heedful.entrypoints import observability
from heedful.entrypoints.observability import configure_logging
from heedful.entrypoints.web import create_app


@pytest.fixture
def client(container: Container) -> Iterator[TestClient]:
    with TestClient(create_app(container)) as made:
        yield made


@pytest.fixture
def json_log(monkeypatch: pytest.MonkeyPatch) -> Iterator[io.StringIO]:
    """The production log set-up (`heedful serve` with HEEDFUL_LOG_FORMAT=json), written here."""
    stream = io.StringIO()
    monkeypatch.setattr(sys, "stderr", stream)
    configure_logging("INFO", "json")
    # configure_logging caches loggers on first use; a fresh one keeps this stream out of the
    # module's logger for the rest of the session.
    monkeypatch.setattr(observability, "log", structlog.get_logger("heedful"))
    yield stream
    structlog.reset_defaults()


def _requests_total(client: TestClient, route: str, status: str) -> float:
    for family in text_string_to_metric_families(client.get("/metrics").text):
        if family.name == "heedful_http_requests":
            return sum(
                sample.value
                for sample in family.samples
                if sample.name == "heedful_http_requests_total"
                and sample.labels["route"] == route
                and sample.labels["status"] == status
            )
    return 0.0


def test_the_health_check_says_ok_when_the_database_answers(client: TestClient) -> None:
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response.json()["version"]


def test_metrics_count_requests_by_route_template_not_by_raw_path(client: TestClient) -> None:
    before = _requests_total(client, "/api/v1/customers/{customer_id}", "401")

    client.get("/api/v1/customers/cus_one")
    client.get("/api/v1/customers/cus_two")

    metrics = client.get("/metrics")
    assert metrics.status_code == 200
    assert metrics.headers["content-type"].startswith("text/plain")
    assert "heedful_http_requests_total{" in metrics.text
    assert _requests_total(client, "/api/v1/customers/{customer_id}", "401") == before + 2
    assert "cus_one" not in metrics.text  # ids in labels would grow the series without end


def test_each_request_is_logged_as_one_json_line_with_its_request_id(
    client: TestClient, json_log: io.StringIO
) -> None:
    traced = client.get("/api/v1/me", headers={"X-Request-ID": "till-7-abc"})
    untraced = client.get("/api/v1/me")

    lines = [json.loads(line) for line in json_log.getvalue().splitlines() if line.strip()]
    requests = [line for line in lines if line.get("event") == "request"]
    assert len(requests) == 2
    first, second = requests
    assert traced.headers["X-Request-ID"] == "till-7-abc"
    assert first["request_id"] == "till-7-abc"
    assert second["request_id"] == untraced.headers["X-Request-ID"] != "till-7-abc"
    assert first["path"] == "/api/v1/me"
    assert first["method"] == "GET"
    assert first["status"] == 401
    assert first["level"] == "info"
    assert first["timestamp"].endswith("Z")
