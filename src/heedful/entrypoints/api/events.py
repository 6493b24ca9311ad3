"""POST /api/v1/events: business events in, as CloudEvents 1.0 (structured JSON, one or a batch).

The hottest write Heedful has (a shop's stock system may send every change), so the route reads the
body itself rather than through a pydantic model, and checks a token the cache already knows
without a hop to a worker thread. The answer is sent only after the events are committed.
"""

from __future__ import annotations

import asyncio
import json
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Final

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from fastapi.security import HTTPAuthorizationCredentials
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import State

from heedful.bootstrap import Container
from heedful.core.access.model import Permission
from heedful.core.events.bounds import MAX_DATA_DEPTH
from heedful.core.events.cloudevents import storable_text_only
from heedful.core.events.handlers import (
    MAX_BATCH,
    IngestReport,
    accept_events,
    read_events,
    store_events,
)
from heedful.core.events.model import BusinessEvent
from heedful.core.shared.errors import InvalidInput
from heedful.core.shared.ports import UnitOfWork
from heedful.core.staff.handlers import hash_token
from heedful.entrypoints.api.auth import Context, get_context
from heedful.entrypoints.api.idempotency import HEADER, write
from heedful.entrypoints.api.problems import problem
from heedful.entrypoints.token_cache import TokenCache

SINGLE: Final = "application/cloudevents+json"
BATCH: Final = "application/cloudevents-batch+json"
PLAIN_JSON: Final = "application/json"
MEDIA_TYPES: Final = (SINGLE, BATCH, PLAIN_JSON)

router = APIRouter(tags=["events"])


class RejectedEvent(BaseModel):
    index: int = Field(description="Position in the batch, from 0")
    reason: str
    field: str = Field(description="The attribute at fault: `type`, `time`, `data.quantity`…")


class IngestReportOut(BaseModel):
    accepted: int = Field(description="Events stored now")
    duplicates: int = Field(description="Events seen before (same source and id): stored once")
    rejected: list[RejectedEvent]


_CLOUDEVENT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["specversion", "id", "source", "type"],
    "properties": {
        "specversion": {"type": "string", "enum": ["1.0"]},
        "id": {"type": "string", "minLength": 1},
        "source": {"type": "string", "minLength": 1},
        "type": {"type": "string", "example": "heedful.stock.changed"},
        "subject": {"type": "string"},
        "time": {"type": "string", "format": "date-time"},
        "datacontenttype": {"type": "string", "enum": ["application/json"]},
        "dataschema": {"type": "string"},
        "data": {"type": "object"},
    },
    "additionalProperties": True,
    "example": {
        "specversion": "1.0",
        "id": "stock-2026-03-02-000123",
        "source": "urn:shop:kyiv-stock",
        "type": "heedful.stock.changed",
        "time": "2026-03-02T09:15:00+02:00",
        "data": {"product": "bag-noir", "size": "M", "location": "loc_kyiv", "quantity": 2},
    },
}
_OPENAPI: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            SINGLE: {"schema": _CLOUDEVENT_SCHEMA},
            PLAIN_JSON: {"schema": _CLOUDEVENT_SCHEMA},
            BATCH: {
                "schema": {"type": "array", "maxItems": MAX_BATCH, "items": _CLOUDEVENT_SCHEMA}
            },
        },
    }
}


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")  # NaN and Infinity: Python reads them, JSON has none


async def _context(request: Request) -> Context:
    """Who is sending: from the token cache in the event loop, else checked in a worker thread."""
    authorization = request.headers.get("authorization", "")
    scheme, _, secret = authorization.partition(" ")
    if scheme.lower() == "bearer" and secret:
        cache: TokenCache = request.app.state.token_cache
        actor = cache.actor_for(hash_token(secret.strip()))
        if actor is not None:
            return Context(container=request.app.state.container, actor=actor)
    credentials = None
    if scheme.lower() == "bearer" and secret:
        credentials = HTTPAuthorizationCredentials(scheme=scheme, credentials=secret.strip())
    return await get_context(request, credentials)


@router.post(
    "/events",
    status_code=202,
    response_model=IngestReportOut,
    summary="Send business events (CloudEvents 1.0, one or a batch of up to 1,000)",
    description=(
        "One event as `application/cloudevents+json` (or `application/json`), or a JSON array as "
        "`application/cloudevents-batch+json`. Events are stored before the answer: 202 means "
        "they are durable. An event whose `source` and `id` were seen before is counted as a "
        "duplicate and stored once, so retrying a batch is always safe. In a batch, a bad event "
        "is reported by its index and the others are stored; a single bad event is a 422."
    ),
    openapi_extra=_OPENAPI,
)
async def send_events(request: Request) -> Response:
    # The hot case (a cached token, no Idempotency-Key) is answered by entrypoints/fast_ingest.py
    # before FastAPI's routing; this route answers the rest and documents the endpoint.
    ctx = await _context(request)
    ctx.actor.require(Permission.SEND_EVENTS)
    media_type = media_type_of(request.headers.get("content-type", ""))
    if media_type not in MEDIA_TYPES:
        return _unsupported()
    decoded = decode_events(media_type, await request.body())
    if isinstance(decoded, Response):
        return decoded
    body, raw_events = decoded
    single = media_type != BATCH
    if request.headers.get(HEADER) is not None:
        answer = await run_in_threadpool(_store_remembered, request, ctx, body, raw_events, single)
        ctx.container.wake.set()  # the in-process worker reacts now, not at its next poll
        return answer
    text_checked = storable_text_only(await request.body())
    return await store_decoded(
        request.app.state,
        raw_events,
        single=single,
        text_checked=text_checked,
        sender_locations=ctx.actor.scope,
    )


def media_type_of(content_type: str) -> str:
    return content_type.split(";", 1)[0].strip().lower()


def _unsupported() -> Response:
    return problem(415, f"send events as {SINGLE}, {BATCH} or {PLAIN_JSON}", field="Content-Type")


def decode_events(media_type: str, raw: bytes) -> tuple[Any, list[Any]] | Response:
    """The body and the events in it, or the problem that answers a body of the wrong shape.

    The stdlib decoder, once per request: events are validated by plain code afterwards.
    """
    if media_type not in MEDIA_TYPES:
        return _unsupported()
    try:
        body = json.loads(raw, parse_constant=_refuse_constant)
    except (ValueError, UnicodeDecodeError):
        return problem(400, "the body is not valid JSON", field="body")
    except RecursionError:
        # Far past any bound (core/events/bounds.py): the decoder gave up before it could be asked.
        return problem(400, f"the JSON nests deeper than {MAX_DATA_DEPTH} levels", field="body")
    if media_type == BATCH:
        if not isinstance(body, list):
            return problem(422, f"a {BATCH} body is a JSON array of events", field="body")
        if len(body) > MAX_BATCH:
            return problem(422, f"send at most {MAX_BATCH} events per batch", field="body")
        return body, body
    if not isinstance(body, dict):
        return problem(422, f"one event is a JSON object; send a list as {BATCH}", field="body")
    return body, [body]


async def store_decoded(
    state: State,
    raw_events: list[Any],
    *,
    single: bool,
    text_checked: bool,
    sender_locations: frozenset[str] | None,
) -> Response:
    """Validate, store through the group commit, and answer 202 once the events are committed.

    ``text_checked``: ``storable_text_only`` said so of the body. ``sender_locations``: the
    sending token's scope (``Actor.scope``), stored with each event; never from the body.
    """
    events, report = read_events(
        raw_events, text_checked=text_checked, sender_locations=sender_locations
    )
    if single and report.rejected:
        return _refused(report)
    new = await group_commit(state).store(events)
    report.accepted = sum(new)
    report.duplicates = len(new) - report.accepted
    if report.accepted:
        container: Container = state.container
        container.wake.set()  # the in-process worker reacts now, not at its next poll
    return JSONResponse(report.as_json(), status_code=202)


def _refused(report: IngestReport) -> Response:
    # One event that cannot be stored is the request's fault: a 422 naming the attribute.
    refused = report.rejected[0]
    return problem(422, refused.reason, field=refused.field)


def _store_remembered(
    request: Request, ctx: Context, body: Any, raw_events: list[Any], single: bool
) -> Response:
    """With an Idempotency-Key: the events and the remembered answer in one transaction."""

    def action(uow: UnitOfWork) -> dict[str, Any]:
        report = accept_events(
            uow, ctx.container.clock, raw_events, sender_locations=ctx.actor.scope
        )
        if single and report.rejected:
            refused = report.rejected[0]
            raise InvalidInput(refused.reason, field=refused.field)
        return report.as_json()

    return write(request, ctx, body, 202, action)


class GroupCommit:
    """Events of concurrent requests stored together: one INSERT and one commit for many.

    A stock system sending events one by one, thirty connections at a time, would otherwise cost a
    transaction, a pooled connection and a thread hop per event, and the commits' disk flushes
    would queue. Here each request parks its events and awaits; a writer takes everything parked,
    stores it in one transaction in a worker thread, and only then wakes the requests: each still
    answers after its own events are committed. With no load a batch is one request, so waiting
    adds nothing; under load the batches grow by themselves.
    """

    WRITERS = 2  # two transactions in flight: one commits while the next one inserts
    MAX_EVENTS = 5000  # per transaction: a bound on how long one commit holds its requests

    def __init__(self, container: Container) -> None:
        self._container = container
        self.loop = asyncio.get_running_loop()
        self._parked: deque[tuple[list[BusinessEvent], asyncio.Future[list[bool]]]] = deque()
        self._writing = 0
        self._tasks: set[asyncio.Task[None]] = set()
        self._executor = ThreadPoolExecutor(self.WRITERS, thread_name_prefix="event-writer")

    async def store(self, events: list[BusinessEvent]) -> list[bool]:
        if not events:
            return []
        future: asyncio.Future[list[bool]] = self.loop.create_future()
        self._parked.append((events, future))
        if self._writing < self.WRITERS:
            self._writing += 1
            task = self.loop.create_task(self._drain())
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        return await future

    async def _drain(self) -> None:
        try:
            while self._parked:
                taken = [self._parked.popleft()]
                count = len(taken[0][0])
                while self._parked and count + len(self._parked[0][0]) <= self.MAX_EVENTS:
                    taken.append(self._parked.popleft())
                    count += len(taken[-1][0])
                await self._write(taken)
        finally:
            self._writing -= 1

    async def _write(
        self, taken: list[tuple[list[BusinessEvent], asyncio.Future[list[bool]]]]
    ) -> None:
        events = [event for parked, _ in taken for event in parked]
        try:
            answers = await self.loop.run_in_executor(self._executor, self._store, events)
        except Exception as exc:  # every waiting request gets the failure
            for _, future in taken:
                if not future.done():
                    future.set_exception(exc)
            return
        start = 0
        for parked, future in taken:
            if not future.done():  # a client that hung up has cancelled its wait
                future.set_result(answers[start : start + len(parked)])
            start += len(parked)

    def _store(self, events: list[BusinessEvent]) -> list[bool]:
        return store_events(self._container.uow(), self._container.clock, events)

    def close(self) -> None:
        self._executor.shutdown(wait=False)


def group_commit(state: State) -> GroupCommit:
    """The app's writer for the running event loop (tests start a loop per client)."""
    writer: GroupCommit | None = getattr(state, "event_group_commit", None)
    if writer is None or writer.loop is not asyncio.get_running_loop():
        if writer is not None:
            writer.close()
        writer = GroupCommit(state.container)
        state.event_group_commit = writer
    return writer
