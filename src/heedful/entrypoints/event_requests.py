"""A POST of business events read and answered the same way by the route and the lean path.

``POST /api/v1/events`` is answered in two places: the FastAPI route (``api/events.py``: any
token, an ``Idempotency-Key``, the OpenAPI document) and the lean path ahead of FastAPI
(``fast_ingest.py``: the hot case). What the sender may send, which media types mean what, how
the body is read and bounded, and the answer are decided here, once, so the two differ only in
how they get the bytes. The rules about the events themselves (JSON, batch limit, reading,
counting) are the core's, in ``core/events/intake.py``, shared with the file and stream paths.
"""

from __future__ import annotations

from typing import Any, Final

import structlog
from starlette.datastructures import State
from starlette.responses import JSONResponse, Response

from heedful.bootstrap import Container
from heedful.core.access.model import Actor, Permission
from heedful.core.events.cloudevents import storable_text_only
from heedful.core.events.intake import UnreadableJson, check_batch_size, decode_json, read_events
from heedful.core.shared.errors import InvalidInput
from heedful.entrypoints.api.problems import problem
from heedful.entrypoints.group_commit import group_commit

SINGLE: Final = "application/cloudevents+json"
BATCH: Final = "application/cloudevents-batch+json"
PLAIN_JSON: Final = "application/json"
MEDIA_TYPES: Final = (SINGLE, BATCH, PLAIN_JSON)
# What a token must be allowed to do to send events; the lean path takes only such senders.
SENDS_EVENTS: Final = Permission.SEND_EVENTS

log = structlog.get_logger("heedful.events")


def may_send(actor: Actor | None) -> bool:
    return actor is not None and actor.may(SENDS_EVENTS)


def media_type_of(content_type: str) -> str:
    return content_type.split(";", 1)[0].strip().lower()


def is_batch(media_type: str) -> bool:
    """A batch answers per event; one event (either single media type) is refused as a 422."""
    return media_type == BATCH


def _unsupported() -> Response:
    return problem(415, f"send events as {SINGLE}, {BATCH} or {PLAIN_JSON}", field="Content-Type")


def decode_events(media_type: str, raw: bytes) -> tuple[Any, list[Any]] | Response:
    """The body and the events in it, or the problem that answers a body of the wrong shape."""
    if media_type not in MEDIA_TYPES:
        return _unsupported()
    try:
        body = decode_json(raw)
    except UnreadableJson as unreadable:
        return problem(400, unreadable.reason("the body"), field="body")
    if is_batch(media_type):
        if not isinstance(body, list):
            return problem(422, f"a {BATCH} body is a JSON array of events", field="body")
        try:
            check_batch_size(len(body))
        except InvalidInput as too_many:
            return problem(422, too_many.message, field=too_many.field)
        return body, body
    if not isinstance(body, dict):
        return problem(422, f"one event is a JSON object; send a list as {BATCH}", field="body")
    return body, [body]


async def answer_events(
    state: State, content_type: str, raw: bytes, sender_locations: frozenset[str] | None
) -> Response:
    """Read, store through the group commit, and answer 202 once the events are committed.

    For a request without an ``Idempotency-Key`` from a sender allowed to send events;
    ``sender_locations`` is that sender's scope (``Actor.scope``), stored with each event.
    """
    media_type = media_type_of(content_type)
    decoded = decode_events(media_type, raw)
    if isinstance(decoded, Response):
        return decoded
    state.container.know_event_types()  # the business's own types: a query every few seconds
    events, report = read_events(
        decoded[1], text_checked=storable_text_only(raw), sender_locations=sender_locations
    )
    try:
        if not is_batch(media_type):
            report.refuse_one()
        report.count_stored(await group_commit(state).store(events))
    except InvalidInput as refused:
        return problem(422, refused.message, field=refused.field)
    except Exception:
        # Nothing was acknowledged: the sender may retry the whole request safely.
        log.exception("events_not_stored")
        return problem(500, "the events could not be stored; send them again")
    if report.accepted:
        container: Container = state.container
        container.wake.set()  # the in-process worker reacts now, not at its next poll
    return JSONResponse(report.as_json(), status_code=202)
