"""Instant refunds (seed 002) on storage: asked for, promised in minutes, measured when done."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from dealings_world import Systems
from promise_world import PromiseWorld, build_world

from heedful.bootstrap import Container
from heedful.core.engine.timers import fire_due_timers
from heedful.core.promises.model import Promise, PromiseKind, PromiseState
from heedful.core.promises.ports import PromiseFilter
from heedful.core.promises.report import ReportAsk, promise_report
from heedful.core.shared.clock import FrozenClock
from heedful.core.tasks.handlers import list_open_tasks


@pytest.fixture
def world(container: Container, clock: FrozenClock) -> PromiseWorld:
    return build_world(container, clock)


def _refunds(world: PromiseWorld, customer_id: str) -> list[Promise]:
    with world.uow as uow:
        found = uow.promises.find(PromiseFilter(customer_id=customer_id), 50)
    return [p for p in found if p.kind is PromiseKind.REFUND_BY]


def test_a_refund_asked_for_is_promised_in_minutes_kept_when_issued_and_its_time_reported(
    world: PromiseWorld,
) -> None:
    systems = Systems(world)
    anna = world.customer("Anna Koval")
    asked = world.clock.now()
    request: dict[str, Any] = {
        "customer": {"id": anna.id},
        "location": world.kyiv.id,
        "order_ref": "1042",
    }
    systems.send("heedful.refund.requested", **request, amount=950, currency="UAH")
    systems.send("heedful.refund.requested", **request)  # the till sent it twice

    [promise] = _refunds(world, anna.id)
    assert promise.due_at == asked + timedelta(minutes=15)
    assert promise.text == "Refund order 1042 (950 UAH)"
    [task] = [t for t in list_open_tasks(world.uow, world.assistant) if t.promise_id]
    assert task.promise_id == promise.id
    assert task.due_at == promise.due_at

    world.later(minutes=7)
    systems.send("heedful.refund.issued", customer={"id": anna.id}, order_ref="1042")

    [kept] = _refunds(world, anna.id)
    assert kept.state is PromiseState.KEPT
    # The "refund now" task closed itself: the promise it was about is kept.
    assert [t for t in list_open_tasks(world.uow, world.assistant) if t.promise_id] == []
    report = promise_report(ReportAsk(), world.uow, world.clock, world.admin)
    [refunds] = [t for t in report.time_to_keep if t.kind is PromiseKind.REFUND_BY]
    assert (refunds.kept, refunds.median_minutes, refunds.p90_minutes) == (1, 7.0, 7.0)


def test_a_refund_not_issued_in_time_is_broken_at_its_minute_deadline(
    world: PromiseWorld,
) -> None:
    systems = Systems(world)
    boris = world.customer("Boris Orlov")
    systems.send(
        "heedful.refund.requested",
        customer={"id": boris.id},
        location=world.kyiv.id,
        order_ref="77",
        within_minutes=5,
    )
    world.later(minutes=6)
    fire_due_timers(world.container.uow, world.clock)

    [promise] = _refunds(world, boris.id)
    assert promise.state is PromiseState.BROKEN
