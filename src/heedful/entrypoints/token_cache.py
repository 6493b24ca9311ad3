"""Verified API tokens, remembered for a few seconds.

Checking a bearer token is a database transaction of its own on every request; for the hottest
read integrators make (a till asking "who is this phone?"), that was a third of the time. A token
checked in the last few seconds is trusted again without the database. A token revoked through
this process (API or console) is forgotten at once; one revoked elsewhere (the CLI, another
worker) stops working within ``TTL_SECONDS``. A token that expires stops working at its
``expires_at`` by the injected clock, cached or not.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from fastapi.security.utils import get_authorization_scheme_param

from heedful.core.access.model import Actor
from heedful.core.shared.clock import Clock
from heedful.core.staff.handlers import hash_token

TTL_SECONDS = 5.0
MAX_TOKENS = 10_000


@dataclass(frozen=True)
class _Entry:
    token_id: str
    actor: Actor
    expires_at: float
    token_expires_at: datetime | None = None


class TokenCache:
    def __init__(self, ttl_seconds: float = TTL_SECONDS, clock: Clock | None = None) -> None:
        self._ttl = ttl_seconds
        self._clock = clock
        self._entries: dict[str, _Entry] = {}
        self._lock = threading.Lock()

    def actor_for(self, token_hash: str) -> Actor | None:
        entry = self._entries.get(token_hash)
        if entry is None or entry.expires_at < time.monotonic():
            return None
        # Only tokens that expire read the clock: the others cost nothing more than before.
        if (
            entry.token_expires_at is not None
            and self._clock is not None
            and self._clock.now() >= entry.token_expires_at
        ):
            return None
        return entry.actor

    def remember(
        self, token_hash: str, token_id: str, actor: Actor, expires_at: datetime | None = None
    ) -> None:
        if expires_at is not None and self._clock is None:
            return  # no clock to tell when it ends: ask the database every time
        with self._lock:
            if len(self._entries) >= MAX_TOKENS:
                self._entries.clear()  # a flood of distinct tokens must not grow memory
            self._entries[token_hash] = _Entry(
                token_id, actor, time.monotonic() + self._ttl, expires_at
            )

    def forget(self, token_id: str) -> None:
        with self._lock:
            for token_hash in [h for h, e in self._entries.items() if e.token_id == token_id]:
                del self._entries[token_hash]


def cached_bearer(cache: TokenCache, headers: Iterable[tuple[bytes, bytes]]) -> Actor | None:
    """The actor behind the raw ASGI headers' bearer token, when the cache already knows it.

    For the lean paths, which answer ahead of FastAPI: an unknown token goes the long way, where
    it is checked against the database (and then cached).
    """
    authorization = b""
    for name, value in headers:
        if name == b"authorization":
            authorization = value
            break
    # FastAPI's own reading of the header (HTTPBearer's): the route and the lean path agree.
    scheme, secret = get_authorization_scheme_param(authorization.decode("latin-1"))
    if scheme.lower() != "bearer" or not secret:
        return None
    return cache.actor_for(hash_token(secret))
