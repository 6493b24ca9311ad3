"""customer_card: the card and the identity look-up at 1,000,000 customers, and the CSV import rate.

Targets (the issue): card read p95 under 20 ms and identity look-up p95 under 5 ms through the real
HTTP API on PostgreSQL, with 1,000,000 customers and 5,000,000 preferences.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import tempfile
from pathlib import Path
from typing import Any

import httpx
import psycopg

from bench.card_state import explain_state_reads, measure_card_with_state
from bench.customer_data import (
    Dealings,
    customer_ids,
    load,
    phone_digits,
    stored_phone,
    typed_phone,
)
from bench.customer_import import run_imports
from bench.support import (
    Latencies,
    PlainClient,
    fresh_database,
    libpq_url,
    process_cpu_seconds,
    running_server,
    step,
    time_each,
)
from heedful.adapters.clock import SystemClock
from heedful.adapters.storage.migrate import upgrade
from heedful.bootstrap import Container, build
from heedful.config import Settings
from heedful.core.access.model import SYSTEM, Role
from heedful.core.card import customer_card
from heedful.core.customers.handlers import look_up_with_identities
from heedful.core.customers.identities import IdentityKind
from heedful.core.staff.handlers import NewToken, authenticate_token, create_token

NAME = "customer_card"
TARGETS = {"card_p95_ms": 20.0, "lookup_p95_ms": 5.0, "card_with_state_p95_ms": 20.0}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group(NAME)
    group.add_argument("--customers", type=int, default=1_000_000)
    group.add_argument("--preferences-per-customer", type=float, default=5.0)
    group.add_argument("--history-per-customer", type=float, default=3.0)
    # The card's state (issue 12): stays and tables, orders with 1 to 4 lines, bank accounts.
    group.add_argument("--bookings-per-customer", type=float, default=1.0)
    group.add_argument("--orders-per-customer", type=float, default=1.0)
    group.add_argument("--accounts-per-customer", type=float, default=0.3)
    group.add_argument("--requests", type=int, default=2_000, help="timed requests of each kind")
    group.add_argument("--warmup", type=int, default=200, help="untimed requests of each kind")
    group.add_argument("--naive-queries", type=int, default=20, help="full scans to time")
    group.add_argument("--import-rows", type=int, default=100_000)
    group.add_argument("--skip-import", action="store_true", help="leave out the CSV import")
    group.add_argument(
        "--state-only",
        action="store_true",
        help="only the card with her bookings, orders and accounts, in process (and its plans):"
        " no HTTP, no naive scans, no import",
    )
    group.add_argument("--import-only", action="store_true", help="only the CSV import")
    group.add_argument(
        "--database-url",
        help="measure a database kept (--keep) by an earlier run with the same --seed and"
        " --customers, instead of loading a new one",
    )


def run(args: argparse.Namespace) -> dict[str, Any]:
    metrics: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="heedful-bench-") as tmp:
        work = Path(tmp)
        if not args.import_only:
            metrics |= _reads(args, work)
            for key, limit in TARGETS.items():
                if key not in metrics:
                    continue
                verdict = "met" if metrics[key] < limit else "MISSED"
                print(f"target {key} < {limit} ms: {metrics[key]} ms, {verdict}")
        if not (args.skip_import or args.state_only):
            metrics |= run_imports(args.postgres_url, args.import_rows, args.seed, args.keep, work)
            metrics["import_measured_at"] = _now()
    return metrics


def _reads(args: argparse.Namespace, work: Path) -> dict[str, Any]:
    """The card and the look-up through HTTP and in process, and the naive comparison."""
    customers = args.customers
    preferences = round(customers * args.preferences_per_customer)
    history = round(customers * args.history_per_customer)
    metrics: dict[str, Any] = {
        "customers": customers,
        "preferences": preferences,
        "history": history,
        "requests": args.requests,
        "bookings": round(customers * args.bookings_per_customer),
        "orders": round(customers * args.orders_per_customer),
        "accounts": round(customers * args.accounts_per_customer),
        # Other work on the machine shows in every latency: the load average says how much.
        "load_average_1m_at_start": round(os.getloadavg()[0], 2),
    }
    if args.database_url:
        ids = _loaded_ids(args.database_url, args)
        metrics |= _measure(args.database_url, ids, args, work)
        if not args.state_only:
            metrics |= _compare_with_naive(args.database_url, ids, args)
    else:
        with fresh_database(args.postgres_url, keep=args.keep, label="card_") as url:
            dealings = Dealings(
                round(customers * args.bookings_per_customer),
                round(customers * args.orders_per_customer),
                round(customers * args.accounts_per_customer),
            )
            metrics |= _load(url, customers, preferences, history, args.seed, dealings)
            ids = customer_ids(args.seed, customers)
            metrics |= _measure(url, ids, args, work)
            if not args.state_only:
                metrics |= _compare_with_naive(url, ids, args)
    metrics["measured_at"] = _now()
    return metrics


def _now() -> str:
    return SystemClock().now().isoformat(timespec="seconds")


def _load(
    url: str, customers: int, preferences: int, history: int, seed: int, dealings: Dealings
) -> dict[str, Any]:
    with step("migrate"):
        upgrade(url)
    with step("load") as timer:
        population = load(libpq_url(url), customers, preferences, history, seed, dealings)
    rows = sum(population.rows.values())
    print("rows loaded: " + ", ".join(f"{t} {n:,}" for t, n in population.rows.items()))
    return {
        "load_rows": rows,
        "load_s": round(timer.seconds, 1),
        "load_rows_per_s": round(rows / timer.seconds),
    }


def _loaded_ids(url: str, args: argparse.Namespace) -> list[str]:
    """The ids of a database an earlier run kept, loaded with the same --seed and --customers."""
    ids = customer_ids(args.seed, args.customers)
    with psycopg.connect(libpq_url(url)) as db:
        row = db.execute("SELECT count(*) FROM customers").fetchone()
        first = db.execute("SELECT 1 FROM customers WHERE id = %s", (ids[0],)).fetchone()
    if row is None or row[0] != len(ids) or first is None:
        raise RuntimeError(f"{url} was not loaded with --seed {args.seed} --customers {len(ids)}")
    return ids


def _measure(url: str, ids: list[str], args: argparse.Namespace, work: Path) -> dict[str, Any]:
    container = build(Settings(database_url=url))
    if args.state_only:
        rng = random.Random(args.seed + 3)
        count = min(args.requests, 1000)
        metrics = explain_state_reads(container, ids[0], work)
        metrics |= measure_card_with_state(container, ids, count, rng)
        container.close()
        return metrics
    _, secret = create_token(
        NewToken(name="bench", role=Role.ADMIN), container.uow(), container.clock, SYSTEM
    )
    rng = random.Random(args.seed + 1)
    metrics: dict[str, Any] = {"client": "http.client keep-alive, same machine"}
    bearer = {"Authorization": f"Bearer {secret}"}
    with running_server(url, work / "server.log") as server:
        client = PlainClient(server.base_url, bearer)
        answers: list[tuple[int, bytes]] = []

        def card(index: int) -> None:
            answers.append(client.get(f"/api/v1/customers/{ids[index]}/card"))

        def lookup(index: int) -> None:
            params = {"kind": "phone", "value": typed_phone(index)}
            answers.append(client.get("/api/v1/customers/lookup", params))

        for what, call in (("card", card), ("lookup", lookup)):
            picks = [rng.randrange(len(ids)) for _ in range(args.warmup + args.requests)]
            time_each(call, picks[: args.warmup])
            answers.clear()
            cpu_before = process_cpu_seconds(server.process.pid)
            timed = time_each(call, picks[args.warmup :])
            cpu_ms = (process_cpu_seconds(server.process.pid) - cpu_before) * 1000 / args.requests
            _check(what, answers, [ids[i] for i in picks[args.warmup :]])
            print(timed.line(f"{what} via HTTP") + f", server CPU {cpu_ms:.2f} ms per request")
            metrics |= timed.summary(what)
            metrics[f"{what}_server_cpu_ms_per_request"] = round(cpu_ms, 3)
        client.close()
        # The same look-ups from httpx, a common but heavier client, for comparison.
        with httpx.Client(base_url=server.base_url, headers=bearer, timeout=30) as heavier:
            picks = [rng.randrange(len(ids)) for _ in range(min(args.requests, 1000))]
            via_httpx = time_each(
                lambda i: heavier.get(
                    "/api/v1/customers/lookup", params={"kind": "phone", "value": typed_phone(i)}
                ),
                picks,
            )
        print(via_httpx.line("lookup via HTTP from httpx"))
        metrics["lookup_httpx_p50_ms"] = round(via_httpx.percentile(50), 3)
        metrics["lookup_httpx_p95_ms"] = round(via_httpx.percentile(95), 3)
        # The floor under every API call: a request refused for want of a token (401) crosses
        # uvicorn, the middleware and one thread hop, and touches no database.
        anonymous = PlainClient(server.base_url)
        floor = time_each(
            lambda _: anonymous.get("/api/v1/customers/lookup?kind=phone&value=1"),
            range(min(args.requests, 1000)),
        )
        anonymous.close()
        print(floor.line("refused request (401) via HTTP"))
        metrics["http_floor_p50_ms"] = round(floor.percentile(50), 3)
        metrics["http_floor_p95_ms"] = round(floor.percentile(95), 3)
    # Before the naive scans, which keep both cores busy themselves.
    metrics["load_average_1m_after_http"] = round(os.getloadavg()[0], 2)
    metrics |= _measure_in_process(container, ids, args, rng, secret, work)
    container.close()
    return metrics


def _check(what: str, answers: list[tuple[int, bytes]], expected_ids: list[str]) -> None:
    for (status, body), expected in zip(answers, expected_ids, strict=True):
        if status != 200:
            raise RuntimeError(f"{what}: {status} {body[:300]!r}")
        found = json.loads(body)
        found_id = found["customer"]["id"] if what == "card" else found["id"]
        if found_id != expected:
            raise RuntimeError(f"{what}: asked for {expected}, got {found_id}")


def _measure_in_process(
    container: Container,
    ids: list[str],
    args: argparse.Namespace,
    rng: random.Random,
    secret: str,
    work: Path,
) -> dict[str, Any]:
    """The same use cases without HTTP: how much of the time is ours, how much the framework's."""
    count = min(args.requests, 1000)
    picks = [rng.randrange(len(ids)) for _ in range(count)]
    cards = time_each(
        lambda i: customer_card(ids[i], container.uow(), container.clock, SYSTEM), picks
    )
    lookups = time_each(
        lambda i: look_up_with_identities(
            IdentityKind.PHONE, typed_phone(i), container.uow(), SYSTEM
        ),
        picks,
    )
    # Every API request first checks its token in a unit of work of its own.
    auths = time_each(lambda _: authenticate_token(secret, container.uow(), container.clock), picks)
    metrics: dict[str, Any] = explain_state_reads(container, ids[picks[0]], work)
    metrics |= measure_card_with_state(container, ids, count, rng)
    for what, timed in (("card", cards), ("lookup", lookups), ("auth", auths)):
        print(timed.line(f"{what} in process"))
        metrics[f"{what}_in_process_p50_ms"] = round(timed.percentile(50), 3)
        metrics[f"{what}_in_process_p95_ms"] = round(timed.percentile(95), 3)
    return metrics


def _compare_with_naive(url: str, ids: list[str], args: argparse.Namespace) -> dict[str, Any]:
    """Same run, same data: what normalising at write time and indexing buy.

    Without normalisation at write time, stored phones are in whatever form they arrived, so a
    look-up must strip every stored value to digits: a full scan of the identities. The naive
    query is even given the digits with the country code, which a '8 916 ...' typed at the till
    does not have; it is only slower, never wrong here.
    """
    rng = random.Random(args.seed + 2)
    many = [rng.randrange(len(ids)) for _ in range(max(args.naive_queries, 1000))]
    picks = many[: args.naive_queries]
    indexed_sql = (
        "SELECT c.id FROM identities i JOIN customers c ON c.id = i.customer_id"
        " WHERE i.kind = 'phone' AND i.value = %s"
    )
    naive_sql = (
        "SELECT c.id FROM identities i JOIN customers c ON c.id = i.customer_id"
        " WHERE i.kind = 'phone' AND regexp_replace(i.value, '\\D', '', 'g') = %s"
    )
    prefs_sql = (
        "SELECT * FROM preferences WHERE customer_id = %s AND retracted_at IS NULL"
        " ORDER BY recorded_at DESC, id"
    )
    with psycopg.connect(libpq_url(url), autocommit=True) as db:
        indexed = _time_sql(db, indexed_sql, [(stored_phone(i),) for i in many], ids, many)
        with step(f"naive look-up, {len(picks)} full scans"):
            naive = _time_sql(db, naive_sql, [(phone_digits(i),) for i in picks], ids, picks)
        prefs_indexed = _time_sql(db, prefs_sql, [(ids[i],) for i in many])
        with db.transaction():
            # What the card's preference read costs on a table without the customer_id index.
            db.execute("SET LOCAL enable_indexscan = off")
            db.execute("SET LOCAL enable_bitmapscan = off")
            with step(f"card preferences without the index, {len(picks)} scans"):
                prefs_scan = _time_sql(db, prefs_sql, [(ids[i],) for i in picks])
    lookup_ratio = _mean(naive) / _mean(indexed)
    prefs_ratio = _mean(prefs_scan) / _mean(prefs_indexed)
    print(
        f"look-up SQL: indexed {_mean(indexed):.3f} ms, naive scan {_mean(naive):.1f} ms"
        f" ({lookup_ratio:,.0f}x)"
    )
    print(
        f"card preferences SQL: indexed {_mean(prefs_indexed):.3f} ms,"
        f" without index {_mean(prefs_scan):.1f} ms ({prefs_ratio:,.0f}x)"
    )
    return {
        "naive_queries": len(picks),
        "indexed_queries": len(many),
        "lookup_sql_indexed_mean_ms": round(_mean(indexed), 3),
        "lookup_sql_naive_scan_mean_ms": round(_mean(naive), 1),
        "lookup_naive_ratio": round(lookup_ratio),
        "preferences_sql_indexed_mean_ms": round(_mean(prefs_indexed), 3),
        "preferences_sql_unindexed_mean_ms": round(_mean(prefs_scan), 1),
        "preferences_unindexed_ratio": round(prefs_ratio),
    }


def _time_sql(
    db: psycopg.Connection[Any],
    query: str,
    params: list[tuple[str]],
    ids: list[str] | None = None,
    picks: list[int] | None = None,
) -> Latencies:
    found: list[Any] = []
    timed = time_each(
        lambda p: found.append(db.execute(query, p, prepare=False).fetchall()), params
    )
    if ids is not None and picks is not None:
        for rows, index in zip(found, picks, strict=True):
            if rows != [(ids[index],)]:
                raise RuntimeError(f"the look-up SQL found {rows} for {ids[index]}")
    return timed


def _mean(latencies: Latencies) -> float:
    return sum(latencies.samples_ms) / len(latencies.samples_ms)
