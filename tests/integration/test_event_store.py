"""The event inbox on SQLite and PostgreSQL: exactly once, in order, shared by workers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from heedful.adapters.storage.tables import events
from heedful.adapters.storage.unit_of_work import SqlUnitOfWork
from heedful.bootstrap import Container
from heedful.core.events.cloudevents import parse_event
from heedful.core.events.handlers import accept_events, purge_events
from heedful.core.shared.clock import FrozenClock
from heedful.entrypoints.worker.jobs import run_once


def stock(event_id: str, quantity: int = 2, **extra: Any) -> dict[str, Any]:
    return {
        "specversion": "1.0",
        "id": event_id,
        "source": "urn:shop:kyiv-stock",
        "type": "heedful.stock.changed",
        "time": "2026-03-02T09:15:00+02:00",
        "data": {"product": "bag-noir", "size": "M", "location": "loc_kyiv", "quantity": quantity},
        **extra,
    }


def test_events_come_back_as_sent_in_the_order_they_arrived(
    container: Container, clock: FrozenClock
) -> None:
    sent = [stock("e-1", traceparent="00-abc-01"), stock("e-2", subject="bag-noir/M")]
    sent[1]["data"]["note"] = {"from": "склад Київ", "bins": ["A-1", "A-2"]}
    report = accept_events(container.uow(), clock, sent)
    assert (report.accepted, report.duplicates) == (2, 0)
    with container.uow() as uow:
        stored = uow.events.unprocessed(limit=10)
    assert [s.event for s in stored] == [parse_event(raw) for raw in sent]
    assert stored[0].sequence < stored[1].sequence
    assert stored[0].event.time == datetime(2026, 3, 2, 7, 15, tzinfo=UTC)
    assert stored[0].event.extensions == {"traceparent": "00-abc-01"}
    assert stored[1].event.data["note"]["from"] == "склад Київ"
    assert stored[0].received_at == clock.now()
    assert stored[0].processed_at is None


def test_a_retried_batch_is_stored_once_and_reported_as_duplicates(
    container: Container, clock: FrozenClock
) -> None:
    first = accept_events(container.uow(), clock, [stock("e-1"), stock("e-2")])
    clock.advance(timedelta(days=10))
    again = accept_events(
        container.uow(), clock, [stock("e-2"), stock("e-3"), stock("e-3"), stock("e-1")]
    )
    assert (first.accepted, first.duplicates) == (2, 0)
    assert (again.accepted, again.duplicates) == (1, 3)
    with container.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(events)).scalar_one() == 3


def test_a_batch_is_one_insert_statement(container: Container, clock: FrozenClock) -> None:
    inserts: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip().upper().startswith("INSERT INTO EVENTS"):
            inserts.append(statement)

    sa.event.listen(container.engine, "before_cursor_execute", count)
    try:
        report = accept_events(container.uow(), clock, [stock(f"e-{n}") for n in range(500)])
    finally:
        sa.event.remove(container.engine, "before_cursor_execute", count)
    assert report.accepted == 500
    assert len(inserts) == 1


def test_nothing_is_stored_when_the_transaction_is_rolled_back(
    container: Container, clock: FrozenClock
) -> None:
    with container.uow() as uow:
        uow.events.accept([parse_event(stock("e-1"))], received_at=clock.now())
    with container.uow() as uow:
        assert uow.events.unprocessed(limit=10) == []


def test_processed_events_leave_the_queue_and_old_ones_are_purged_after_retention(
    container: Container, clock: FrozenClock
) -> None:
    accept_events(container.uow(), clock, [stock(f"e-{n}") for n in range(4)])
    with container.uow() as uow:
        first_two = uow.events.unprocessed(limit=2)
        uow.events.mark_processed([s.sequence for s in first_two], at=clock.now())
        uow.commit()
    with container.uow() as uow:
        rest = uow.events.unprocessed(limit=10)
        after = uow.events.unprocessed(limit=10, after_sequence=rest[0].sequence)
    assert [s.event.id for s in rest] == ["e-2", "e-3"]
    assert [s.event.id for s in after] == ["e-3"]

    clock.advance(timedelta(days=31))
    assert purge_events(container.uow(), clock, retention_days=30) == 2
    with container.uow() as uow:
        assert [s.event.id for s in uow.events.unprocessed(limit=10)] == ["e-2", "e-3"]


def test_a_purged_sequence_is_never_handed_out_again(
    container: Container, clock: FrozenClock
) -> None:
    accept_events(container.uow(), clock, [stock("e-1")])
    with container.uow() as uow:
        (only,) = uow.events.unprocessed(limit=1)
        uow.events.mark_processed([only.sequence], at=clock.now())
        uow.commit()
    clock.advance(timedelta(days=31))
    purge_events(container.uow(), clock, retention_days=30)
    accept_events(container.uow(), clock, [stock("e-2")])
    with container.uow() as uow:
        (newer,) = uow.events.unprocessed(limit=1)
    assert newer.sequence > only.sequence


def test_replays_find_one_type_within_a_window(container: Container, clock: FrozenClock) -> None:
    start = clock.now()
    accept_events(container.uow(), clock, [stock("e-1")])
    clock.advance(timedelta(hours=1))
    price = {
        "specversion": "1.0",
        "id": "p-1",
        "source": "urn:shop:prices",
        "type": "heedful.price.changed",
        "data": {"product": "bag-noir", "price": 990, "currency": "UAH"},
    }
    accept_events(container.uow(), clock, [stock("e-2"), price])
    clock.advance(timedelta(hours=1))
    accept_events(container.uow(), clock, [stock("e-3")])
    with container.uow() as uow:
        window = uow.events.between(
            "heedful.stock.changed", start, start + timedelta(hours=2), limit=10
        )
        prices = uow.events.between("heedful.price.changed", start, clock.now(), limit=10)
    assert [s.event.id for s in window] == ["e-1", "e-2"]
    assert [s.event.data["price"] for s in prices] == [990]


@pytest.mark.postgres
def test_two_workers_never_take_the_same_event(
    container: Container, clock: FrozenClock, database_url: str
) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite has one writer; SKIP LOCKED is PostgreSQL's")
    bags = [stock(f"e-{n}") for n in range(5)]
    for n, event in enumerate(bags):
        event["data"]["product"] = f"bag-{n}"
    accept_events(container.uow(), clock, bags)
    first, second = SqlUnitOfWork(container.engine), SqlUnitOfWork(container.engine)
    with first, second:
        taken_first = first.events.unprocessed(limit=3)
        taken_second = second.events.unprocessed(limit=3)
    assert [s.event.id for s in taken_first] == ["e-0", "e-1", "e-2"]
    assert [s.event.id for s in taken_second] == ["e-3", "e-4"]


@pytest.mark.postgres
def test_a_second_worker_waits_for_the_first_with_the_same_bag(
    container: Container, clock: FrozenClock, database_url: str
) -> None:
    # Every report names the same bag: its counts must be applied in order (ADR 61), so the
    # first worker takes them all and the second none, until the first has committed.
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite has one writer; SKIP LOCKED is PostgreSQL's")
    accept_events(container.uow(), clock, [stock(f"e-{n}") for n in range(5)])
    first, second = SqlUnitOfWork(container.engine), SqlUnitOfWork(container.engine)
    with first, second:
        taken_first = first.events.unprocessed(limit=3)
        taken_second = second.events.unprocessed(limit=3)
    assert [s.event.id for s in taken_first] == ["e-0", "e-1", "e-2"]
    assert taken_second == []


@pytest.mark.postgres
def test_a_claim_probes_each_events_turn_however_stale_the_statistics(
    container: Container, clock: FrozenClock, database_url: str
) -> None:
    # A queue's statistics lag it: thousands of events arrive between two ANALYZEs, and the
    # planner, told the inbox is empty, turned "no earlier event of its key waits" into a
    # nested loop reading every waiting event for each one claimed (783 ms for 200 of 4,000,
    # issue 18; ADR 64). The claim must probe the key index once per event, whatever it is told.
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite's claim takes the oldest events, with no look at their keys")
    with container.engine.begin() as conn:
        conn.exec_driver_sql("ANALYZE events")  # as autovacuum last saw it: empty
    bags = [stock(f"e-{n}") for n in range(3000)]
    for n, event in enumerate(bags):
        event["data"]["product"] = f"bag-{n % 1500}"  # two reports a bag: the second waits
    for start in range(0, len(bags), 500):
        accept_events(container.uow(), clock, bags[start : start + 500])
    claims: list[tuple[str, Any]] = []

    def keep(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_args: Any) -> None:
        if "FOR UPDATE SKIP LOCKED" in statement and "earlier" in statement:
            claims.append((statement, parameters))

    sa.event.listen(container.engine, "before_cursor_execute", keep)
    try:
        with container.uow() as uow:
            taken = uow.events.unprocessed(limit=200, now=clock.now())
    finally:
        sa.event.remove(container.engine, "before_cursor_execute", keep)
    assert [s.event.id for s in taken] == [f"e-{n}" for n in range(200)]
    ((statement, parameters),) = claims
    with container.engine.connect() as conn:
        plan = "\n".join(
            line for (line,) in conn.exec_driver_sql("EXPLAIN " + statement, parameters)
        )
    assert "Anti Join" not in plan
    probe = plan[plan.index("SubPlan") :]
    assert "Index Scan using ix_events_waiting_by_key on events earlier" in probe
    assert "Index Cond: (((ordering_key)::text = (events.ordering_key)::text)" in probe


def test_the_worker_purges_processed_events_after_their_retention_and_keeps_the_rest(
    container: Container, clock: FrozenClock
) -> None:
    # The housekeeping beat keeps the inbox from growing forever: processed events go after
    # HEEDFUL_EVENT_RETENTION_DAYS (400 by default), unprocessed ones never.
    accept_events(container.uow(), clock, [stock("old-1"), stock("old-2")])
    with container.uow() as uow:
        (first, _second) = uow.events.unprocessed(limit=2)
        uow.events.mark_processed([first.sequence], at=clock.now())
        uow.commit()
    clock.advance(timedelta(days=399))
    assert run_once(container)["purge_old_events"] == 0
    clock.advance(timedelta(days=2))
    assert run_once(container)["purge_old_events"] == 1
    with container.uow() as uow:
        assert [s.event.id for s in uow.events.unprocessed(limit=10)] == ["old-2"]
