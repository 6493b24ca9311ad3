"""The Heedful web app: FastAPI, with the two hottest requests answered ahead of its routing.

``POST /api/v1/events`` (fast_ingest.py) and ``GET /api/v1/customers/lookup`` (fast_lookup.py)
take their common case here; every other request, and every uncommon case of those two, goes
through FastAPI as usual. Ahead of both, ``body_limits.py`` caps every request's body.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from starlette.types import Receive, Scope, Send

from heedful.entrypoints.body_limits import BodyLimits
from heedful.entrypoints.fast_ingest import EVENTS_PATH, EventIngest
from heedful.entrypoints.fast_lookup import LOOKUP_PATH, IdentityLookup


class HeedfulApp(FastAPI):
    def __init__(self, **settings: Any) -> None:
        super().__init__(**settings)
        self.event_ingest = EventIngest(self.state)
        self.identity_lookup = IdentityLookup(self.state)
        # Outermost, ahead of the lean paths too: no route reads a body over its limit.
        self.body_limits = BodyLimits(self._route)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.body_limits(scope, receive, send)

    async def _route(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            path, method = scope["path"], scope["method"]
            if path == EVENTS_PATH and method == "POST" and self.event_ingest.takes(scope):
                await self.event_ingest.observed(scope, receive, send)
                return
            if path == LOOKUP_PATH and method == "GET":
                question = self.identity_lookup.question(scope)
                if question is not None:
                    scope["heedful.question"] = question
                    await self.identity_lookup.observed(scope, receive, send)
                    return
        await super().__call__(scope, receive, send)
