"""Business events through the HTTP API, as a shop's stock system or a bank's core sends them."""

from __future__ import annotations

import asyncio
import json
from typing import TYPE_CHECKING, Any

import pytest
import sqlalchemy as sa
from httpx import ASGITransport, AsyncClient
from prometheus_client.parser import text_string_to_metric_families
from structlog.testing import capture_logs

from heedful.adapters.storage.tables import events
from heedful.core.access.model import Role
from heedful.core.staff.handlers import hash_token

if TYPE_CHECKING:
    from api_personas import Api, ApiWorld

pytest_plugins = ["api_personas"]  # the API's personas and client; see that module

SINGLE = {"Content-Type": "application/cloudevents+json"}
BATCH = {"Content-Type": "application/cloudevents-batch+json"}


def stock(event_id: str, quantity: int = 2, **extra: Any) -> dict[str, Any]:
    return {
        "specversion": "1.0",
        "id": event_id,
        "source": "urn:shop:kyiv-stock",
        "type": "heedful.stock.changed",
        "time": "2026-03-02T09:15:00+02:00",
        "data": {"product": "bag-noir", "size": "M", "location": "loc_kyiv", "quantity": quantity},
        **extra,
    }


def post(api: Api, body: Any, headers: dict[str, str]) -> Any:
    return api.post("/events", content=json.dumps(body), headers=headers)


def stored_ids(api_world: ApiWorld) -> list[str]:
    with api_world.container.engine.connect() as conn:
        rows = conn.execute(sa.select(events.c.event_id).order_by(events.c.sequence))
        return [event_id for (event_id,) in rows]


def test_one_event_is_stored_before_the_202(api: Api, api_world: ApiWorld) -> None:
    response = post(api, stock("e-1"), SINGLE)
    assert response.status_code == 202, response.text
    assert response.json() == {"accepted": 1, "duplicates": 0, "rejected": []}
    assert stored_ids(api_world) == ["e-1"]


def test_plain_json_is_one_structured_event(api: Api, api_world: ApiWorld) -> None:
    response = api.post("/events", json=stock("e-1"))
    assert response.status_code == 202, response.text
    assert stored_ids(api_world) == ["e-1"]


def test_a_batch_stores_the_good_events_and_reports_the_bad_ones_by_index(
    api: Api, api_world: ApiWorld
) -> None:
    batch = [
        stock("e-0"),
        stock("e-1", type="com.example.weather"),
        stock("e-2", quantity=-1),
        stock("e-3", time="tomorrow"),
        stock("e-4"),
    ]
    response = post(api, batch, BATCH)
    assert response.status_code == 202, response.text
    assert response.json() == {
        "accepted": 2,
        "duplicates": 0,
        "rejected": [
            {
                "index": 1,
                "reason": "unknown event type: register it at /api/v1/event-types",
                "field": "type",
            },
            {"index": 2, "reason": "quantity must not be negative", "field": "data.quantity"},
            {
                "index": 3,
                "reason": "time must be an RFC 3339 timestamp with an offset",
                "field": "time",
            },
        ],
    }
    assert stored_ids(api_world) == ["e-0", "e-4"]


def test_a_retried_batch_is_stored_once_and_counted_as_duplicates(
    api: Api, api_world: ApiWorld
) -> None:
    post(api, [stock("e-1"), stock("e-2")], BATCH)
    again = post(api, [stock("e-1"), stock("e-2"), stock("e-3")], BATCH)
    assert again.json() == {"accepted": 1, "duplicates": 2, "rejected": []}
    assert stored_ids(api_world) == ["e-1", "e-2", "e-3"]
    single_again = post(api, stock("e-3"), SINGLE)
    assert single_again.status_code == 202
    assert single_again.json() == {"accepted": 0, "duplicates": 1, "rejected": []}


def test_one_invalid_event_is_a_problem_naming_the_field(api: Api, api_world: ApiWorld) -> None:
    response = post(api, stock("e-1", type="com.example.weather"), SINGLE)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["field"] == "type"
    assert response.json()["detail"] == "unknown event type: register it at /api/v1/event-types"
    missing_id = stock("e-2")
    del missing_id["id"]
    assert post(api, missing_id, SINGLE).json()["field"] == "id"
    assert stored_ids(api_world) == []


@pytest.mark.parametrize(
    "body", [b"{not json", b'{"specversion": NaN}', b"\xff\xfe", b""], ids=repr
)
def test_a_body_that_is_not_json_is_a_400(api: Api, body: bytes) -> None:
    response = api.post("/events", content=body, headers=BATCH)
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["field"] == "body"


def test_the_shape_of_the_body_must_fit_its_content_type(api: Api) -> None:
    assert post(api, stock("e-1"), BATCH).json()["field"] == "body"
    assert post(api, [stock("e-1")], SINGLE).status_code == 422
    too_many = [stock(f"e-{n}") for n in range(1001)]
    refused = post(api, too_many, BATCH)
    assert refused.status_code == 422
    assert "1000" in refused.json()["detail"]
    xml = api.post("/events", content=b"<event/>", headers={"Content-Type": "application/xml"})
    assert xml.status_code == 415
    assert xml.json()["field"] == "Content-Type"


def test_an_empty_batch_is_accepted_as_nothing(api: Api) -> None:
    response = post(api, [], BATCH)
    assert response.status_code == 202
    assert response.json() == {"accepted": 0, "duplicates": 0, "rejected": []}


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("admin", 202),
        ("manager_a", 202),
        ("agent_a", 403),
        ("evaluator", 403),
        (None, 401),
    ],
)
def test_only_roles_that_may_send_events_send_them(
    api_world: ApiWorld, persona: str | None, status: int
) -> None:
    api = api_world.api(api_world.persona(persona) if persona else None)
    response = post(api, stock("e-1"), SINGLE)
    assert response.status_code == status, response.text
    if status != 202:
        assert response.headers["content-type"] == "application/problem+json"


def test_an_unknown_token_is_refused(api_world: ApiWorld) -> None:
    response = api_world.client.post(
        "/api/v1/events",
        content=json.dumps(stock("e-1")),
        headers={**SINGLE, "Authorization": "Bearer not-a-token"},
    )
    assert response.status_code == 401


def test_an_idempotency_key_replays_the_first_answer(api: Api, api_world: ApiWorld) -> None:
    key = {"Idempotency-Key": "stock-upload-7", **BATCH}
    first = post(api, [stock("e-1"), stock("e-2")], key)
    again = post(api, [stock("e-1"), stock("e-2")], key)
    assert first.status_code == again.status_code == 202
    assert again.json() == first.json() == {"accepted": 2, "duplicates": 0, "rejected": []}
    assert again.headers["Idempotent-Replayed"] == "true"
    other = post(api, [stock("e-3")], key)
    assert other.status_code == 422
    assert other.json()["field"] == "Idempotency-Key"
    assert stored_ids(api_world) == ["e-1", "e-2"]


def test_the_endpoint_is_documented_with_its_three_media_types(api: Api) -> None:
    schema = api.client.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/events"]["post"]
    assert set(operation["requestBody"]["content"]) == {
        "application/cloudevents+json",
        "application/cloudevents-batch+json",
        "application/json",
    }
    assert "202" in operation["responses"]


async def test_concurrent_senders_are_each_answered_for_their_own_events(
    api_world: ApiWorld,
) -> None:
    # Requests that arrive together share one commit; each must still get its own answer.
    app = api_world.client.app
    headers = {**SINGLE, **api_world.admin.headers}
    async with AsyncClient(transport=ASGITransport(app=app), base_url="http://test") as client:
        sent = [stock(f"e-{n % 15}") for n in range(30)]  # every event sent twice

        async def send(event: dict[str, Any]) -> Any:
            answer = await client.post("/api/v1/events", content=json.dumps(event), headers=headers)
            return answer.json()

        answers = await asyncio.gather(*(send(event) for event in sent))
    assert sum(a["accepted"] for a in answers) == 15
    assert sum(a["duplicates"] for a in answers) == 15
    assert sorted(stored_ids(api_world)) == sorted(f"e-{n}" for n in range(15))


def _requests_counted(api: Api, status: str) -> float:
    metrics = api.client.get("/metrics").text
    for family in text_string_to_metric_families(metrics):
        if family.name == "heedful_http_requests":
            return sum(
                sample.value
                for sample in family.samples
                if sample.name == "heedful_http_requests_total"
                and sample.labels["route"] == "/api/v1/events"
                and sample.labels["status"] == status
            )
    return 0.0


@pytest.mark.parametrize(
    ("content", "headers", "status", "field"),
    [
        (json.dumps(stock("e-1")), SINGLE, 202, None),
        (json.dumps([stock("e-1"), stock("e-2", quantity=-1)]), BATCH, 202, None),
        (b"{not json", BATCH, 400, "body"),
        (json.dumps(stock("e-1", type="com.example.weather")), SINGLE, 422, "type"),
        (json.dumps([stock("e-1")]), SINGLE, 422, "body"),
        (b"<event/>", {"Content-Type": "application/xml"}, 415, "Content-Type"),
        (json.dumps(stock("e-1", subject="bag\x00")), SINGLE, 422, "subject"),
    ],
    ids=["one", "batch", "not-json", "unknown-type", "list-as-one", "xml", "nul"],
)
def test_a_sender_seen_before_gets_the_same_answers_and_is_logged_and_counted(
    api: Api, api_world: ApiWorld, content: Any, headers: dict[str, str], status: int, field: Any
) -> None:
    # The first request checks the token in the database; the ones after it take the lean path
    # (entrypoints/fast_ingest.py), which must answer, log and count exactly like the route.
    first = api.post("/events", content=content, headers=headers)
    counted = _requests_counted(api, str(status))
    with capture_logs() as logs:
        again = api.post("/events", content=content, headers={**headers, "X-Request-Id": "r-7"})
    assert again.status_code == first.status_code == status
    assert again.headers["x-request-id"] == "r-7"
    assert _requests_counted(api, str(status)) == counted + 1
    assert [(e["path"], e["status"]) for e in logs if e["event"] == "request"] == [
        ("/api/v1/events", status)
    ]
    if field is None:
        assert again.json()["duplicates"] == first.json()["accepted"]
    else:
        assert again.headers["content-type"] == "application/problem+json"
        assert again.json()["field"] == first.json()["field"] == field


def test_a_role_that_may_not_send_events_is_refused_every_time(api_world: ApiWorld) -> None:
    api = api_world.api(api_world.persona("agent_a"))
    answers = [post(api, stock(f"e-{n}"), SINGLE).status_code for n in range(3)]
    assert answers == [403, 403, 403]
    assert stored_ids(api_world) == []


def test_an_idempotency_key_is_honoured_for_a_sender_seen_before(
    api: Api, api_world: ApiWorld
) -> None:
    post(api, stock("e-0"), SINGLE)
    key = {"Idempotency-Key": "upload-8", **BATCH}
    first = post(api, [stock("e-1")], key)
    again = post(api, [stock("e-1")], key)
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == first.json() == {"accepted": 1, "duplicates": 0, "rejected": []}


def test_numbers_beyond_their_range_are_refused_by_the_route_and_the_lean_path_alike(
    api: Api, api_world: ApiWorld
) -> None:
    # The first request takes the route; the sender is then known, and the next take the lean
    # path (entrypoints/fast_ingest.py). Both parse in core/events, so both refuse alike.
    answers = [post(api, stock(f"e-{n}", quantity=10**20), SINGLE) for n in range(2)]
    for answer in answers:
        assert answer.status_code == 422
        assert answer.headers["content-type"] == "application/problem+json"
        assert answer.json()["field"] == "data.quantity"
    batch = post(api, [stock("e-3", quantity=1_000_000_001), stock("e-4", quantity=7)], BATCH)
    assert batch.status_code == 202
    assert batch.json()["accepted"] == 1
    assert [(r["index"], r["field"]) for r in batch.json()["rejected"]] == [(0, "data.quantity")]
    assert stored_ids(api_world) == ["e-4"]


def _nested(depth: int) -> str:
    return "[" * depth + "]" * depth


# Every way a request of events is refused, as (body, media type); each is asked of the route and
# of the lean path, which read and answer through the one module entrypoints/event_requests.py.
REFUSALS: dict[str, tuple[bytes, str]] = {
    "media-type": (b"<event/>", "application/xml"),
    "not-json": (b"{not json", BATCH["Content-Type"]),
    "nan": (b'{"specversion": NaN}', SINGLE["Content-Type"]),
    "not-utf8": (b"\xff\xfe", SINGLE["Content-Type"]),
    "empty": (b"", SINGLE["Content-Type"]),
    "nests-past-the-decoder": (_nested(100_000).encode(), BATCH["Content-Type"]),
    "batch-not-a-list": (json.dumps(stock("e-1")).encode(), BATCH["Content-Type"]),
    "one-as-a-list": (json.dumps([stock("e-1")]).encode(), SINGLE["Content-Type"]),
    "plain-json-list": (json.dumps([stock("e-1")]).encode(), "application/json"),
    "batch-too-large": (
        json.dumps([stock(f"e-{n}") for n in range(1001)]).encode(),
        BATCH["Content-Type"],
    ),
    "unknown-type": (json.dumps(stock("e-1", type="x.y")).encode(), SINGLE["Content-Type"]),
    "missing-attribute": (json.dumps({"specversion": "1.0"}).encode(), SINGLE["Content-Type"]),
    "nul-in-text": (json.dumps(stock("e-1", subject="a\x00")).encode(), SINGLE["Content-Type"]),
    "data-too-deep": (
        json.dumps(stock("e-1", data={"x": json.loads(_nested(40))})).encode(),
        SINGLE["Content-Type"],
    ),
    "number-out-of-range": (
        json.dumps(stock("e-1", quantity=10**20)).encode(),
        "application/cloudevents+json; charset=utf-8",
    ),
    "body-over-its-limit": (b" " * (4 * 1024 * 1024 + 1), SINGLE["Content-Type"]),
}


@pytest.mark.parametrize("kind", list(REFUSALS))
def test_the_route_and_the_lean_path_refuse_alike(api_world: ApiWorld, kind: str) -> None:
    body, media_type = REFUSALS[kind]
    sender = api_world.new_token(f"sender-{kind}", Role.ADMIN)
    api = api_world.api(sender)
    cache = api_world.client.app.state.token_cache  # type: ignore[attr-defined]
    assert cache.actor_for(hash_token(sender.secret)) is None  # so the first takes the route
    routed = api.post("/events", content=body, headers={"Content-Type": media_type})
    assert post(api, [], BATCH).status_code == 202  # the sender is known now, if not before
    assert cache.actor_for(hash_token(sender.secret)) is not None  # so the next is lean
    lean = api.post("/events", content=body, headers={"Content-Type": media_type})
    assert routed.status_code == lean.status_code
    assert routed.status_code in (400, 413, 415, 422)
    assert routed.headers["content-type"] == lean.headers["content-type"]
    assert routed.headers["content-type"] == "application/problem+json"
    assert routed.json() == lean.json()
    assert stored_ids(api_world) == []
