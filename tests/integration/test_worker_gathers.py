"""The worker's loop lets a trickle gather when woken soon after a working pass (ADR 85).

A real worker loop in a thread, on each database: the first stock report after a quiet spell
is handled the moment it is stored; one stored just after is held back for the gather, unless
the gather is off; a backlog is handled pass after pass, without gathering; and a worker
asked to stop stops waiting.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from builders import a_stock_report

from heedful.adapters.storage.tables import events
from heedful.bootstrap import Container, build
from heedful.config import Settings
from heedful.core.events.handlers import accept_events
from heedful.core.shared.clock import FrozenClock
from heedful.entrypoints.worker.jobs import react_to_events, run_forever


def _handled(container: Container) -> int:
    with container.engine.connect() as conn:
        query = sa.select(sa.func.count()).where(events.c.processed_at.is_not(None))
        return int(conn.execute(query).scalar_one())


def _until_handled(container: Container, count: int, within: float = 30) -> None:
    deadline = time.monotonic() + within
    while _handled(container) < count:
        assert time.monotonic() < deadline, f"{count} events not handled"
        threading.Event().wait(0.02)  # the pause between looks at the database


@contextmanager
def _worker(
    database_url: str, clock: FrozenClock, gather_ms: float, batch: int = 200
) -> Iterator[Container]:
    settings = Settings(
        database_url=database_url,
        log_format="console",
        worker_gather_ms=gather_ms,
        worker_poll_seconds=0.05,
        worker_event_batch=batch,
    )
    container = build(settings, clock=clock)
    stop = threading.Event()
    loop = threading.Thread(
        target=run_forever, args=(container, stop, {"react_to_events": react_to_events})
    )
    loop.start()
    try:
        yield container
    finally:
        stop.set()
        loop.join(timeout=3)  # within the gather of 5 s below
        stopped = not loop.is_alive()
        container.close()
        assert stopped, "the worker went on waiting after it was asked to stop"


def _store(container: Container, clock: FrozenClock, event_id: str) -> None:
    accept_events(container.uow(), clock, [a_stock_report(event_id)])
    container.wake.set()  # as the API does once the events are stored


def test_a_report_just_after_a_batch_waits_for_the_gather_and_stopping_ends_the_wait(
    database_url: str, clock: FrozenClock
) -> None:
    with _worker(database_url, clock, gather_ms=5_000) as container:
        _store(container, clock, "restock-1")
        _until_handled(container, 1)  # the first after a quiet spell: at once

        _store(container, clock, "restock-2")
        threading.Event().wait(0.5)  # long enough for a worker that does not gather
        assert _handled(container) == 1
    # Asked to stop in the middle of its five seconds of gathering, the worker stopped (the
    # context's exit asserts it); the report it held back waits in the inbox for the next one.
    engine = sa.create_engine(database_url)
    try:
        with engine.connect() as conn:
            waiting = sa.select(events.c.event_id).where(events.c.processed_at.is_(None))
            assert list(conn.execute(waiting).scalars()) == ["restock-2"]
    finally:
        engine.dispose()


def test_with_the_gather_off_the_next_report_is_handled_at_once(
    database_url: str, clock: FrozenClock
) -> None:
    with _worker(database_url, clock, gather_ms=0) as container:
        _store(container, clock, "restock-1")
        _until_handled(container, 1)
        _store(container, clock, "restock-2")
        _until_handled(container, 2)


def test_a_backlog_is_handled_batch_after_batch_without_gathering(
    database_url: str, clock: FrozenClock
) -> None:
    # Batches of one: each claim comes back full, so each pass leaves work behind.
    with _worker(database_url, clock, gather_ms=5_000, batch=1) as container:
        accept_events(container.uow(), clock, [a_stock_report(f"restock-{n}") for n in range(3)])
        container.wake.set()
        # Three passes that gathered between them would take ten seconds at least.
        _until_handled(container, 3, within=4.5)
