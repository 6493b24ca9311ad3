"""A worker behind on its inbox or outbox has their statistics read again, once a minute at most
(ADR 86): kept plans made while a queue was empty must learn of its backlog."""

from __future__ import annotations

import sqlalchemy as sa
from builders import a_stock_report

from heedful.adapters.storage.queue_statistics import QueueStatistics
from heedful.bootstrap import Container
from heedful.core.events.handlers import accept_events
from heedful.core.shared.clock import FrozenClock


class Stopwatch:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _stock_reports(count: int) -> list[dict[str, object]]:
    return [a_stock_report(f"restock-{n}", f"bag-{n % 7}") for n in range(count)]


def _rows_planned_for(container: Container, table: str) -> float:
    with container.engine.connect() as conn:
        query = sa.text("SELECT reltuples FROM pg_class WHERE relname = :table")
        return float(conn.execute(query, {"table": table}).scalar_one())


def test_the_inbox_is_analysed_when_behind_and_not_again_within_the_minute(
    container: Container, clock: FrozenClock
) -> None:
    watch = Stopwatch()
    statistics = QueueStatistics(container.engine, watch)
    postgres = container.engine.dialect.name == "postgresql"
    accept_events(container.uow(), clock, _stock_reports(120))

    assert statistics.behind("events") is postgres
    if not postgres:
        return  # SQLite keeps no plans between statements: nothing to read again
    assert _rows_planned_for(container, "events") == 120

    accept_events(container.uow(), clock, _stock_reports(300)[120:])
    watch.now += 30
    assert statistics.behind("events") is False  # within the minute: left as it was
    assert _rows_planned_for(container, "events") == 120
    watch.now += 31
    assert statistics.behind("events") is True
    assert _rows_planned_for(container, "events") == 300


def test_only_the_queues_are_ever_analysed(container: Container) -> None:
    statistics = QueueStatistics(container.engine, Stopwatch())
    assert statistics.behind("customers; DROP TABLE customers") is False
    assert statistics.behind("promises") is False
