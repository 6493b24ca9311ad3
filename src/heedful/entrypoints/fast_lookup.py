"""The lean path for GET /api/v1/customers/lookup: "who is +380671234567?", asked per receipt.

A till or a hotel's PMS asks this for every sale or check-in, and the answer is one indexed read;
most of its time was FastAPI's routing, dependency solving and validation around it. Like the
event ingest (``fast_ingest.py``), a plain ASGI handler answers the common case, a token the cache
already knows that may see customers and a query of exactly ``kind`` and ``value`` that are
well formed, with the same use case, the same answer and the same problems. Anything else (an
unknown token, a malformed or extra parameter) goes to the route in ``api/customers.py``, which
also keeps the endpoint in the OpenAPI document. Requests here are logged and counted as usual.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qsl

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import State
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from heedful.bootstrap import Container
from heedful.core.access.model import Actor, Permission
from heedful.core.customers import handlers as customers
from heedful.core.customers.identities import IdentityKind
from heedful.core.shared.errors import HeedfulError
from heedful.entrypoints.api.present import customer_out
from heedful.entrypoints.api.problems import domain_problem
from heedful.entrypoints.observability import FixedRoute, ObserveRequests
from heedful.entrypoints.token_cache import TokenCache, cached_bearer

LOOKUP_PATH = "/api/v1/customers/lookup"
_KINDS = {kind.value: kind for kind in IdentityKind}
# The route's own limits on `value` (api/customers.py): longer or with a NUL goes there.
_MAX_VALUE = 254


_ROUTE = FixedRoute.at(LOOKUP_PATH)


@dataclass(frozen=True)
class _Question:
    actor: Actor
    kind: IdentityKind
    value: str


class IdentityLookup:
    """Answers GET /api/v1/customers/lookup when ``question`` finds it the common case."""

    def __init__(self, state: State) -> None:
        self._state = state
        self.observed = ObserveRequests(self._answer)

    def question(self, scope: Scope) -> _Question | None:
        """Who asks and for what, when the request is the common case; decided from the
        headers and the query string alone."""
        cache: TokenCache = self._state.token_cache
        actor = cached_bearer(cache, scope["headers"])
        if actor is None or not actor.may(Permission.VIEW_CUSTOMERS):
            return None
        try:
            pairs = parse_qsl(
                scope["query_string"].decode("latin-1"), strict_parsing=True, errors="strict"
            )
        except ValueError:  # UnicodeDecodeError too: the route decides what to say
            return None
        asked = dict(pairs)
        if len(pairs) != 2 or asked.keys() != {"kind", "value"}:
            return None
        kind, value = _KINDS.get(asked["kind"]), asked["value"]
        if kind is None or not 1 <= len(value) <= _MAX_VALUE or "\x00" in value:
            return None
        return _Question(actor, kind, value)

    async def _answer(self, scope: Scope, receive: Receive, send: Send) -> None:
        scope["route"] = _ROUTE
        asked: _Question = scope["heedful.question"]
        container: Container = self._state.container
        response = await run_in_threadpool(_look_up, container, asked)
        await response(scope, receive, send)


def _look_up(container: Container, asked: _Question) -> Response:
    try:
        found, identities = customers.look_up_with_identities(
            asked.kind, asked.value, container.uow(read_only=True), asked.actor
        )
        out = customer_out(found, identities)
    except HeedfulError as exc:
        return domain_problem(exc)
    return Response(out.model_dump_json(), media_type="application/json")
