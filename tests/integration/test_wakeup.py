"""A worker in another process hears about new events and messages the moment they are committed."""

from __future__ import annotations

import threading

import pytest
from builders import a_stock_report
from promise_world import build_world

from heedful.adapters.storage.wakeup import EVENTS_CHANNEL, MESSAGES_CHANNEL, start_listener
from heedful.bootstrap import Container
from heedful.core.customers.consent import Purpose
from heedful.core.events.handlers import accept_events
from heedful.core.outreach.outbox import Message
from heedful.core.shared.clock import FrozenClock


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
            accept_events(container.uow(), clock, [a_stock_report(f"warm-up-{attempt}")])
            if wake.wait(timeout=0.5):
                break
        assert wake.is_set(), "no notification arrived"
        wake.clear()

        accept_events(container.uow(), clock, [a_stock_report("restock-1")])
        assert wake.wait(timeout=10)  # waits on PostgreSQL's notification, not on a deadline
        wake.clear()

        accept_events(container.uow(), clock, [a_stock_report("restock-1")])  # a retry: nothing new
        assert not wake.wait(timeout=0.5)
    finally:
        stop.set()
        listener.join(timeout=5)


def test_a_queued_message_wakes_a_relay_and_not_a_worker_that_only_takes_events(
    database_url: str, container: Container, clock: FrozenClock
) -> None:
    world = build_world(container, clock)
    olena = world.customer("Olena", email="olena@example.com")
    relay, events_only, stop = threading.Event(), threading.Event(), threading.Event()
    listeners = [
        start_listener(database_url, relay, stop, [MESSAGES_CHANNEL]),
        start_listener(database_url, events_only, stop, [EVENTS_CHANNEL]),
    ]
    if listeners[0] is None:
        pytest.skip("SQLite has one process: nothing to wake in another")

    def queue(number: int) -> None:
        with container.uow() as uow:
            uow.outbox.add(
                Message(
                    id=f"msg_wake_{number}",
                    customer_id=olena.id,
                    template_key="back_in_stock",
                    purpose=Purpose.SERVICE,
                    created_at=clock.now(),
                    ready_at=clock.now(),
                )
            )
            uow.commit()

    try:
        for attempt in range(20):  # both listeners are up once a notification gets through
            queue(attempt)
            accept_events(container.uow(), clock, [a_stock_report(f"warm-up-{attempt}")])
            if relay.wait(timeout=0.5) and events_only.wait(timeout=0.5):
                break
        assert relay.is_set(), "no notification of a message arrived"
        assert events_only.is_set(), "no notification of an event arrived"
        relay.clear()
        # The warm-up's last event may still be on its way (the events' listener may have woken
        # at the attempt before): it is let through before the message is queued.
        while events_only.wait(timeout=0.5):
            events_only.clear()

        queue(100)
        assert relay.wait(timeout=10)  # waits on PostgreSQL's notification, not on a deadline
        assert not events_only.wait(timeout=0.5)
    finally:
        stop.set()
        for listener in listeners:
            if listener is not None:
                listener.join(timeout=5)
