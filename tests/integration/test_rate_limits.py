"""Rate-limit windows in the database: every process counts against the same windows, and
requests racing on one key let exactly the limit through, on SQLite and PostgreSQL."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from heedful.bootstrap import Container, build
from heedful.config import Settings
from heedful.core.shared.clock import FrozenClock
from heedful.core.shared.throttle import Rule, key

TEN_A_MINUTE = Rule("chat.message.address", 10, 60)


def test_requests_racing_on_a_new_key_let_exactly_the_limit_through(
    container: Container, clock: FrozenClock
) -> None:
    limits = container.rate_limits()
    stored = key(TEN_A_MINUTE, "203.0.113.7")

    with ThreadPoolExecutor(max_workers=8) as pool:
        verdicts = list(
            pool.map(lambda _: limits.spend(stored, TEN_A_MINUTE, clock.now()), range(40))
        )

    assert sum(v.allowed for v in verdicts) == 10
    assert {v.retry_after for v in verdicts if not v.allowed} == {60}


def test_two_processes_share_one_window(
    container: Container, clock: FrozenClock, database_url: str
) -> None:
    # A second web worker: its own engine and pool on the same database.
    other = build(Settings(database_url=database_url, log_format="console"), clock=clock)
    try:
        stored = key(TEN_A_MINUTE, "203.0.113.8")
        mine = [container.rate_limits().spend(stored, TEN_A_MINUTE, clock.now()) for _ in range(6)]
        theirs = [other.rate_limits().spend(stored, TEN_A_MINUTE, clock.now()) for _ in range(6)]
    finally:
        other.close()

    assert all(v.allowed for v in mine)
    assert [v.allowed for v in theirs] == [True] * 4 + [False] * 2
    clock.advance(timedelta(seconds=60))
    assert container.rate_limits().spend(stored, TEN_A_MINUTE, clock.now()).allowed
