"""Workers sharing the inbox on PostgreSQL keep each customer's events in order (ADR 61).

An event is claimed only when no earlier event with its ordering key is waiting: a customer's
refund asked for is handled, and committed, before the refund issued for it, even when the two
fall into two workers' batches at once. Events of other keys go to whichever worker is free, so
no worker waits while there is work it may take, and no event is taken twice.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import sqlalchemy as sa
from promise_world import PromiseWorld, build_world, refund_states

from heedful.adapters.storage.event_rows import SqlEventInbox
from heedful.bootstrap import Container
from heedful.core.engine.reactions import EngineReport, process_events
from heedful.core.events.handlers import accept_events
from heedful.core.events.model import StoredEvent
from heedful.core.shared.clock import FrozenClock

SOURCE = "urn:shop:till"


def _event(name: str, kind: str, customer: str, order: str, location: str) -> dict[str, Any]:
    data: dict[str, Any] = {"customer": {"id": customer}, "order_ref": order}
    if kind == "requested":
        data |= {"location": location, "amount": 950, "currency": "UAH"}
    return {
        "specversion": "1.0",
        "id": name,
        "source": SOURCE,
        "type": f"heedful.refund.{kind}",
        "data": data,
    }


def _refunds(world: PromiseWorld, customers: int) -> list[dict[str, Any]]:
    """Each customer asks for a refund, someone else asks for one, hers is issued, a third
    customer asks for one: batches of two put her two events in two workers' batches."""
    sent: list[dict[str, Any]] = []
    kyiv = world.kyiv.id
    for n in range(customers):
        her = world.customer(f"Klientka {n}", email=f"k{n}@example.com").id
        other = world.customer(f"Inshyi {n}", email=f"i{n}@example.com").id
        third = world.customer(f"Tretia {n}", email=f"t{n}@example.com").id
        sent += [
            _event(f"ask-{n}", "requested", her, f"R{n}", kyiv),
            _event(f"other-{n}", "requested", other, f"O{n}", kyiv),
            _event(f"issue-{n}", "issued", her, f"R{n}", kyiv),
            _event(f"third-{n}", "requested", third, f"T{n}", kyiv),
        ]
    return sent


class _Claims:
    """Every batch a worker claims, and a meeting of the workers after their first claims."""

    def __init__(self, workers: int) -> None:
        self.barrier = threading.Barrier(workers, timeout=60)
        self.lock = threading.Lock()
        self.batches: list[list[int]] = []
        self.met = threading.local()
        self.out_of_turn: list[int] = []

    def wrap(self, engine: sa.Engine) -> Callable[..., list[StoredEvent]]:
        claim: Callable[..., list[StoredEvent]] = SqlEventInbox.unprocessed

        def claim_then_meet(self_: SqlEventInbox, *args: Any, **kwargs: Any) -> Any:
            claimed = claim(self_, *args, **kwargs)
            sequences = [item.sequence for item in claimed]
            with self.lock:
                self.batches.append(sequences)
            self._check_turn(engine, sequences)
            if claimed and not getattr(self.met, "done", False):
                # Each worker, its first batch claimed, waits for the others to claim theirs:
                # all then write at once, as busy workers do.
                self.met.done = True
                self.barrier.wait()
            return claimed

        return claim_then_meet

    def _check_turn(self, engine: sa.Engine, sequences: list[int]) -> None:
        """No event claimed while an earlier one of its key waits outside this batch."""
        if not sequences:
            return
        with engine.connect() as conn:
            waiting_before = conn.execute(
                sa.text(
                    "SELECT later.sequence FROM events later JOIN events earlier"
                    " ON earlier.ordering_key = later.ordering_key"
                    " AND earlier.sequence < later.sequence"
                    " WHERE later.sequence = ANY(:taken) AND earlier.processed_at IS NULL"
                    " AND earlier.dead_at IS NULL AND NOT earlier.sequence = ANY(:taken)"
                ),
                {"taken": sequences},
            ).scalars()
            with self.lock:
                self.out_of_turn.extend(waiting_before)


def _run(container: Container, clock: FrozenClock, workers: int, batch: int) -> list[EngineReport]:
    def worker() -> EngineReport:
        total = EngineReport()
        while (report := process_events(container.uow, clock, batch=batch)).events:
            total.events += report.events
            total.kept += report.kept
            total.failed += report.failed
        return total

    with ThreadPoolExecutor(workers) as pool:
        futures = [pool.submit(worker) for _ in range(workers)]
        return [future.result(timeout=120) for future in futures]


def _queued(
    container: Container,
    clock: FrozenClock,
    monkeypatch: pytest.MonkeyPatch,
    *,
    customers: int,
    workers: int,
) -> tuple[list[dict[str, Any]], _Claims]:
    """Each customer's refund asked for, issued and talked of, in the inbox; claims watched."""
    sent = _refunds(build_world(container, clock), customers=customers)
    accept_events(container.uow(), clock, sent)
    claims = _Claims(workers=workers)
    monkeypatch.setattr(SqlEventInbox, "unprocessed", claims.wrap(container.engine))
    return sent, claims


@pytest.fixture
def postgres_only(database_url: str) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("workers share the inbox on PostgreSQL; SQLite has one writer")


@pytest.mark.usefixtures("postgres_only")
def test_a_refund_asked_for_is_kept_by_its_issue_though_two_workers_took_them_at_once(
    container: Container, clock: FrozenClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, claims = _queued(container, clock, monkeypatch, customers=1, workers=2)

    # Batches of two: the first worker takes her request and the other customer's; the second
    # would have taken her refund issued, before the request was committed, and found nothing
    # to keep (the promise then stays open and breaks in 15 minutes).
    reports = _run(container, clock, workers=2, batch=2)

    assert refund_states(container) == {"R0": "kept", "O0": "open", "T0": "open"}
    assert claims.out_of_turn == []
    # The second worker took the third customer's request instead, and her issue came after.
    assert sorted(len(batch) for batch in claims.batches[:2]) == [1, 2]
    assert sum(report.kept for report in reports) == 1
    assert [report.failed for report in reports] == [[], []]


@pytest.mark.usefixtures("postgres_only")
def test_three_workers_share_many_customers_each_in_order_none_twice_none_idle(
    container: Container, clock: FrozenClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    sent, claims = _queued(container, clock, monkeypatch, customers=30, workers=3)

    # Batches of six: a customer's four events straddle two batches every other time.
    reports = _run(container, clock, workers=3, batch=6)

    assert claims.out_of_turn == []
    taken = [sequence for batch in claims.batches for sequence in batch]
    assert len(taken) == len(set(taken)) == len(sent)  # every event once, none twice
    # Each worker's first batch was claimed while the others held theirs: all three had work.
    assert [len(batch) for batch in claims.batches[:3]] == [6, 6, 6]
    assert all(report.events > 0 for report in reports)
    states = refund_states(container)
    assert {states[f"R{n}"] for n in range(30)} == {"kept"}
    assert {states[f"{who}{n}"] for who in "OT" for n in range(30)} == {"open"}
    with container.engine.connect() as conn:
        left = conn.execute(
            sa.text("SELECT count(*) FROM events WHERE processed_at IS NULL")
        ).scalar_one()
        letters = conn.execute(sa.text("SELECT count(*) FROM dead_letters")).scalar_one()
    assert (left, letters) == (0, 0)
