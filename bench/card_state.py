"""The card with the customer's state on it: bookings, orders with their lines, accounts (issue 12).

``card_with_state`` is the card read with its state in one unit of work
(``customer_card(with_state=True)``): her record loaded once, the state in one statement. Two
baselines are timed in the same loop, interleaved customer by customer so that the machine's load
falls on all three alike:

- ``card_then_section``: the card, then the Bookings and orders section as the console loads it,
  in a request of its own (``customer_dealings``: its own access check, then the one statement);
- ``card_with_state_before``: the same pair as it was before ADR 0063, rebuilt here from the
  repositories it used: her record loaded again, then bookings, orders and accounts each read
  by a statement of its own, the bookings filtered in Python after a limit.

The one statement is explained on PostgreSQL (``EXPLAIN ANALYZE``, on the loaded database) and on
SQLite (``EXPLAIN QUERY PLAN``, on a small file made here), and the plans are stored in
``bench/explain/customer_card_state_*.txt``: a plan that scans a state table fails the benchmark.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from bench.support import Latencies
from heedful.adapters.storage.dealing_tables import accounts, bookings, orders
from heedful.adapters.storage.migrate import upgrade
from heedful.adapters.storage.tables import customers, locations
from heedful.bootstrap import Container, build
from heedful.config import Settings
from heedful.core.access import load_customer
from heedful.core.access.model import SYSTEM
from heedful.core.card import customer_card
from heedful.core.dealings import BookingStatus, CustomerDealings
from heedful.core.dealings.queries import ON_THE_CARD, customer_dealings

EXPLAINED = Path(__file__).with_name("explain")
_STATE_TABLES = ("bookings", "orders", "accounts")


def _state_as_before(container: Container, customer_id: str, now: datetime) -> CustomerDealings:
    """``customer_dealings`` as it stood before ADR 0063, for a baseline in the same run."""
    with container.uow() as uow:
        customer_id = load_customer(uow, SYSTEM, customer_id).id
        booked = [
            b
            for b in uow.bookings.list_for_customer(customer_id, ON_THE_CARD * 5)
            if b.status is BookingStatus.BOOKED
            and (b.ends_at or b.starts_at or now) >= now - timedelta(hours=12)
        ]
        ordered = uow.orders.list_for_customer(customer_id, ON_THE_CARD)
        held = uow.accounts.list_for_customer(customer_id, ON_THE_CARD)
    booked.sort(key=lambda b: b.starts_at or now)
    return CustomerDealings(booked[:ON_THE_CARD], ordered, held, 0, 0, 0)


def _shown(state: CustomerDealings) -> tuple[list[str], ...]:
    return (
        [b.reference for b in state.bookings],
        [o.reference for o in state.orders],
        sorted(a.reference for a in state.accounts),
    )


def measure_card_with_state(
    container: Container, ids: list[str], count: int, rng: random.Random
) -> dict[str, Any]:
    picks = [ids[rng.randrange(len(ids))] for _ in range(count)]
    seen = {"bookings": 0, "orders": 0, "lines": 0, "accounts": 0}
    shown: dict[str, tuple[list[str], ...]] = {}

    def one_read(customer_id: str) -> None:
        card = customer_card(customer_id, container.uow(), container.clock, SYSTEM, with_state=True)
        assert card.state is not None
        shown["one read"] = _shown(card.state)

    def two_reads(customer_id: str) -> None:
        customer_card(customer_id, container.uow(), container.clock, SYSTEM)
        found = customer_dealings(container.uow(), SYSTEM, customer_id, container.clock.now())
        shown["two reads"] = _shown(found)
        seen["bookings"] += len(found.bookings)
        seen["orders"] += len(found.orders)
        seen["lines"] += sum(len(order.lines) for order in found.orders)
        seen["accounts"] += len(found.accounts)

    def before(customer_id: str) -> None:
        customer_card(customer_id, container.uow(), container.clock, SYSTEM)
        shown["before"] = _shown(_state_as_before(container, customer_id, container.clock.now()))

    variants: dict[str, Callable[[str], None]] = {
        "card_with_state": one_read,
        "card_then_section": two_reads,
        "card_with_state_before": before,
    }
    samples: dict[str, list[float]] = {name: [] for name in variants}
    # This process's CPU per card: what the neighbours' load does not inflate (the wait for
    # PostgreSQL's answers is in the wall time only).
    cpu: dict[str, float] = dict.fromkeys(variants, 0.0)
    started = time.perf_counter()
    for turn, customer_id in enumerate(picks):
        names = list(variants)
        for name in names[turn % 3 :] + names[: turn % 3]:  # each goes first a third of the time
            at, cpu_at = time.perf_counter(), time.process_time()
            variants[name](customer_id)
            samples[name].append((time.perf_counter() - at) * 1000)
            cpu[name] += time.process_time() - cpu_at
        if len({repr(v) for v in shown.values()}) != 1:
            raise RuntimeError(f"the reads disagree for {customer_id}: {shown}")
    elapsed = time.perf_counter() - started
    metrics: dict[str, Any] = {"card_with_state_cards": count}
    for name, timed in samples.items():
        latencies = Latencies(timed, elapsed / 3)
        print(latencies.line(f"{name.replace('_', ' ')}, in process"))
        metrics |= {
            f"{name}_p50_ms": round(latencies.percentile(50), 3),
            f"{name}_p95_ms": round(latencies.percentile(95), 3),
            f"{name}_p99_ms": round(latencies.percentile(99), 3),
            f"{name}_cpu_ms": round(cpu[name] * 1000 / count, 3),
        }
    metrics["card_with_state_p95_ratio_to_before"] = round(
        metrics["card_with_state_p95_ms"] / metrics["card_with_state_before_p95_ms"], 2
    )
    print("on the cards read: " + ", ".join(f"{k} {v:,}" for k, v in seen.items()))
    if not (seen["orders"] and seen["lines"] and seen["bookings"] and seen["accounts"]):
        raise RuntimeError(f"the cards read showed no state: {seen}")
    metrics |= {f"card_with_state_{k}_seen": v for k, v in seen.items()}
    metrics |= _statements_per_card(container, picks[0])
    return metrics


def _statements_per_card(container: Container, customer_id: str) -> dict[str, Any]:
    counted: list[str] = []

    def keep(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        counted.append(statement)

    sa.event.listen(container.engine, "before_cursor_execute", keep)
    try:
        customer_card(customer_id, container.uow(), container.clock, SYSTEM, with_state=True)
        one = len(counted)
        counted.clear()
        customer_card(customer_id, container.uow(), container.clock, SYSTEM)
        _state_as_before(container, customer_id, container.clock.now())
    finally:
        sa.event.remove(container.engine, "before_cursor_execute", keep)
    print(f"statements per card with state: {one} (before: {len(counted)})")
    return {"card_with_state_statements": one, "card_with_state_before_statements": len(counted)}


_WITH_EVERYTHING = """
    SELECT a.customer_id FROM accounts a
    WHERE EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = a.customer_id)
      AND EXISTS (SELECT 1 FROM bookings b WHERE b.customer_id = a.customer_id)
    LIMIT 1
"""


def _state_statements(container: Container, customer_id: str) -> list[tuple[str, Any]]:
    """The statements the state read runs for this customer, as the driver gets them."""
    statements: list[tuple[str, Any]] = []

    def keep(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if any(f"FROM {table}" in statement for table in _STATE_TABLES):
            statements.append((statement, parameters))

    sa.event.listen(container.engine, "before_cursor_execute", keep)
    try:
        customer_dealings(container.uow(), SYSTEM, customer_id, container.clock.now())
    finally:
        sa.event.remove(container.engine, "before_cursor_execute", keep)
    return statements


def explain_state_reads(container: Container, fallback_id: str, work: Path) -> dict[str, Any]:
    """Explain the state read on PostgreSQL (the loaded database, a customer with a booking, an
    order and an account) and on SQLite; refuse a plan that scans a state table."""
    with container.engine.connect() as conn:
        customer_id = conn.exec_driver_sql(_WITH_EVERYTHING).scalar() or fallback_id
    statements = _state_statements(container, customer_id)
    report: list[str] = []
    with container.engine.connect() as conn:
        for statement, parameters in statements:
            plan = [
                row[0] for row in conn.exec_driver_sql(f"EXPLAIN ANALYZE {statement}", parameters)
            ]
            report += [statement.strip(), "", *plan, ""]
    scans = [line for line in report if "Seq Scan" in line]
    _write("postgresql", report, scans)
    sqlite_statements = _explain_on_sqlite(work / "card-state-explain.db")
    return {
        "state_reads_explained": len(statements),
        "state_reads_explained_sqlite": sqlite_statements,
        "state_reads_use_indexes": True,
    }


def _write(database: str, report: list[str], scans: list[str]) -> None:
    EXPLAINED.mkdir(exist_ok=True)
    path = EXPLAINED / f"customer_card_state_{database}.txt"
    path.write_text("\n".join(report), encoding="utf-8")
    if scans:
        raise RuntimeError(f"a state read scans its table on {database}: {scans}; see {path}")


def _explain_on_sqlite(path: Path) -> int:
    """A small SQLite file, migrated as in production, with 2,000 customers' state, analysed."""
    url = f"sqlite:///{path}"
    upgrade(url)
    container = build(Settings(database_url=url))
    now = datetime(2026, 12, 6, tzinfo=UTC)
    people = [f"cus_{n:05d}" for n in range(2000)]
    when = {"created_at": now, "updated_at": now}
    with container.engine.begin() as conn:
        conn.execute(
            locations.insert(),
            [
                {"id": "loc_1", "name": "Lypky", "kind": "shop", "city": "Kyiv", "country": "UA"}
                | {"time_zone": "Europe/Kyiv", "created_at": now}
            ],
        )
        conn.execute(
            customers.insert(),
            [
                {"id": p, "full_name": p, "language": "uk", "time_zone": "Europe/Kyiv"}
                | {"segment": "regular", "status": "active"}
                | when
                for p in people
            ],
        )
        shared = {"location_id": "loc_1", "as_of": now} | when
        conn.execute(
            bookings.insert(),
            [
                {"id": f"b{n}", "kind": "stay", "reference": f"B{n}", "customer_id": p}
                | {"status": "booked", "starts_at": now + timedelta(days=n % 90 - 45)}
                | {"ends_at": now + timedelta(days=n % 90 - 43)}
                | shared
                for n, p in enumerate(people * 2)
            ],
        )
        conn.execute(
            orders.insert(),
            [
                {"id": f"o{n}", "reference": f"O{n}", "customer_id": p, "status": "shipped"}
                | {"lines": [{"attributes": {"item": "bag"}, "quantity": 1, "amount": 900}]}
                | shared
                for n, p in enumerate(people * 3)
            ],
        )
        conn.execute(
            accounts.insert(),
            [
                {"id": f"a{n}", "reference": f"A{n}", "customer_id": p, "currency": "UAH"}
                | {"balance_minor": 100}
                | shared
                for n, p in enumerate(people[::3])
            ],
        )
        conn.exec_driver_sql("ANALYZE")
    statements = _state_statements(container, people[0])
    report: list[str] = []
    with container.engine.connect() as conn:
        for statement, parameters in statements:
            plan = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)
            report += [statement.strip(), "", *(str(row[3]) for row in plan), ""]
    container.close()
    # SQLite says SCAN for a table read whole; an index read is SEARCH ... USING INDEX.
    scans = [
        line
        for line in report
        if any(line.strip().startswith(f"SCAN {table}") for table in _STATE_TABLES)
    ]
    _write("sqlite", report, scans)
    return len(statements)
