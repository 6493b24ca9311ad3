"""The API's short memory of verified tokens."""

from __future__ import annotations

from heedful.core.access.model import Actor, Role
from heedful.entrypoints.token_cache import TokenCache

TILL = Actor(id="tok_till", label="API token till", role=Role.AGENT, location_ids=frozenset({"a"}))


def test_a_checked_token_is_trusted_again_without_the_database() -> None:
    cache = TokenCache(ttl_seconds=60)
    cache.remember("hash-1", "tok_till", TILL)
    assert cache.actor_for("hash-1") == TILL
    assert cache.actor_for("hash-2") is None


def test_a_token_revoked_here_is_forgotten_at_once() -> None:
    cache = TokenCache(ttl_seconds=60)
    cache.remember("hash-1", "tok_till", TILL)
    cache.forget("tok_till")
    assert cache.actor_for("hash-1") is None


def test_a_remembered_token_is_checked_again_once_its_time_is_up() -> None:
    cache = TokenCache(ttl_seconds=-1)  # already expired: the database decides again
    cache.remember("hash-1", "tok_till", TILL)
    assert cache.actor_for("hash-1") is None


def test_a_remembered_token_stops_at_its_expiry_by_the_injected_clock() -> None:
    from datetime import UTC, datetime, timedelta

    from heedful.core.shared.clock import FrozenClock

    clock = FrozenClock(datetime(2026, 3, 2, 9, tzinfo=UTC))
    cache = TokenCache(ttl_seconds=60, clock=clock)
    cache.remember("hash-1", "tok_till", TILL, expires_at=clock.now() + timedelta(seconds=30))
    assert cache.actor_for("hash-1") == TILL
    clock.advance(timedelta(seconds=30))
    assert cache.actor_for("hash-1") is None
