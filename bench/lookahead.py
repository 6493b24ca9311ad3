"""lookahead: every look-ahead playbook over a million bookings, orders and accounts (ADR 0040).

Loads ``--lookahead-rows`` bookings (stays and tables), as many orders and as many accounts,
spread over twenty locations in eight time zones, into SQLite and into PostgreSQL, enables the
four look-ahead playbooks of seeds 002 and 004, then times:

- ``full_s_sqlite`` / ``full_s_pg``: the scheduled pass over every location (``evaluate_all``),
  the first one, which fires for everything inside the horizons (tasks, messages, promises);
- ``again_s_sqlite`` / ``again_s_pg``: the next pass, which finds every key taken;
- ``incremental_p99_ms``: one record changed (an account's balance, a booking's arrival) and
  weighed alone, as the engine does after the event that changed it, with its commit; the worse
  of the two databases. It reads that record, its location, its customer and its keys: the
  cost does not grow with the million.

The pass reads only what lies inside each horizon, by index ranges per location
(``ix_bookings_kind_location_id_starts_at``, ``ix_accounts_location_id_next_charge_at``,
``ix_orders_location_id_promised_on``); the rest of the million is never loaded.
"""

from __future__ import annotations

import argparse
import os
import random
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from bench.support import Latencies, each_database, step
from heedful.adapters.clock import SystemClock
from heedful.adapters.storage.dealing_tables import accounts, bookings, orders
from heedful.adapters.storage.tables import customers, locations, preferences
from heedful.adapters.storage.unit_of_work import SqlUnitOfWork
from heedful.core.access import SYSTEM
from heedful.core.dealings import Booking, BookingKind
from heedful.core.playbooks import (
    PlaybookIndex,
    StateObject,
    Subject,
    account_object,
    booking_object,
    evaluate_all,
    reconsider,
)
from heedful.core.playbooks import handlers as playbooks
from heedful.core.playbooks.look_ahead_demo import LOOK_AHEAD_PLAYBOOKS
from heedful.core.shared.clock import FrozenClock

NAME = "lookahead"
TARGET_FULL_S = 60.0
TARGET_INCREMENTAL_P99_MS = 10.0
ZONES = (
    "Europe/Kyiv",
    "Europe/Berlin",
    "Europe/London",
    "America/New_York",
    "America/Los_Angeles",
    "Asia/Kolkata",
    "Asia/Tokyo",
    "Australia/Sydney",
)
LOCATIONS = 20
CHUNK = 20_000
# Monday 2 March 2026, 07:00 UTC: the benchmark's "now".
NOW = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group(NAME)
    group.add_argument("--lookahead-rows", type=int, default=1_000_000, help="of each kind")
    group.add_argument("--lookahead-customers", type=int, default=200_000)
    group.add_argument("--lookahead-changes", type=int, default=500, help="timed single changes")
    group.add_argument(
        "--lookahead-databases", default="sqlite,pg", help="sqlite, pg or both (comma-separated)"
    )


def _chunks(rows: Iterator[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    chunk: list[dict[str, Any]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _location_ids() -> list[str]:
    return [f"loc_bench_{n:02d}" for n in range(LOCATIONS)]


def _customer_id(n: int) -> str:
    return f"cus_bench_{n:08d}"


def _load(engine: sa.Engine, rows: int, people: int, seed: int) -> None:
    rng = random.Random(seed)
    places = _location_ids()
    hours = {"mon-sun": ["08:00-22:00"]}

    def insert(table: sa.Table, made: Iterator[dict[str, Any]]) -> None:
        for chunk in _chunks(made):
            with engine.begin() as conn:
                conn.execute(table.insert(), chunk)

    insert(
        locations,
        (
            {
                "id": place,
                "name": f"Place {n}",
                "kind": "hotel",
                "city": "City",
                "country": "UA",
                "time_zone": ZONES[n % len(ZONES)],
                "created_at": NOW,
                "opening_hours": hours,
                "subdivision": "",
            }
            for n, place in enumerate(places)
        ),
    )
    insert(
        customers,
        (
            {
                "id": _customer_id(n),
                "full_name": f"Guest {n}",
                "language": "uk",
                "time_zone": "Europe/Kyiv",
                "segment": "vip" if n % 10 == 0 else "regular",
                "home_location_id": places[n % LOCATIONS],
                "status": "active",
                "created_at": NOW,
                "updated_at": NOW,
            }
            for n in range(people)
        ),
    )
    # One guest in twenty said what she never wants in her room.
    insert(
        preferences,
        (
            {
                "id": f"prf_bench_{n:08d}",
                "customer_id": _customer_id(n),
                "polarity": "never",
                "category": "drink",
                "subject": "sparkling water in the minibar",
                "note": "",
                "source": "said",
                "confidence": 1.0,
                "recorded_at": NOW,
                "recorded_by": "stf_bench",
                "recorded_by_label": "bench",
            }
            for n in range(0, people, 20)
        ),
    )

    def who(n: int) -> tuple[str, str]:
        # Row n is at location n % LOCATIONS, for a guest known there: a change finds it again.
        guest = rng.randrange(people // LOCATIONS) * LOCATIONS + n % LOCATIONS
        return _customer_id(guest), places[n % LOCATIONS]

    def booking(n: int) -> dict[str, Any]:
        customer, place = who(n)
        # A year of bookings: a month past, eleven months ahead.
        starts = NOW + timedelta(minutes=rng.randrange(-30 * 1440, 335 * 1440))
        stay = n % 5 != 0
        return {
            "id": f"bkg_bench_{n:08d}",
            "kind": "stay" if stay else "table",
            "location_id": place,
            "reference": f"B-{n}",
            "customer_id": customer,
            "status": "booked" if n % 10 else "cancelled",
            "starts_at": starts,
            "ends_at": starts + timedelta(days=2) if stay else None,
            "room_type": "Deluxe" if stay else "",
            "room": str(100 + n % 400) if stay else "",
            "table_name": "" if stay else str(n % 30),
            "guests": 2,
            "as_of": NOW,
            "created_at": NOW,
            "updated_at": NOW,
        }

    def order(n: int) -> dict[str, Any]:
        customer, place = who(n)
        promised = NOW.date() + timedelta(days=rng.randrange(-30, 335))
        late = rng.randrange(20) == 0
        return {
            "id": f"ord_bench_{n:08d}",
            "location_id": place,
            "reference": f"O-{n}",
            "customer_id": customer,
            "status": rng.choice(("processing", "shipped", "delivered")),
            "lines": [],
            "promised_on": promised,
            "expected_on": promised + timedelta(days=2) if late else promised,
            "carrier": "Nova Poshta",
            "tracking_number": "",
            "as_of": NOW,
            "created_at": NOW,
            "updated_at": NOW,
        }

    def account(n: int) -> dict[str, Any]:
        customer, place = who(n)
        # Monthly charges: each account's next one somewhere in the coming month.
        charge_at = NOW + timedelta(minutes=rng.randrange(0, 30 * 1440))
        return {
            "id": f"acc_bench_{n:08d}",
            "location_id": place,
            "reference": f"A-{n}",
            "customer_id": customer,
            "currency": "UAH",
            "balance_minor": rng.randrange(0, 500_000),
            "limit_minor": rng.choice((None, 100_000)),
            "next_charge_at": charge_at,
            "next_charge_minor": rng.randrange(10_000, 300_000),
            "card_expires_on": date(2026, 3, 1) + timedelta(days=rng.randrange(0, 1500)),
            "as_of": NOW,
            "created_at": NOW,
            "updated_at": NOW,
        }

    for table, make in ((bookings, booking), (orders, order), (accounts, account)):
        insert(table, (make(n) for n in range(rows)))


def _playbooks(engine: sa.Engine, clock: FrozenClock) -> None:
    for source in LOOK_AHEAD_PLAYBOOKS:
        made = playbooks.create_playbook(source, SqlUnitOfWork(engine), clock, SYSTEM)
        playbooks.set_enabled(made.id, True, SqlUnitOfWork(engine), clock, SYSTEM)


def _changes(engine: sa.Engine, rows: int, count: int, seed: int) -> tuple[Latencies, Latencies]:
    """One record changed and weighed alone, as the engine does after its event, committed.

    Half are accounts whose balance drops, half are stays moved to arrive within 60 hours: many
    land inside a horizon, so the timing includes firing, not only looking. Returns the
    re-evaluation alone (``reconsider``: its reads, and its writes when it fires) and the whole
    change with the record's own update and the commit.
    """
    rng = random.Random(seed + 1)
    uow = SqlUnitOfWork(engine)
    with uow:
        index = PlaybookIndex(uow.playbooks.enabled())
    samples: list[float] = []
    weighing: list[float] = []
    started = time.perf_counter()
    for _ in range(count):
        n = rng.randrange(rows)
        place = _location_ids()[n % LOCATIONS]
        before = time.perf_counter()
        with uow:
            if n % 5 == 0 or n % 10 == 1:  # tables and cancelled stays: an account instead
                account = uow.accounts.get_by_reference(place, f"A-{n}")
                assert account is not None
                account.balance_minor -= 1000
                uow.accounts.update(account)
                weighed = time.perf_counter()
                reconsider(
                    uow, index, partial(account_object, account), Subject.CHARGES, place, NOW
                )
            else:
                booking = uow.bookings.get_by_reference(BookingKind.STAY, place, f"B-{n}")
                assert booking is not None
                booking.starts_at = NOW + timedelta(hours=rng.randrange(1, 60))
                uow.bookings.update(booking)
                weighed = time.perf_counter()
                reconsider(uow, index, partial(_stay, booking), Subject.STAYS, place, NOW)
            weighing.append((time.perf_counter() - weighed) * 1000)
            uow.commit()
        samples.append((time.perf_counter() - before) * 1000)
    elapsed = time.perf_counter() - started
    return Latencies(weighing, elapsed), Latencies(samples, elapsed)


def _stay(booking: Booking, zone: ZoneInfo) -> StateObject:
    return booking_object(booking, Subject.STAYS, zone)


def _measure(url: str, label: str, args: argparse.Namespace) -> dict[str, Any]:
    engine = sa.create_engine(url)
    clock = FrozenClock(NOW)
    out: dict[str, Any] = {}
    try:
        with step(f"{label}: load {args.lookahead_rows:,} of each") as load:
            _load(engine, args.lookahead_rows, args.lookahead_customers, args.seed)
        out[f"load_s_{label}"] = round(load.seconds, 1)
        with engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE")  # both databases plan from statistics
        _playbooks(engine, clock)
        factory = lambda: SqlUnitOfWork(engine)  # noqa: E731 - a factory, as the worker's
        with step(f"{label}: full pass") as full:
            report = evaluate_all(factory, clock)
        out[f"full_s_{label}"] = round(full.seconds, 2)
        out[f"objects_in_horizons_{label}"] = report.objects
        out[f"fired_{label}"] = report.fired
        with step(f"{label}: the next pass") as again:
            second = evaluate_all(factory, clock)
        out[f"again_s_{label}"] = round(again.seconds, 2)
        assert second.fired == 0, second
        weighed, whole = _changes(engine, args.lookahead_rows, args.lookahead_changes, args.seed)
        print(weighed.line(f"{label}: one change re-evaluated"))
        print(whole.line(f"{label}: the change, re-evaluated and committed"))
        out[f"incremental_p50_ms_{label}"] = round(weighed.percentile(50), 2)
        out[f"incremental_p99_ms_{label}"] = round(weighed.percentile(99), 2)
        out[f"change_and_commit_p99_ms_{label}"] = round(whole.percentile(99), 2)
    finally:
        engine.dispose()
    return out


def run(args: argparse.Namespace) -> dict[str, Any]:
    wanted = {name.strip() for name in args.lookahead_databases.split(",")}
    metrics: dict[str, Any] = {
        "rows_of_each": args.lookahead_rows,
        "customers": args.lookahead_customers,
        "locations": LOCATIONS,
        "cpus": os.cpu_count(),
        "load_average_1m_at_start": round(os.getloadavg()[0], 2),
    }
    for label, url in each_database(wanted, args.postgres_url, keep=args.keep, label="lookahead"):
        metrics |= _measure(url, label, args)
    p99s = [v for k, v in metrics.items() if k.startswith("incremental_p99_ms_")]
    if p99s:
        metrics["incremental_p99_ms"] = max(p99s)
    metrics["targets"] = {"full_s": TARGET_FULL_S, "incremental_p99_ms": TARGET_INCREMENTAL_P99_MS}
    metrics["measured_at"] = SystemClock().now().replace(microsecond=0).isoformat()
    metrics["load_average_1m_at_end"] = round(os.getloadavg()[0], 2)
    return metrics
