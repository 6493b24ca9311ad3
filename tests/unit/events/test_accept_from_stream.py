"""A stream's messages are stored from where the stream is stored through, once, in its order.

Every worker reads the whole stream (ADR 68); what one stores, the next finds behind the stream's
position and drops. A message that is not an event is passed with the rest: read again, it would
be refused again.
"""

from __future__ import annotations

from fakes import FakeUnitOfWork
from unit.events.event_samples import stock_changed

from heedful.core.events.handlers import accept_from_stream, stream_position
from heedful.core.shared.clock import FrozenClock

STREAM = "HEEDFUL_EVENTS"


def _waiting(uow: FakeUnitOfWork) -> list[str]:
    with uow:
        return [stored.event.id for stored in uow.events.unprocessed(limit=100)]


def test_two_workers_reading_the_same_messages_store_each_once_in_the_streams_order(
    clock: FrozenClock,
) -> None:
    uow = FakeUnitOfWork()
    assert stream_position(uow, STREAM, start_after=0) == 0
    first_read = [(1, stock_changed("a")), (2, stock_changed("b"))]
    second_read = [*first_read, (3, stock_changed("c"))]

    # The second worker stores first: all three. The first, later, finds them stored.
    assert accept_from_stream(uow, clock, STREAM, second_read, read_from=1)[0] == 3
    position, report = accept_from_stream(uow, clock, STREAM, first_read, read_from=1)
    assert (position, report.accepted) == (3, 0)
    assert _waiting(uow) == ["a", "b", "c"]


def test_a_worker_behind_the_stored_position_stores_nothing_it_has_not_read_in_between(
    clock: FrozenClock,
) -> None:
    uow = FakeUnitOfWork()
    stream_position(uow, STREAM, start_after=4)
    # It read from 7 on; 5 and 6 are not in hand, so nothing after them may be stored yet.
    position, report = accept_from_stream(
        uow, clock, STREAM, [(7, stock_changed("g"))], read_from=7
    )
    assert (position, report.accepted) == (4, 0)
    assert _waiting(uow) == []


def test_a_message_that_is_no_event_is_refused_and_passed_with_its_batch(
    clock: FrozenClock,
) -> None:
    uow = FakeUnitOfWork()
    stream_position(uow, STREAM, start_after=0)
    read = [(1, stock_changed("a")), (2, "not json"), (3, stock_changed("c"))]
    position, report = accept_from_stream(uow, clock, STREAM, read, read_from=1)
    assert (position, report.accepted, [r.index for r in report.rejected]) == (3, 2, [1])
    assert _waiting(uow) == ["a", "c"]


def test_a_stream_seen_before_keeps_its_position_whatever_a_new_worker_proposes(
    clock: FrozenClock,
) -> None:
    uow = FakeUnitOfWork()
    stream_position(uow, STREAM, start_after=0)
    accept_from_stream(uow, clock, STREAM, [(1, stock_changed("a"))], read_from=1)
    assert stream_position(uow, STREAM, start_after=0) == 1
