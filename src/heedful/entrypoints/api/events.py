"""POST /api/v1/events: business events in, as CloudEvents 1.0 (structured JSON, one or a batch).

The hottest write Heedful has (a shop's stock system may send every change), so the route reads the
body itself rather than through a pydantic model, and checks a token the cache already knows
without a hop to a worker thread. The answer is sent only after the events are committed.
"""

from __future__ import annotations

import json
from typing import Any, Final

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from fastapi.security import HTTPAuthorizationCredentials
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from heedful.core.access.model import Permission
from heedful.core.events.handlers import MAX_BATCH, accept_events
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
    context: Context = await run_in_threadpool(get_context, request, credentials)
    return context


def _media_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";", 1)[0].strip().lower()


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
    ctx = await _context(request)
    ctx.actor.require(Permission.SEND_EVENTS)
    media_type = _media_type(request)
    if media_type not in (SINGLE, BATCH, PLAIN_JSON):
        return problem(
            415,
            f"send events as {SINGLE}, {BATCH} or {PLAIN_JSON}",
            field="Content-Type",
        )
    try:
        body = json.loads(await request.body(), parse_constant=_refuse_constant)
    except (ValueError, UnicodeDecodeError):
        return problem(400, "the body is not valid JSON", field="body")
    if media_type == BATCH:
        if not isinstance(body, list):
            return problem(422, f"a {BATCH} body is a JSON array of events", field="body")
        if len(body) > MAX_BATCH:
            return problem(422, f"send at most {MAX_BATCH} events per batch", field="body")
        raw_events = body
    else:
        if not isinstance(body, dict):
            return problem(422, f"one event is a JSON object; send a list as {BATCH}", field="body")
        raw_events = [body]
    return await run_in_threadpool(_store, request, ctx, body, raw_events, media_type != BATCH)


def _store(
    request: Request, ctx: Context, body: Any, raw_events: list[Any], single: bool
) -> Response:
    def action(uow: UnitOfWork) -> dict[str, Any]:
        report = accept_events(uow, ctx.container.clock, raw_events)
        if single and report.rejected:
            # One event that cannot be stored is the request's fault: a 422 naming the attribute.
            refused = report.rejected[0]
            raise InvalidInput(refused.reason, field=refused.field)
        return report.as_json()

    if request.headers.get(HEADER) is not None:
        return write(request, ctx, body, 202, action)
    return JSONResponse(action(ctx.container.uow()), status_code=202)
