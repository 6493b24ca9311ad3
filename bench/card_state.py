"""The card with the customer's state on it: bookings, orders with their lines, accounts (issue 12).

The console's card page is the card (``customer_card``) and, loaded after it, its Bookings and
orders section (``customer_dealings``): both use cases are timed together per customer, in
process, on the loaded database. Each of the section's reads is explained (``EXPLAIN ANALYZE``)
on a loaded customer and the plans are stored beside the results, so that a read that stopped
using its index shows as a sequential scan there and fails the benchmark.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from bench.support import time_each
from heedful.bootstrap import Container
from heedful.core.access.model import SYSTEM
from heedful.core.card import customer_card
from heedful.core.dealings.queries import customer_dealings

EXPLAINED = Path(__file__).with_name("customer_card_explain.txt")
_STATE_TABLES = ("bookings", "orders", "accounts")


def measure_card_with_state(
    container: Container, ids: list[str], count: int, rng: random.Random
) -> dict[str, Any]:
    picks = [rng.randrange(len(ids)) for _ in range(count)]
    seen = {"bookings": 0, "orders": 0, "lines": 0, "accounts": 0}

    def card_and_state(index: int) -> None:
        customer_card(ids[index], container.uow(), container.clock, SYSTEM)
        found = customer_dealings(container.uow(), SYSTEM, ids[index], container.clock.now())
        seen["bookings"] += len(found.bookings)
        seen["orders"] += len(found.orders)
        seen["lines"] += sum(len(order.lines) for order in found.orders)
        seen["accounts"] += len(found.accounts)

    timed = time_each(card_and_state, picks)
    print(timed.line("card with bookings, orders and accounts, in process"))
    print("on the cards read: " + ", ".join(f"{k} {v:,}" for k, v in seen.items()))
    if not (seen["orders"] and seen["lines"] and seen["bookings"] and seen["accounts"]):
        raise RuntimeError(f"the cards read showed no state: {seen}")
    return {
        "card_with_state_p50_ms": round(timed.percentile(50), 3),
        "card_with_state_p95_ms": round(timed.percentile(95), 3),
        "card_with_state_p99_ms": round(timed.percentile(99), 3),
        "card_with_state_cards": count,
        **{f"card_with_state_{k}_seen": v for k, v in seen.items()},
    }


_WITH_EVERYTHING = """
    SELECT a.customer_id FROM accounts a
    WHERE EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = a.customer_id)
      AND EXISTS (SELECT 1 FROM bookings b WHERE b.customer_id = a.customer_id)
    LIMIT 1
"""


def explain_state_reads(container: Container, fallback_id: str) -> dict[str, Any]:
    """EXPLAIN ANALYZE of every statement the Bookings and orders section runs, for a customer
    with a booking, an order and an account, stored in ``customer_card_explain.txt``; refuses a
    plan that scans a state table."""
    with container.engine.connect() as conn:
        customer_id = conn.exec_driver_sql(_WITH_EVERYTHING).scalar() or fallback_id
    statements: list[tuple[str, Any]] = []

    def keep(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if any(f"FROM {table}" in statement for table in _STATE_TABLES):
            statements.append((statement, parameters))

    engine = container.engine
    sa.event.listen(engine, "before_cursor_execute", keep)
    try:
        customer_dealings(container.uow(), SYSTEM, customer_id, container.clock.now())
    finally:
        sa.event.remove(engine, "before_cursor_execute", keep)
    report: list[str] = []
    scans: list[str] = []
    with engine.connect() as conn:
        for statement, parameters in statements:
            plan = [
                row[0] for row in conn.exec_driver_sql(f"EXPLAIN ANALYZE {statement}", parameters)
            ]
            report += [statement.strip(), *plan, ""]
            scans += [line for line in plan if "Seq Scan" in line]
    EXPLAINED.write_text("\n".join(report), encoding="utf-8")
    if scans:
        raise RuntimeError(f"a state read scans its table: {scans}; see {EXPLAINED}")
    return {"state_reads_explained": len(statements), "state_reads_use_indexes": True}
