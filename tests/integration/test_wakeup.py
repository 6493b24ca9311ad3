"""A worker in another process hears about new events the moment they are committed."""

from __future__ import annotations

import threading

import pytest

from heedful.adapters.storage.wakeup import start_listener
from heedful.bootstrap import Container
from heedful.core.events.handlers import accept_events
from heedful.core.shared.clock import FrozenClock


def _event(event_id: str) -> dict[str, object]:
    return {
        "specversion": "1.0",
        "id": event_id,
        "source": "urn:shop:stock",
        "type": "heedful.stock.changed",
        "data": {"product": "bag-noir", "location": "lypky", "quantity": 1},
    }


def test_storing_new_events_wakes_a_listening_worker_and_a_duplicate_does_not(
    database_url: str, container: Container, clock: FrozenClock
) -> None:
    wake, stop = threading.Event(), threading.Event()
    listener = start_listener(database_url, wake, stop)
    if listener is None:
        assert database_url.startswith("sqlite")
        pytest.skip("SQLite has one process: the API wakes its in-process worker directly")
    try:
        # The listener is up once a notification gets through (it connects in its own thread).
        for attempt in range(20):
            accept_events(container.uow(), clock, [_event(f"warm-up-{attempt}")])
            if wake.wait(timeout=0.5):
                break
        assert wake.is_set(), "no notification arrived"
        wake.clear()

        accept_events(container.uow(), clock, [_event("restock-1")])
        assert wake.wait(timeout=10)  # waits on PostgreSQL's notification, not on a deadline
        wake.clear()

        accept_events(container.uow(), clock, [_event("restock-1")])  # a retry: nothing new
        assert not wake.wait(timeout=0.5)
    finally:
        stop.set()
        listener.join(timeout=5)
