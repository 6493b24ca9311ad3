"""playbook_audience: reading "customers who like Max Mara" whole, at a million preferences.

A playbook whose event names no customer chooses its audience by a standing preference (the demo
"brand in your size"). The engine reads the audience a page of 500 at a time, each page's
customers and standing preferences in one query each (ADR 34). This benchmark loads the
customer_card population on PostgreSQL (``bench/customer_data.py``, preferences spread over 29
subjects and three polarities), then times the engine's reads of one whole audience:

- ``audience_ms_p50``/``_p99``: every page of the audience, with its customers and preferences;
- ``page_ms_p99``: one page's query with the expression index ``ix_preferences_standing_subject``;
- ``page_ms_without_index_p50``: the same page query with the index dropped (as before
  migration 0016: a scan of every preference per event, for the first 500 only);
- ``explain``: the plan of the page query, with the index, stored beside the figures.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from typing import Any

import psycopg
import sqlalchemy as sa

from bench.customer_data import load
from bench.support import fresh_database, libpq_url, step
from heedful.adapters.clock import SystemClock
from heedful.adapters.storage.customer_rows import SqlCustomers
from heedful.adapters.storage.migrate import upgrade
from heedful.adapters.storage.playbook_rows import SqlPlaybooks
from heedful.adapters.storage.record_rows import SqlPreferences
from heedful.adapters.storage.tables import preferences
from heedful.core.playbooks.model import AUDIENCE_PAGE
from heedful.core.preferences.model import Category, Polarity

NAME = "playbook_audience"
BRAND = "max mara"  # as an event names it; stored as "Max Mara"
TARGET_AUDIENCE_P99_MS = 20.0


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group(NAME)
    group.add_argument("--audience-customers", type=int, default=200_000)
    group.add_argument("--audience-preferences", type=int, default=1_000_000)
    group.add_argument("--audience-runs", type=int, default=30, help="timed whole audiences")
    group.add_argument("--audience-naive-runs", type=int, default=5, help="without the index")


def _page(conn: sa.Connection, after: str | None) -> list[str]:
    return SqlPlaybooks(conn).customers_with_preference(
        Polarity.LIKE, Category.BRAND, BRAND, after, AUDIENCE_PAGE
    )


def read_audience(conn: sa.Connection) -> tuple[int, list[float]]:
    """The engine's reads for one whole audience; (customers, each page query's ms)."""
    customers, pages = SqlCustomers(conn), SqlPreferences(conn)
    count, after, page_ms = 0, None, []
    while True:
        started = time.perf_counter()
        page = _page(conn, after)
        page_ms.append((time.perf_counter() - started) * 1000)
        if page:
            customers.get_many(page)
            pages.standing_for_many(page)
        count += len(page)
        if len(page) < AUDIENCE_PAGE:
            return count, page_ms
        after = page[-1]


def _explain(conn: sa.Connection) -> str:
    query = (
        sa.select(preferences.c.customer_id)
        .where(
            sa.func.lower(preferences.c.subject) == BRAND,
            preferences.c.polarity == Polarity.LIKE.value,
            preferences.c.retracted_at.is_(None),
            preferences.c.category == Category.BRAND.value,
        )
        .group_by(preferences.c.customer_id)
        .order_by(preferences.c.customer_id)
        .limit(AUDIENCE_PAGE)
    )
    sql = str(query.compile(conn.engine, compile_kwargs={"literal_binds": True}))
    plan = conn.exec_driver_sql("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) " + sql)
    return "\n".join(row[0] for row in plan)


def _ms(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 2)


def run(args: argparse.Namespace) -> dict[str, Any]:
    metrics: dict[str, Any] = {}
    with fresh_database(args.postgres_url, keep=args.keep, label="audience_") as url:
        upgrade(url)
        with step(f"load {args.audience_customers:,} customers"):
            load(libpq_url(url), args.audience_customers, args.audience_preferences, 0, args.seed)
        engine = sa.create_engine(url)
        try:
            with engine.connect() as conn:
                size, _ = read_audience(conn)  # warm
                wholes, pages = [], []
                with step(f"{args.audience_runs} whole audiences of {size:,}"):
                    for _ in range(args.audience_runs):
                        started = time.perf_counter()
                        _, page_ms = read_audience(conn)
                        wholes.append((time.perf_counter() - started) * 1000)
                        pages.extend(page_ms)
                metrics["explain"] = _explain(conn)
            with psycopg.connect(libpq_url(url), autocommit=True) as admin:
                admin.execute("DROP INDEX ix_preferences_standing_subject")
                admin.execute("ANALYZE preferences")
            with engine.connect() as conn, step("the first page without the index"):
                naive = []
                for _ in range(args.audience_naive_runs):
                    started = time.perf_counter()
                    _page(conn, None)
                    naive.append((time.perf_counter() - started) * 1000)
        finally:
            engine.dispose()
    metrics.update(
        {
            "customers": args.audience_customers,
            "preferences": args.audience_preferences,
            "audience": size,
            "audience_ms_p50": _ms(wholes, 0.5),
            "audience_ms_p99": _ms(wholes, 0.99),
            "audience_ms_per_customer": round(statistics.median(wholes) / max(size, 1), 4),
            "page_ms_p99": _ms(pages, 0.99),
            "page_ms_without_index_p50": _ms(naive, 0.5),
            "target_page_ms_p99": TARGET_AUDIENCE_P99_MS,
            "load_average_1m_at_end": round(os.getloadavg()[0], 2),
            "measured_at": SystemClock().now().isoformat(timespec="seconds"),
        }
    )
    print(metrics["explain"])
    print(
        f"audience of {size:,}: whole p50 {metrics['audience_ms_p50']} ms, p99 "
        f"{metrics['audience_ms_p99']} ms; a page p99 {metrics['page_ms_p99']} ms, without the "
        f"index p50 {metrics['page_ms_without_index_p50']} ms"
    )
    return metrics
