"""Two workers whose batches name the same variants in opposite orders never deadlock.

Each batch locks the stock levels it will write, in one order, before its first write (ADR 57,
issue 18). Before that, each report locked its own levels as it went: one worker held the
first variant and wanted the last, the other held the last and wanted the first, PostgreSQL
broke the circle by failing one batch, and its events waited for a retry.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from promise_world import build_world

from heedful.adapters.storage.event_rows import SqlEventInbox
from heedful.bootstrap import Container
from heedful.core.engine.reactions import EngineReport, process_events
from heedful.core.events.handlers import accept_events
from heedful.core.promises.handlers import MakePromise, make_promise
from heedful.core.promises.model import PromiseKind, WantedItem
from heedful.core.shared.clock import FrozenClock

VARIANTS = 12
SOURCE = "urn:shop:stock"


def _report(n: int, key: str, quantity: int, at: str, location: str) -> dict[str, Any]:
    return {
        "specversion": "1.0",
        "id": f"{key}-{n}",
        "source": SOURCE,
        "type": "heedful.stock.changed",
        "time": at,
        "data": {"code": f"bag-{n:02}", "location": location, "quantity": quantity},
    }


def test_two_workers_restocking_the_same_bags_in_opposite_orders_tell_everyone_once(
    database_url: str, container: Container, clock: FrozenClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("row locks between workers are PostgreSQL's; SQLite has one writer")
    world = build_world(container, clock)
    kyiv = world.kyiv.id
    # Every bag known at the shop, none on the shelf: the level rows exist, as in a live shop.
    start = clock.now()
    at = [(start + timedelta(minutes=m)).isoformat() for m in range(3)]
    counted = [_report(n, "count", 0, at[0], kyiv) for n in range(VARIANTS)]
    accept_events(container.uow(), clock, counted)
    assert process_events(container.uow, clock).events == VARIANTS
    waiting: dict[str, list[str]] = {}
    for n in range(VARIANTS):
        for place in range(2):
            customer = world.customer(f"Klientka {n}-{place}", email=f"k{n}-{place}@example.com")
            promise = make_promise(
                MakePromise(customer.id, PromiseKind.TELL_WHEN_AVAILABLE, kyiv,
                            item=WantedItem(f"bag-{n:02}", kyiv)),
                world.uow, clock, world.admin,
            )  # fmt: skip
            waiting.setdefault(f"bag-{n:02}", []).append(promise.id)
    # One batch brings one of each bag, first to last; the other a second, last to first.
    first = [_report(n, "morning", 1, at[1], kyiv) for n in range(VARIANTS)]
    second = [_report(n, "noon", 2, at[2], kyiv) for n in reversed(range(VARIANTS))]
    accept_events(container.uow(), clock, first + second)
    with container.engine.begin() as conn:
        # Reports of one bag are handled one after another since ADR 61, so two workers never
        # hold the same bag's reports; the locks ahead still matter for events stored before
        # their ordering key (revision 0037), which have none.
        conn.execute(sa.text("UPDATE events SET ordering_key = NULL"))

    barrier = threading.Barrier(2, timeout=60)
    claim: Callable[..., Any] = SqlEventInbox.unprocessed

    def claim_then_meet(self: SqlEventInbox, *args: Any, **kwargs: Any) -> Any:
        # Each worker, its batch claimed, waits for the other to claim its own: both then
        # write at once, as two busy workers do.
        claimed = claim(self, *args, **kwargs)
        if claimed:
            barrier.wait()
        return claimed

    monkeypatch.setattr(SqlEventInbox, "unprocessed", claim_then_meet)

    def worker() -> EngineReport:
        return process_events(container.uow, clock, batch=VARIANTS)

    with ThreadPoolExecutor(2) as pool:
        reports = [future.result(timeout=120) for future in [pool.submit(worker) for _ in "ab"]]

    assert sorted(report.events for report in reports) == [VARIANTS, VARIANTS]
    assert [report.failed for report in reports] == [[], []]  # no deadlock, nothing to retry
    assert sum(report.told for report in reports) == 2 * VARIANTS
    with container.engine.connect() as conn:
        left = conn.execute(
            sa.text("SELECT count(*) FROM events WHERE processed_at IS NULL")
        ).scalar_one()
        letters = conn.execute(sa.text("SELECT count(*) FROM dead_letters")).scalar_one()
        told: dict[str, int] = dict(
            conn.execute(
                sa.text(
                    "SELECT promise_id, count(*) FROM messages WHERE promise_id IS NOT NULL"
                    " AND template_key = 'back_in_stock' GROUP BY promise_id"
                )
            ).all()
        )
        levels: dict[str, int] = dict(
            conn.execute(sa.text("SELECT product, quantity FROM stock_levels")).all()
        )
    assert left == 0
    assert letters == 0
    # Both customers of every bag heard once that it is back (the second from the noon count).
    every_promise = sorted(p for ids in waiting.values() for p in ids)
    assert sorted(told) == every_promise
    assert set(told.values()) == {1}
    assert levels == {f"bag-{n:02}": 2 for n in range(VARIANTS)}
