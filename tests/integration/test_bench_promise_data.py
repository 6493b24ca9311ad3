"""The benchmarks' bulk-loaded promises behave like promises the use cases made.

COPY is PostgreSQL's, so these run on PostgreSQL only, at a few thousand rows.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from bench.promise_data import Shape, load, wanted_item
from bench.support import libpq_url
from heedful.adapters.storage.migrate import upgrade
from heedful.bootstrap import Container, build
from heedful.config import Settings
from heedful.core.catalog.model import normalise
from heedful.core.customers.channels import Channel
from heedful.core.customers.consent import Purpose
from heedful.core.engine.timers import fire_due_timers
from heedful.core.outreach.policy import ContactRules, Send, decide
from heedful.core.promises.model import PromiseKind, PromiseState, WantedItem
from heedful.core.shared.clock import FrozenClock
from heedful.core.shared.timers import TimerKind

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
SHAPE = Shape(customers=300, promises=3000, waits=0.5, items=200, due_now=25)

pytestmark = pytest.mark.postgres


@pytest.fixture
def loaded(postgres_server_url: str) -> Iterator[tuple[Container, list[str]]]:
    from conftest_services import make_postgres_database

    url, drop = make_postgres_database(postgres_server_url)
    try:
        upgrade(url)
        population = load(libpq_url(url), SHAPE, seed=7, now=NOW)
        container = build(Settings(database_url=url, log_format="console"), clock=FrozenClock(NOW))
        yield container, population.due_promise_ids
        container.close()
    finally:
        drop()


def test_exactly_the_promises_said_to_be_due_have_a_timer_due_now(
    loaded: tuple[Container, list[str]],
) -> None:
    container, due_ids = loaded
    with container.uow() as uow:
        due = uow.timers.due(NOW, 1000)
    assert len(due) == SHAPE.due_now
    assert {timer.subject_id for timer in due} == set(due_ids)
    assert {timer.kind for timer in due} == {TimerKind.PROMISE_DEADLINE}


def test_the_worker_breaks_and_escalates_every_due_promise_and_nothing_else(
    loaded: tuple[Container, list[str]],
) -> None:
    container, due_ids = loaded
    report = fire_due_timers(container.uow, container.clock, limit=1000)
    assert (report.broken, report.reminded, report.stale) == (SHAPE.due_now, 0, 0)
    with container.uow() as uow:
        broken = [uow.promises.get(promise_id) for promise_id in due_ids]
        assert uow.timers.due(NOW, 10) == []
        assert all(p is not None and p.state is PromiseState.BROKEN for p in broken)
        tasks = uow.tasks.list_for_customer(broken[0].customer_id, 50) if broken[0] else []
    assert any(task.promise_id == due_ids[0] for task in tasks)


def test_customers_in_line_are_found_first_come_and_may_be_told_by_e_mail(
    loaded: tuple[Container, list[str]],
) -> None:
    container, _ = loaded
    with container.uow() as uow:
        for index in range(SHAPE.items):
            wanted = wanted_item(index)
            # As the engine reads a stock report's codes: folded ("S" is "s").
            item = WantedItem(
                normalise(wanted.product),
                wanted.location_id,
                normalise(wanted.variant),
                normalise(wanted.size),
            )
            line = uow.promises.waiting_for(item, limit=10)
            if len(line) >= 2:
                break
        assert [p.sequence for p in line] == sorted(p.sequence for p in line)
        assert all(p.kind is PromiseKind.TELL_WHEN_AVAILABLE and p.item for p in line)
        first = line[0]
        customer = uow.customers.get(first.customer_id)
        assert customer is not None
        decision = decide(
            purpose=Purpose.SERVICE,
            identities=uow.identities.list_for(customer.id),
            consents=uow.consents.list_for(customer.id),
            sent_in_window=0,
            now=NOW,
            time_zone=customer.time_zone,
            rules=ContactRules(),
        )
    assert isinstance(decision, Send)
    assert decision.channel is Channel.EMAIL
    assert first.evidence[0].note == first.text
