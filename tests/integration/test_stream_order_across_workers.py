"""Two workers fed by one JetStream stream store a customer's events in the stream's order.

Her refund is asked for, then issued; a shop's till publishes the two events in that order. Two
workers read the stream, and the one that read her first event is slow to store it (a long
garbage collection, a slow disk, a busy core). Before ADR 68 the other worker, holding the next
messages, stored them first: "issued" reached the inbox ahead of "asked for", was handled first
and found no promise, and the promise opened a moment later stayed open. The intake now stores
the stream single-file from a position kept in the database, so the stream's order is the inbox's
and every message is stored once, whichever worker stores it.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Sequence
from typing import Any

import sqlalchemy as sa
from promise_world import build_world, refund_states

from heedful.adapters.storage.tables import events
from heedful.adapters.stream.jetstream import StreamSettings, publish, start_consumer
from heedful.bootstrap import Container
from heedful.core.engine.reactions import process_events
from heedful.core.events.handlers import accept_from_stream, stream_position
from heedful.core.shared.clock import FrozenClock
from heedful.core.shared.ids import new_id
from heedful.entrypoints.worker.jobs import StreamedEvents, store_streamed_events

SOURCE = "urn:shop:till"


def _refund(name: str, kind: str, customer: str, location: str) -> dict[str, Any]:
    data: dict[str, Any] = {"customer": {"id": customer}, "order_ref": f"R-{customer}"}
    if kind == "requested":
        data |= {"location": location, "amount": 950, "currency": "UAH"}
    return {
        "specversion": "1.0",
        "id": name,
        "source": SOURCE,
        "type": f"heedful.refund.{kind}",
        "data": data,
    }


def _settings(nats_url: str) -> StreamSettings:
    tag = new_id()[:12]
    # batch=1: each worker reads one message at a time, so her two events can go to two workers.
    return StreamSettings(
        nats_url, stream=f"HEEDFUL_TEST_{tag}", subject=f"heedful.test{tag}.events.in.>", batch=1
    )


def _inbox(container: Container) -> list[str]:
    with container.engine.connect() as conn:
        query = sa.select(events.c.event_id).order_by(events.c.sequence)
        return list(conn.scalars(query))


class _SlowFirst:
    """A worker's intake whose first batch waits, read and not stored, until the test lets it go."""

    def __init__(self, intake: StreamedEvents) -> None:
        self.intake = intake
        self.holding = threading.Event()
        self.release = threading.Event()
        self.calls = 0

    def position(self, start_after: int) -> int:
        return self.intake.position(start_after)

    def store(self, messages: Sequence[tuple[int, object]], read_from: int) -> int:
        self.calls += 1
        if self.calls == 1:
            self.holding.set()
            assert self.release.wait(30), "the test never let the slow worker go"
        return self.intake.store(messages, read_from)


class _Killed(Exception):
    """The worker's process ends here (its intake thread stops, as a killed process would)."""


class _DiesInItsTransaction(StreamedEvents):
    """A worker that dies after inserting its first batch and before committing it: the process
    is gone, its transaction rolled back (the database drops a dead connection's)."""

    died = threading.Event()

    def store(self, messages: Sequence[tuple[int, object]], read_from: int) -> int:
        uow = self.container.uow()

        def die() -> None:
            self.died.set()
            raise _Killed

        uow.commit = die  # type: ignore[method-assign]
        accept_from_stream(uow, self.container.clock, self.stream, messages, read_from=read_from)
        return 0


def _stored(container: Container, wanted: int) -> Callable[[], bool]:
    def check() -> bool:
        return len(_inbox(container)) >= wanted

    return check


def _wait(condition: Callable[[], bool], seconds: float = 30) -> bool:
    done = threading.Event()
    for _ in range(int(seconds * 20)):
        if condition():
            return True
        done.wait(0.05)
    return condition()


def test_her_refund_asked_for_is_stored_and_kept_before_its_issue_whoever_reads_it(
    container: Container, clock: FrozenClock, nats_url: str
) -> None:
    world = build_world(container, clock)
    her = world.customer("Olena Koval", email="olena@example.com").id
    settings = _settings(nats_url)
    sent = [
        _refund("ask", "requested", her, world.kyiv.id),
        _refund("issue", "issued", her, world.kyiv.id),
    ]
    asyncio.run(publish(settings, sent, settings.subject.replace(">", "till")))

    slow = _SlowFirst(store_streamed_events(container, settings.stream))
    quick = store_streamed_events(container, settings.stream)
    stop = threading.Event()
    first = start_consumer(settings, slow, stop)
    try:
        assert slow.holding.wait(30), "the first worker never read her first event"
        second = start_consumer(settings, quick, stop)
        # The second worker has the stream to itself now; whatever it can store, it stores.
        _wait(_stored(container, 2), seconds=3)
        slow.release.set()
        assert _wait(_stored(container, 2)), "her events were not both stored"
    finally:
        slow.release.set()
        stop.set()
        first.join(10)
        second.join(10)

    assert _inbox(container) == ["ask", "issue"]  # once each, in the stream's order
    while process_events(container.uow, clock, batch=10).events:
        pass
    assert refund_states(container) == {f"R-{her}": "kept"}


def test_a_worker_that_dies_holding_her_events_leaves_them_to_the_next_in_their_place(
    container: Container, clock: FrozenClock, nats_url: str
) -> None:
    world = build_world(container, clock)
    her = world.customer("Olena Koval", email="olena@example.com").id
    others = [world.customer(f"Klient {n}", email=f"k{n}@example.com").id for n in range(3)]
    settings = _settings(nats_url)
    sent = [_refund("ask", "requested", her, world.kyiv.id)]
    sent += [
        _refund(f"other-{n}", "requested", other, world.kyiv.id) for n, other in enumerate(others)
    ]
    sent += [_refund("issue", "issued", her, world.kyiv.id)]
    asyncio.run(publish(settings, sent, settings.subject.replace(">", "till")))

    stop = threading.Event()
    dying = _DiesInItsTransaction(container, settings.stream)
    first = start_consumer(settings, dying, stop)
    assert dying.died.wait(30), "the first worker never got to store"
    first.join(10)
    assert _inbox(container) == []  # nothing of its batch committed

    second = start_consumer(settings, store_streamed_events(container, settings.stream), stop)
    try:
        assert _wait(_stored(container, len(sent))), "the next worker did not store the stream"
    finally:
        stop.set()
        second.join(10)

    # Each message once, in the stream's order, the dead worker's first among them.
    assert _inbox(container) == [event["id"] for event in sent]
    while process_events(container.uow, clock, batch=10).events:
        pass
    assert refund_states(container)[f"R-{her}"] == "kept"


def test_a_second_worker_waits_for_the_streams_turn_and_stores_only_what_follows(
    container: Container, clock: FrozenClock
) -> None:
    """The turn is the database's: a worker storing a batch holds it to its commit; the next
    waits, then finds that batch stored and stores only the messages after it."""
    stream = f"HEEDFUL_TEST_{new_id()[:12]}"
    stream_position(container.uow(), stream, start_after=0)
    first_read = [(1, _refund("ask", "requested", "cus_a", "loc_a"))]
    second_read = [*first_read, (2, _refund("issue", "issued", "cus_a", "loc_a"))]

    inside, release = threading.Event(), threading.Event()
    first = container.uow()
    commit = first.commit

    def commit_when_released() -> None:
        inside.set()
        assert release.wait(30)
        commit()

    first.commit = commit_when_released  # type: ignore[method-assign]
    answers: dict[str, tuple[int, int, int]] = {}

    def store(name: str, uow: Any, read: Sequence[tuple[int, object]]) -> None:
        position, report = accept_from_stream(uow, clock, stream, read, read_from=1)
        answers[name] = (position, report.accepted, report.duplicates)

    holder = threading.Thread(target=store, args=("first", first, first_read))
    holder.start()
    assert inside.wait(30)
    second = threading.Thread(target=store, args=("second", container.uow(), second_read))
    second.start()
    second.join(0.5)
    assert second.is_alive(), "the second worker stored while the first held the stream's turn"
    release.set()
    holder.join(30)
    second.join(30)

    # The second found "ask" stored and the position past it: it stored "issue" alone, and did
    # not even offer "ask" again (no duplicate to settle).
    assert answers == {"first": (1, 1, 0), "second": (2, 1, 0)}
    assert _inbox(container) == ["ask", "issue"]
