"""Which write budget cuts a batch of events (ADR 60, ADR 71): on SQLite the batch holds the one
write lock a POST waits for; on PostgreSQL no POST waits for it, so only its count bounds it
unless the operator set a budget."""

from __future__ import annotations

from dataclasses import replace

from heedful.bootstrap import Container
from heedful.entrypoints.worker.jobs import event_budget, write_budget


def test_a_batch_of_events_is_budgeted_on_sqlite_and_bounded_by_its_count_on_postgresql(
    container: Container, database_url: str
) -> None:
    budget = event_budget(container)

    if database_url.startswith("postgresql"):
        assert budget.stopwatch is None  # never spent: the batch's count bounds it
    else:
        assert budget.stopwatch is not None
        assert budget.seconds == 0.1
    assert write_budget(container).seconds == 0.1  # the relay keeps its budget everywhere


def test_a_budget_the_operator_sets_cuts_batches_of_events_on_both_stores(
    container: Container,
) -> None:
    settings = container.settings.model_copy(update={"worker_write_budget_ms": 250.0})

    budget = event_budget(replace(container, settings=settings))

    assert budget.stopwatch is not None
    assert budget.seconds == 0.25
