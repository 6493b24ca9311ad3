"""Taking in batches of business events: stored once, in order, the bad ones reported by index."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from fakes import FakeUnitOfWork
from unit.events.event_samples import stock_changed, with_data

from heedful.core.events.fields import DataField, EventType, ValueKind
from heedful.core.events.handlers import MAX_BATCH, accept_events, purge_events
from heedful.core.events.types import EVENT_TYPES, register
from heedful.core.shared.clock import FrozenClock
from heedful.core.shared.errors import InvalidInput

# A Monday morning in Kyiv, the suite's clock (tests/conftest.py).
START = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)


def test_a_batch_is_stored_in_the_order_sent_and_committed_once(clock: FrozenClock) -> None:
    uow = FakeUnitOfWork()
    report = accept_events(uow, clock, [stock_changed(f"evt-{n}") for n in range(3)])
    assert (report.accepted, report.duplicates, report.rejected) == (3, 0, [])
    assert uow.committed == 1
    with uow:
        waiting = uow.events.unprocessed(limit=10)
    assert [stored.event.id for stored in waiting] == ["evt-0", "evt-1", "evt-2"]
    assert all(stored.received_at == START for stored in waiting)


def test_a_retried_event_is_counted_as_a_duplicate_and_stored_once(clock: FrozenClock) -> None:
    uow = FakeUnitOfWork()
    accept_events(uow, clock, [stock_changed("evt-1")])
    clock.advance(timedelta(days=29))
    report = accept_events(uow, clock, [stock_changed("evt-1"), stock_changed("evt-2")])
    assert (report.accepted, report.duplicates) == (1, 1)
    with uow:
        assert [s.event.id for s in uow.events.unprocessed(limit=10)] == ["evt-1", "evt-2"]


def test_the_same_id_from_another_source_is_another_event(clock: FrozenClock) -> None:
    uow = FakeUnitOfWork()
    report = accept_events(
        uow, clock, [stock_changed("1"), stock_changed("1", source="urn:shop:lviv-stock")]
    )
    assert report.accepted == 2


def test_an_event_repeated_within_a_batch_is_stored_once(clock: FrozenClock) -> None:
    report = accept_events(FakeUnitOfWork(), clock, [stock_changed("evt-1")] * 3)
    assert (report.accepted, report.duplicates) == (1, 2)


def test_bad_events_are_reported_by_index_and_never_hold_up_the_good_ones(
    clock: FrozenClock,
) -> None:
    uow = FakeUnitOfWork()
    report = accept_events(
        uow,
        clock,
        [
            stock_changed("evt-0"),
            stock_changed("evt-1", type="heedful.weather.changed"),
            with_data(stock_changed("evt-2"), quantity=-3),
            "not an event",
            stock_changed("evt-4"),
        ],
    )
    assert report.accepted == 2
    assert report.as_json()["rejected"] == [
        {
            "index": 1,
            "reason": "unknown event type: register it at /api/v1/event-types",
            "field": "type",
        },
        {"index": 2, "reason": "quantity must not be negative", "field": "data.quantity"},
        {"index": 3, "reason": "an event must be a JSON object", "field": "event"},
    ]
    with uow:
        assert [s.event.id for s in uow.events.unprocessed(limit=10)] == ["evt-0", "evt-4"]


def test_a_batch_of_nothing_valid_writes_nothing(clock: FrozenClock) -> None:
    uow = FakeUnitOfWork()
    report = accept_events(uow, clock, [{"specversion": "1.0"}])
    assert report.accepted == 0
    assert len(report.rejected) == 1
    assert uow.committed == 0


def test_a_batch_over_the_limit_is_refused_whole(clock: FrozenClock) -> None:
    uow = FakeUnitOfWork()
    with pytest.raises(InvalidInput) as refused:
        accept_events(uow, clock, [stock_changed(str(n)) for n in range(MAX_BATCH + 1)])
    assert refused.value.field == "body"
    assert uow.committed == 0


def test_processed_events_leave_the_queue_and_replays_still_find_them(clock: FrozenClock) -> None:
    uow = FakeUnitOfWork()
    accept_events(uow, clock, [stock_changed(f"evt-{n}") for n in range(3)])
    with uow:
        first = uow.events.unprocessed(limit=2)
        uow.events.mark_processed([s.sequence for s in first], at=clock.now())
        uow.commit()
    with uow:
        assert [s.event.id for s in uow.events.unprocessed(limit=10)] == ["evt-2"]
        replay = uow.events.between(
            "heedful.stock.changed", START, START + timedelta(seconds=1), limit=10
        )
    assert [s.event.id for s in replay] == ["evt-0", "evt-1", "evt-2"]
    assert replay[0].processed_at == START


def test_a_purge_keeps_every_key_for_at_least_thirty_days(clock: FrozenClock) -> None:
    uow = FakeUnitOfWork()
    accept_events(uow, clock, [stock_changed("evt-1"), stock_changed("evt-2")])
    with uow:
        done = uow.events.unprocessed(limit=1)
        uow.events.mark_processed([done[0].sequence], at=clock.now())
        uow.commit()
    with pytest.raises(InvalidInput):
        purge_events(uow, clock, retention_days=29)
    clock.advance(timedelta(days=30, seconds=1))
    assert purge_events(uow, clock, retention_days=30) == 1
    # Purged and retried after the retention: the sender's retry window is long over.
    again = accept_events(uow, clock, [stock_changed("evt-2"), stock_changed("evt-3")])
    assert (again.accepted, again.duplicates) == (1, 1)


def test_the_engine_can_teach_heedful_a_new_event_type(clock: FrozenClock) -> None:
    table_booked = EventType(
        "test.table.booked",
        (DataField("location", ValueKind.TEXT), DataField("guests", ValueKind.QUANTITY)),
        matching=("location",),
    )
    register(table_booked)
    try:
        booking = {
            "specversion": "1.0",
            "id": "b-1",
            "source": "urn:restaurant:bookings",
            "type": "test.table.booked",
            "data": {"location": "loc_podil", "guests": 4},
        }
        assert accept_events(FakeUnitOfWork(), clock, [booking]).accepted == 1
        with pytest.raises(ValueError, match="registered already"):
            register(table_booked)
    finally:
        del EVENT_TYPES["test.table.booked"]


@pytest.fixture(autouse=True)
def _registry_untouched() -> Iterator[None]:
    before = dict(EVENT_TYPES)
    yield
    assert before == EVENT_TYPES
