"""The lean path for POST /api/v1/events: the hot case answered ahead of FastAPI's routing.

A stock system sending every change one by one makes this the busiest request Heedful serves,
and most of its cost was the HTTP stack, not the events: matching the path against every API and
console route, solving dependencies, the session middleware (which an API token never uses), and
telemetry hooks. Here a plain ASGI handler answers the common case, a token the cache already
knows that may send events and no Idempotency-Key. Reading, storing and answering are
``event_requests.py``'s, which the route in ``api/events.py`` calls too: this path only gets the
bytes. Everything else (an unknown or uncached token, a role that may not send, an
Idempotency-Key) goes to that route, which also keeps the endpoint in the OpenAPI document.
Requests on this path are logged and counted like any other.
"""

from __future__ import annotations

from starlette.datastructures import State
from starlette.types import Receive, Scope, Send

from heedful.entrypoints.event_requests import answer_events, may_send
from heedful.entrypoints.observability import FixedRoute, ObserveRequests
from heedful.entrypoints.token_cache import cached_bearer

EVENTS_PATH = "/api/v1/events"
_ROUTE = FixedRoute.at(EVENTS_PATH)


class EventIngest:
    """Answers POST /api/v1/events when ``takes`` says the request is the hot case."""

    def __init__(self, state: State) -> None:
        self._state = state
        self.observed = ObserveRequests(self._answer)

    def takes(self, scope: Scope) -> bool:
        """A cached token that may send events, and no Idempotency-Key: decided by headers alone,
        before the body is read, so the route can still take every other request whole."""
        for name, _ in scope["headers"]:
            if name == b"idempotency-key":
                return False  # its remembered answer commits with its events: the route's job
        actor = cached_bearer(self._state.token_cache, scope["headers"])
        scope["heedful.sender"] = actor  # its scope is stored with the events (ADR 0029)
        return may_send(actor)

    async def _answer(self, scope: Scope, receive: Receive, send: Send) -> None:
        scope["route"] = _ROUTE
        content_type = b""
        for name, value in scope["headers"]:
            if name == b"content-type":
                content_type = value
        body = await _read_body(receive)
        if body is None:
            return  # the sender hung up; nothing was stored and nobody is listening
        sender = scope["heedful.sender"]
        response = await answer_events(
            self._state, content_type.decode("latin-1"), body, sender.scope
        )
        await response(scope, receive, send)


async def _read_body(receive: Receive) -> bytes | None:
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return None
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            return b"".join(chunks)
