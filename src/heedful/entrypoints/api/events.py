"""POST /api/v1/events: business events in, as CloudEvents 1.0 (structured JSON, one or a batch).

The hottest write Heedful has (a shop's stock system may send every change), so the route reads the
body itself rather than through a pydantic model, and checks a token the cache already knows
without a hop to a worker thread. The answer is sent only after the events are committed.
Reading and answering are ``entrypoints/event_requests.py``'s, shared with the lean path; this
route adds what only it does: any token, an Idempotency-Key, and the OpenAPI document.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from heedful.core.events.handlers import MAX_BATCH, accept_events
from heedful.core.unit_of_work import UnitOfWork
from heedful.entrypoints.api.auth import Context, sender
from heedful.entrypoints.api.idempotency import HEADER, write
from heedful.entrypoints.event_requests import (
    BATCH,
    PLAIN_JSON,
    SENDS_EVENTS,
    SINGLE,
    answer_events,
    decode_events,
    is_batch,
    media_type_of,
)

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
    # before FastAPI's routing; this route answers the rest and documents the endpoint. Both read
    # and answer through entrypoints/event_requests.py.
    ctx = await sender(request)
    ctx.actor.require(SENDS_EVENTS)
    content_type = request.headers.get("content-type", "")
    raw = await request.body()
    if request.headers.get(HEADER) is None:
        return await answer_events(request.app.state, content_type, raw, ctx.actor.scope)
    media_type = media_type_of(content_type)
    decoded = decode_events(media_type, raw)
    if isinstance(decoded, Response):
        return decoded
    body, raw_events = decoded
    answer = await run_in_threadpool(
        _store_remembered, request, ctx, body, raw_events, not is_batch(media_type)
    )
    ctx.container.wake.set()  # the in-process worker reacts now, not at its next poll
    return answer


def _store_remembered(
    request: Request, ctx: Context, body: Any, raw_events: list[Any], single: bool
) -> Response:
    """With an Idempotency-Key: the events and the remembered answer in one transaction."""

    def action(uow: UnitOfWork) -> dict[str, Any]:
        report = accept_events(
            uow, ctx.container.clock, raw_events, sender_locations=ctx.actor.scope
        )
        if single:
            report.refuse_one()
        return report.as_json()

    return write(request, ctx, body, 202, action)
