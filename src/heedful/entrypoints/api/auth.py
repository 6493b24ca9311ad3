"""Bearer API tokens: each request acts as the token's role, scoped to its locations."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from heedful.bootstrap import Container
from heedful.core.access.model import Actor
from heedful.core.staff.handlers import authenticate_token, hash_token
from heedful.entrypoints.console.i18n import build_uis, negotiate
from heedful.entrypoints.token_cache import TokenCache

_bearer = HTTPBearer(auto_error=False, description="An API token from `heedful token create`")


@dataclass(frozen=True)
class Context:
    """What every route needs: the container and who is asking."""

    container: Container
    actor: Actor
    # The request's Accept-Language, for sentences Heedful wrote (ADR 0047); codes stay codes.
    language: str = "en"

    def gettext(self, message: str) -> str:
        return build_uis()[self.language].gettext(message)


def get_container(request: Request) -> Container:
    container: Container = request.app.state.container
    return container


async def get_context(
    request: Request,
    credentials: HTTPAuthorizationCredentials | None = Depends(_bearer),  # noqa: B008 - FastAPI idiom
) -> Context:
    # Async so that a cached token costs no hop to the thread pool: every API request pays this.
    container = get_container(request)
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise HTTPException(
            401,
            "send an API token: Authorization: Bearer <token>",
            headers={"WWW-Authenticate": "Bearer"},
        )
    cache: TokenCache = request.app.state.token_cache
    token_hash = hash_token(credentials.credentials)
    actor = cache.actor_for(token_hash)
    if actor is None:
        # Reads without a write turn; writes, for every method, only the token's "last used"
        # when it is due (once a minute), and only on a cache miss (ADRs 70, 74).
        token = await run_in_threadpool(
            partial(authenticate_token, writing=container.uow),
            credentials.credentials,
            container.uow(read_only=True),
            container.clock,
        )
        if token is None:
            raise HTTPException(
                401,
                "this token is unknown, revoked or expired",
                headers={"WWW-Authenticate": "Bearer"},
            )
        actor = token.as_actor()
        cache.remember(token_hash, token.id, actor, token.expires_at)
    container.know_event_types()  # playbooks and events name them; a query every few seconds
    language = negotiate(request.headers.get("accept-language"), "en")
    return Context(container=container, actor=actor, language=language)


async def sender(request: Request) -> Context:
    """``get_context`` for a route that solves no dependencies (the event ingest, whose lean path
    ``cached_bearer`` reads the same header the same way): the same answers, the same cache."""
    return await get_context(request, await _bearer(request))
