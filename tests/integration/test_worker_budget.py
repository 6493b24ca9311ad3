"""Which write budget cuts a batch of events (ADR 60, ADR 71): on SQLite the batch holds the one
write lock a POST waits for; on PostgreSQL no POST waits for it, so it gets a budget that a
whole batch of stock reports fits in, unless the operator set one."""

from __future__ import annotations

from dataclasses import replace

from heedful.bootstrap import Container
from heedful.entrypoints.worker.jobs import event_budget, relay_budget, write_budget


def test_a_batch_of_events_gets_a_longer_budget_on_postgresql_than_on_sqlite(
    container: Container, database_url: str
) -> None:
    budget = event_budget(container)

    assert budget.stopwatch is not None
    assert budget.seconds == (1.0 if database_url.startswith("postgresql") else 0.1)
    assert write_budget(container).seconds == 0.1  # ADR 60's, the operator's default


def test_a_budget_the_operator_sets_cuts_batches_of_events_on_both_stores(
    container: Container,
) -> None:
    settings = container.settings.model_copy(update={"worker_write_budget_ms": 250.0})

    budget = event_budget(replace(container, settings=settings))

    assert budget.stopwatch is not None
    assert budget.seconds == 0.25


def test_a_batch_of_messages_gets_a_longer_budget_on_postgresql_than_on_sqlite(
    container: Container, database_url: str
) -> None:
    # ADR 76: cut at 100 ms beside a busy inbox, a batch of 100 notices sent one e-mail and
    # left 99 to be read again; on PostgreSQL no POST waits for the relay's transaction.
    budget = relay_budget(container)

    assert budget.stopwatch is not None
    assert budget.seconds == (1.0 if database_url.startswith("postgresql") else 0.1)
    settings = container.settings.model_copy(update={"worker_write_budget_ms": 250.0})
    assert relay_budget(replace(container, settings=settings)).seconds == 0.25
