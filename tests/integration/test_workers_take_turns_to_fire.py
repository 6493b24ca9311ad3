"""Two workers firing one playbook for the same customers in opposite orders never deadlock.

"Her brand is back in stock", once a day per customer: each firing stores its key (playbook,
customer, day). Since ADR 61 one bag's reports go to one worker, so two workers really do fire
side by side; a worker that stored Xenia's key and wanted Yulia's met one that had stored
Yulia's and wanted Xenia's, and PostgreSQL failed one batch (seen in `worker_throughput`'s
quarter mix). Batches that may fire a playbook now take turns (ADR 61's addendum).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import sqlalchemy as sa
from promise_world import build_world

from heedful.adapters.storage.event_rows import SqlEventInbox
from heedful.adapters.storage.playbook_rows import SqlPlaybooks
from heedful.bootstrap import Container
from heedful.core.customers.model import Customer
from heedful.core.engine.reactions import EngineReport, process_events
from heedful.core.events.handlers import accept_events
from heedful.core.playbooks import handlers as playbooks
from heedful.core.playbooks.demo import BRAND_IN_YOUR_SIZE
from heedful.core.preferences.handlers import RecordPreference, record_preference
from heedful.core.preferences.model import Category, Polarity
from heedful.core.shared.clock import FrozenClock

HER_BRAND_IS_BACK: dict[str, Any] = {
    "name": "Her brand is back",
    "trigger": {
        "event": "heedful.stock.changed",
        "where": [{"field": "data.quantity", "op": ">", "value": 0}],
    },
    "audience": {"preference": {"category": "brand", "subject_of": "data.brand"}},
    "actions": [{"do": "send_message", "template": "liked_item_in_stock", "purpose": "service"}],
    "once_per_customer": "P1D",
}


def _report(n: int, brand: str, location: str) -> dict[str, Any]:
    return {
        "specversion": "1.0",
        "id": f"delivery-{n}",
        "source": "urn:shop:stock",
        "type": "heedful.stock.changed",
        "data": {"code": f"bag-{n}", "location": location, "quantity": 3, "brand": brand},
    }


def _someone_waits_for_a_turn(engine: sa.Engine) -> bool:
    with engine.connect() as conn:
        waiting = conn.execute(
            sa.text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")
        ).scalar_one()
    return bool(waiting)


def test_two_workers_firing_for_the_same_customers_in_opposite_orders_both_finish(
    database_url: str, container: Container, clock: FrozenClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("row locks between workers are PostgreSQL's; SQLite has one writer")
    world = build_world(container, clock)
    kyiv = world.kyiv.id
    fans: dict[str, Customer] = {}
    for name, brand in (("Xenia", "Max Mara"), ("Yulia", "Lypky")):
        fan = world.customer(name, email=f"{name.lower()}@example.com")
        record_preference(
            RecordPreference(fan.id, Polarity.LIKE, brand, Category.BRAND),
            world.uow,
            clock,
            world.admin,
        )
        fans[brand] = fan
    made = playbooks.create_playbook(HER_BRAND_IS_BACK, world.uow, clock, world.admin)
    playbooks.set_enabled(made.id, True, world.uow, clock, world.admin)
    # Worker a: Max Mara, then Lypky; worker b: Lypky, then Max Mara. Four bags, four keys.
    brands = ["Max Mara", "Lypky", "Lypky", "Max Mara"]
    accept_events(container.uow(), clock, [_report(n, b, kyiv) for n, b in enumerate(brands)])

    claimed_batches = threading.Barrier(2, timeout=60)
    first_fired, fired_by_both = threading.Event(), threading.Event()
    claim_batch: Callable[..., Any] = SqlEventInbox.unprocessed
    claim_key: Callable[..., Any] = SqlPlaybooks.claim
    seen = threading.local()

    def claim_then_meet(self: SqlEventInbox, *args: Any, **kwargs: Any) -> Any:
        claimed = claim_batch(self, *args, **kwargs)
        if claimed:
            claimed_batches.wait()  # both batches claimed before either handles one
        return claimed

    def fire_then_wait(self: SqlPlaybooks, firing: Any) -> bool:
        stored = bool(claim_key(self, firing))
        if getattr(seen, "fired", False):
            return stored
        seen.fired = True
        if first_fired.is_set():  # the other worker's first firing
            fired_by_both.set()
            return stored
        first_fired.set()
        # The first to fire waits until the other has fired too (the deadlock's setting) or is
        # waiting for its turn (the fix): a state to reach, looked for every 10 ms.
        for _ in range(6000):
            if fired_by_both.wait(0.01) or _someone_waits_for_a_turn(container.engine):
                break
        return stored

    monkeypatch.setattr(SqlEventInbox, "unprocessed", claim_then_meet)
    monkeypatch.setattr(SqlPlaybooks, "claim", fire_then_wait)

    def worker() -> EngineReport:
        return process_events(container.uow, clock, batch=2)

    with ThreadPoolExecutor(2) as pool:
        reports = [future.result(timeout=120) for future in [pool.submit(worker) for _ in "ab"]]

    assert [report.failed for report in reports] == [[], []]  # no deadlock, nothing to retry
    assert sorted(report.events for report in reports) == [2, 2]
    with container.engine.connect() as conn:
        left = conn.execute(
            sa.text("SELECT count(*) FROM events WHERE processed_at IS NULL")
        ).scalar_one()
        told: dict[str, int] = dict(
            conn.execute(
                sa.text(
                    "SELECT customer_id, count(*) FROM messages"
                    " WHERE template_key = 'liked_item_in_stock' GROUP BY customer_id"
                )
            ).all()
        )
    assert left == 0
    # Each fan heard once today, however many of her brand's bags came in.
    assert told == {fans["Max Mara"].id: 1, fans["Lypky"].id: 1}


def test_stock_reports_no_playbook_can_fire_for_run_side_by_side(
    database_url: str, container: Container, clock: FrozenClock
) -> None:
    # "Your brand, in your size" listens to every stock report but fires only for one that
    # names a brand. A batch of counts without a brand cannot fire it, so it must not wait for
    # the firing turn: with it, two workers ran one batch at a time (ADR 64).
    if not database_url.startswith("postgresql"):
        pytest.skip("the firing turn is a PostgreSQL lock; SQLite has one writer")
    world = build_world(container, clock)
    made = playbooks.create_playbook(BRAND_IN_YOUR_SIZE, world.uow, clock, world.admin)
    playbooks.set_enabled(made.id, True, world.uow, clock, world.admin)
    turns: list[str] = []

    def note(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if "heedful.firings" in statement:
            turns.append(statement)

    def handle(reports: list[dict[str, Any]]) -> int:
        accept_events(container.uow(), clock, reports)
        turns.clear()
        sa.event.listen(container.engine, "before_cursor_execute", note)
        try:
            report = process_events(container.uow, clock, batch=10)
        finally:
            sa.event.remove(container.engine, "before_cursor_execute", note)
        assert (report.events, report.failed) == (len(reports), [])
        return len(turns)

    counts = [_report(n, "Lypky", world.kyiv.id) for n in range(3)]
    for count in counts:
        del count["data"]["brand"]
    assert handle(counts) == 0
    branded = [_report(n, "Lypky", world.kyiv.id) for n in range(3, 6)]
    assert handle(branded) == 1
