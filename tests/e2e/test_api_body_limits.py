"""Bodies capped per route before they are read, JSON nesting bounded: 413 and 400, never 500."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest
import sqlalchemy as sa
from starlette.types import Message

from heedful.adapters.storage.tables import events
from heedful.core.events.bounds import MAX_DATA_BYTES
from heedful.entrypoints.body_limits import LIMITS, MAX_JSON_DEPTH, KiB, MiB, limit_for

if TYPE_CHECKING:
    from api_personas import Api, ApiWorld

pytest_plugins = ["api_personas"]

SINGLE = {"Content-Type": "application/cloudevents+json"}
BATCH = {"Content-Type": "application/cloudevents-batch+json"}


def stock(event_id: str, **data: Any) -> dict[str, Any]:
    return {
        "specversion": "1.0",
        "id": event_id,
        "source": "urn:shop:kyiv-stock",
        "type": "heedful.stock.changed",
        "data": {"product": "bag-noir", "location": "loc_kyiv", "quantity": 2, **data},
    }


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def stored_ids(api_world: ApiWorld) -> list[str]:
    with api_world.container.engine.connect() as conn:
        rows = conn.execute(sa.select(events.c.event_id).order_by(events.c.sequence))
        return [event_id for (event_id,) in rows]


def assert_refused(response: Any, status: int, words: str) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["field"] == "body"
    assert words in response.json()["detail"]


class Upload:
    """A client sending a body in chunks, counting how much of it the server asked for."""

    def __init__(self, chunk: bytes, chunks: int) -> None:
        self.chunk, self.chunks, self.taken = chunk, chunks, 0
        self.sent: list[Message] = []

    async def receive(self) -> Message:
        self.taken += 1
        more = self.taken < self.chunks
        return {"type": "http.request", "body": self.chunk, "more_body": more}

    async def send(self, message: Message) -> None:
        self.sent.append(message)

    def status(self) -> int:
        status: int = self.sent[0]["status"]
        return status


def scope(path: str, headers: list[tuple[bytes, bytes]]) -> dict[str, Any]:
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": headers,
        "client": ("127.0.0.1", 5000),
        "server": ("testserver", 80),
    }


def test_a_body_declared_too_large_is_refused_before_a_byte_is_read_and_without_a_token(
    api_world: ApiWorld,
) -> None:
    # 200 MB announced, no token: 413 at once, not a 401 after holding it all in memory.
    upload = Upload(b"x" * 65536, chunks=200 * 16)
    headers = [(b"content-length", b"209715200"), (b"content-type", b"application/json")]
    app = api_world.client.app
    api_world.client.portal.call(app, scope("/api/v1/events", headers), upload.receive, upload.send)  # type: ignore[union-attr]
    assert upload.taken == 0
    assert upload.status() == 413
    assert (b"connection", b"close") in upload.sent[0]["headers"]
    problem = json.loads(upload.sent[1]["body"])
    assert problem["status"] == 413
    assert "4,194,304 bytes" in problem["detail"]


@pytest.mark.parametrize(
    ("path", "limit"),
    [
        ("/api/v1/events", 4 * MiB),
        ("/api/v1/customers", 256 * KiB),
        ("/api/v1/conversations/chat", 16 * KiB),
    ],
)
def test_a_streamed_body_is_refused_as_soon_as_it_passes_its_routes_limit(
    api_world: ApiWorld, path: str, limit: int
) -> None:
    chunk = b"[" * 4096
    upload = Upload(chunk, chunks=10_000)  # 40 MB, chunked, no length announced
    headers = [(b"transfer-encoding", b"chunked"), (b"content-type", b"application/json")]
    app = api_world.client.app
    api_world.client.portal.call(app, scope(path, headers), upload.receive, upload.send)  # type: ignore[union-attr]
    assert upload.status() == 413
    assert upload.taken == limit // len(chunk) + 1  # not one chunk more than the limit needs


def test_a_body_within_its_limit_reaches_its_route(api: Api, api_world: ApiWorld) -> None:
    batch = [stock(f"e-{n}", note="x" * 3000) for n in range(1000)]  # about 3.2 MB
    response = api.post("/events", content=json.dumps(batch), headers=BATCH)
    assert response.status_code == 202, response.text
    assert len(stored_ids(api_world)) == 1000


def test_every_documented_body_states_its_limit(api: Api) -> None:
    document = api.client.get("/api/v1/openapi.json").json()
    bodies = [
        (path, operation)
        for path, operations in document["paths"].items()
        for operation in operations.values()
        if "requestBody" in operation
    ]
    assert len(bodies) > 20
    for path, operation in bodies:
        assert operation["x-body-limit"] == limit_for(path).limit, path
        assert "413" in operation["responses"], path
    assert {rule.route for rule in LIMITS} >= {"/api/v1/events", "/api/", "/"}


@pytest.mark.parametrize("idempotency", [False, True], ids=["lean", "routed"])
def test_an_event_nesting_100000_deep_is_a_400_not_a_500(
    api: Api, api_world: ApiWorld, idempotency: bool
) -> None:
    api.post("/events", json=stock("warm-the-token-cache"))
    headers = {**SINGLE, **({"Idempotency-Key": "deep-1"} if idempotency else {})}
    body = json.dumps(stock("deep")).replace('"quantity": 2', f'"quantity": {nested(100_000)}')
    response = api.post("/events", content=body, headers=headers)
    assert response.status_code == 400, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert "nests deeper" in response.json()["detail"]
    assert stored_ids(api_world) == ["warm-the-token-cache"]


@pytest.mark.parametrize("idempotency", [False, True], ids=["lean", "routed"])
def test_event_data_too_deep_or_too_large_is_refused_naming_data(
    api: Api, api_world: ApiWorld, idempotency: bool
) -> None:
    api.post("/events", json=stock("warm-the-token-cache"))
    key = {"Idempotency-Key": "big-1"} if idempotency else {}
    deep = json.loads(json.dumps(stock("deep"))[:-2] + f', "tags": {nested(40)}}}}}')
    large = stock("large", note="é" * (MAX_DATA_BYTES // 6))  # \u00e9 is 6 bytes in JSON
    for event in (deep, large):
        response = api.post("/events", content=json.dumps(event), headers={**SINGLE, **key})
        assert response.status_code == 422, response.text
        assert response.json()["field"] == "data"
    batch = [stock("fine-1"), deep, large, stock("fine-2")]
    key = {"Idempotency-Key": "big-2"} if idempotency else {}
    answer = api.post("/events", content=json.dumps(batch), headers={**BATCH, **key}).json()
    assert [(r["index"], r["field"]) for r in answer["rejected"]] == [(1, "data"), (2, "data")]
    assert stored_ids(api_world) == ["warm-the-token-cache", "fine-1", "fine-2"]


def test_any_other_json_body_nesting_too_deep_is_a_400_naming_the_bound(api: Api) -> None:
    for depth in (MAX_JSON_DEPTH + 1, 100_000):
        body = f'{{"full_name": "Olena", "tags": {nested(depth)}}}'
        response = api.post(
            "/customers", content=body, headers={"Content-Type": "application/json"}
        )
        assert_refused(response, 400, f"deeper than {MAX_JSON_DEPTH} levels")
    # Brackets inside text are not nesting.
    fine = api.post("/customers", json={"full_name": "Olena " + "[" * 100})
    assert fine.status_code == 201, fine.text


def test_anonymous_inbound_email_and_chat_are_refused_too_large_or_too_deep(api: Api) -> None:
    anonymous = api.as_(None)
    deep = anonymous.post(
        "/inbound/email", content=nested(100_000), headers={"Content-Type": "application/json"}
    )
    assert_refused(deep, 400, "deeper than")
    chat = anonymous.post("/conversations/chat", json={"text": "x" * 20_000, "language": "en"})
    assert_refused(chat, 413, "16,384 bytes")
