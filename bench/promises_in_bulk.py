"""promises_in_bulk: a look-ahead window's promises made one at a time, and made in bulk.

"Your parcel arrives by Friday" for every late order in the window (seed 004): the look-ahead
pass builds and checks each promise first, then writes the window's promises, timers and audit
entries with one statement per table (``promises.prepare_promise`` and ``store_promises``,
ADR 0055). Before that, each firing made its promise the way staff make one (``make_promise``:
its reads, its writes, its savepoint). Both are timed here, in the same run, on the same
customers, for ``--bulk-promises`` promises on SQLite and PostgreSQL:

- ``one_by_one_per_s_<db>``: ``make_promise`` per promise, each in its savepoint of one
  transaction, as a pass's firings were;
- ``in_bulk_per_s_<db>``: ``prepare_promise`` per promise, ``store_promises`` per window of
  ``--bulk-window`` promises, in one transaction;
- ``ratio_<db>``: in bulk against one at a time.

Only the making is timed: the customers and the location are made first.
"""

from __future__ import annotations

import argparse
import os
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from bench.support import each_database, step
from heedful.adapters.clock import SystemClock
from heedful.adapters.storage.unit_of_work import SqlUnitOfWork
from heedful.core.access import SYSTEM
from heedful.core.customers.commands import CreateCustomer
from heedful.core.customers.handlers import create_customer
from heedful.core.promises.handlers import MakePromise, make_promise
from heedful.core.promises.in_bulk import prepare_promise, store_promises
from heedful.core.promises.model import PromiseKind
from heedful.core.promises.ports import PromiseFilter
from heedful.core.shared.clock import FrozenClock
from heedful.core.shared.ids import new_id
from heedful.core.shared.phrases import Phrase
from heedful.core.staff.model import Location, LocationKind

NAME = "promises_in_bulk"
NOW = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group(NAME)
    group.add_argument("--bulk-promises", type=int, default=3000, help="promises each way")
    group.add_argument("--bulk-window", type=int, default=1000, help="promises per bulk write")
    group.add_argument("--bulk-databases", default="sqlite,pg", help="comma-separated: sqlite, pg")


def _shop(engine: sa.Engine, clock: FrozenClock, count: int) -> tuple[Location, list[str]]:
    place = Location(
        new_id("loc_"), "Podil boutique", LocationKind.BOUTIQUE, "Kyiv", "UA", "Europe/Kyiv", NOW
    )
    with SqlUnitOfWork(engine) as uow:
        uow.locations.add(place)
        uow.commit()
    people = [
        create_customer(
            CreateCustomer(full_name=f"Klientka {n}", language="uk", home_location_id=place.id),
            SqlUnitOfWork(engine),
            clock,
            SYSTEM,
        ).id
        for n in range(count)
    ]
    return place, people


def _late_order(place: Location, customer_id: str, n: int) -> MakePromise:
    return MakePromise(
        customer_id=customer_id,
        kind=PromiseKind.DELIVER_BY,
        location_id=place.id,
        text=Phrase("promise.deliver_by", {"reference": f"ORD-{n}"}),
        due_at=NOW + timedelta(days=3),
        reference=f"ORD-{n}",
    )


def _measure(url: str, label: str, args: argparse.Namespace) -> dict[str, Any]:
    engine = sa.create_engine(url)
    clock = FrozenClock(NOW)
    count = args.bulk_promises
    try:
        with step(f"{label}: {2 * count:,} customers"):
            place, people = _shop(engine, clock, 2 * count)
        alone, together = people[:count], people[count:]
        uow = SqlUnitOfWork(engine)
        started = time.perf_counter()
        with uow:
            for n, customer_id in enumerate(alone):
                make_promise(_late_order(place, customer_id, n), uow, clock, SYSTEM)
            uow.commit()
        one_by_one = time.perf_counter() - started
        started = time.perf_counter()
        with uow:
            for first in range(0, count, args.bulk_window):
                window = together[first : first + args.bulk_window]
                made = [
                    prepare_promise(_late_order(place, who, first + n), uow, NOW, SYSTEM)
                    for n, who in enumerate(window)
                ]
                store_promises(uow, made)
            uow.commit()
        in_bulk = time.perf_counter() - started
        with SqlUnitOfWork(engine) as check:
            assert len(check.promises.find(PromiseFilter(customer_id=together[-1]), 5)) == 1
    finally:
        engine.dispose()
    print(f"{label}: one at a time {count / one_by_one:,.0f}/s, in bulk {count / in_bulk:,.0f}/s")
    return {
        f"one_by_one_per_s_{label}": round(count / one_by_one, 1),
        f"in_bulk_per_s_{label}": round(count / in_bulk, 1),
        f"ratio_{label}": round(one_by_one / in_bulk, 2),
    }


def run(args: argparse.Namespace) -> dict[str, Any]:
    wanted = {name.strip() for name in args.bulk_databases.split(",")}
    metrics: dict[str, Any] = {
        "promises": args.bulk_promises,
        "window": args.bulk_window,
        "cpus": os.cpu_count(),
        "load_average_1m_at_start": round(os.getloadavg()[0], 2),
    }
    for label, url in each_database(
        wanted, args.postgres_url, keep=args.keep, label="bulk_promises"
    ):
        metrics |= _measure(url, label, args)
    metrics["measured_at"] = SystemClock().now().replace(microsecond=0).isoformat()
    metrics["load_average_1m_at_end"] = round(os.getloadavg()[0], 2)
    return metrics
