"""The catalog import rate (issue 12): variants and their stock per location, rows/s end to end.

`heedful import catalog items.csv` then `heedful import stock stock.csv`, as an operator runs
them (process start, the counting pass and the progress bar included), into an empty SQLite file
and an empty PostgreSQL database. The issue's size is 1,000,000 variants and 10,000,000 stock rows
(10 locations), with ``--catalog-full`` or ``HEEDFUL_BENCH_FULL=1``; by default a tenth of it,
so that ``make bench`` stays within minutes; ``--catalog-variants`` chooses any size. The old
per-row path (``import_catalog``: ``upsert_item`` per row; stock as a ``stock.changed`` event
applies it, ``record_stock`` then ``stock_changed`` per row) is timed in the same run on a small
sample, on both databases, as the baseline.
"""

from __future__ import annotations

import argparse
import csv
import os
import re
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

from bench.support import HEEDFUL, fresh_database, step
from heedful.adapters.clock import SystemClock
from heedful.adapters.storage.migrate import upgrade
from heedful.bootstrap import build
from heedful.config import Settings
from heedful.core.access.model import SYSTEM
from heedful.core.catalog import StockMove, record_stock
from heedful.core.catalog.importing import import_catalog
from heedful.core.promises import WantedItem, stock_changed
from heedful.core.staff.handlers import NewLocation, create_location
from heedful.core.staff.model import LocationKind

VARIANTS_PER_PRODUCT = 10
_COLOURS = ("black", "white", "red", "navy", "beige", "green", "grey", "brown", "blue", "pink")


# The size: 1,000,000 variants and 10,000,000 stock rows. About 11 million rows per
# database, ten minutes or more on the shared machine: chosen with --catalog-full (or
# HEEDFUL_BENCH_FULL=1), while `make bench` measures a tenth of it.
FULL_VARIANTS = 1_000_000
DEFAULT_VARIANTS = 100_000


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("catalog_import")
    group.add_argument(
        "--catalog-variants",
        type=int,
        default=None,
        help=f"variants (default {DEFAULT_VARIANTS:,}; {FULL_VARIANTS:,} with --catalog-full)",
    )
    group.add_argument(
        "--catalog-full",
        action="store_true",
        default=os.environ.get("HEEDFUL_BENCH_FULL", "") not in ("", "0"),
        help="the issue's size: 1,000,000 variants, 10,000,000 stock rows (HEEDFUL_BENCH_FULL=1)",
    )
    group.add_argument("--catalog-locations", type=int, default=10)
    group.add_argument(
        "--catalog-baseline-rows", type=int, default=2000, help="rows for the per-row baseline"
    )


def _item_rows(variants: int) -> Iterator[tuple[str, ...]]:
    for product in range(max(variants // VARIANTS_PER_PRODUCT, 1)):
        code = f"P{product:07d}"
        yield (code, "product", "", f"Сумка {product}", f"Сумка {product}", f"Bag {product}", "")
        for n in range(VARIANTS_PER_PRODUCT):
            colour = _COLOURS[n]
            yield (f"{code}-{colour}", "variant", code, "", "", f"Bag {product}, {colour}", colour)


def write_files(work: Path, variants: int, locations: list[str]) -> tuple[Path, int, Path, int]:
    items, stock = work / "items.csv", work / "stock.csv"
    item_count = stock_count = 0
    with items.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(("code", "kind", "parent_code", "name_ru", "name_uk", "name_en", "colour"))
        for row in _item_rows(variants):
            writer.writerow(row)
            item_count += 1
    with stock.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(("code", "location", "quantity"))
        for row in _item_rows(variants):
            if row[1] != "variant":
                continue
            for index, location in enumerate(locations):
                writer.writerow((row[0], location, (hash(row[0]) + index) % 7))
                stock_count += 1
    return items, item_count, stock, stock_count


def _locations(database_url: str, count: int) -> list[str]:
    upgrade(database_url)
    container = build(Settings(database_url=database_url))
    try:
        return [
            create_location(
                NewLocation(f"Shop {n}", LocationKind.BOUTIQUE, "Kyiv", "UA", "Europe/Kyiv"),
                container.uow(),
                container.clock,
                SYSTEM,
            ).id
            for n in range(count)
        ]
    finally:
        container.close()


_SUMMARY = re.compile(r"rows in ([0-9.]+) s")


def _timed_cli(database_url: str, kind: str, path: Path, log: Path) -> tuple[float, float]:
    """Seconds end to end (process start included), and the import's own, as it reports them."""
    env = {**os.environ, "HEEDFUL_DATABASE_URL": database_url}
    started = time.perf_counter()
    with log.open("wb") as out:
        done = subprocess.run(
            [str(HEEDFUL), "import", kind, str(path)],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            check=False,
        )
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"heedful import {kind} failed ({done.returncode}); see {log}")
    found = _SUMMARY.search(log.read_text(encoding="utf-8", errors="replace"))
    return elapsed, float(found.group(1)) if found else elapsed


def _baseline(database_url: str, rows: int, locations: list[str]) -> dict[str, float]:
    """The old per-row path on a sample: items through upsert_item, stock as events apply it."""
    container = build(Settings(database_url=database_url))
    try:
        sample = [
            (n, dict(zip(("code", "kind", "parent_code"), row[:3], strict=True)))
            for n, row in enumerate(_item_rows(rows), start=2)
        ][:rows]
        started = time.perf_counter()
        import_catalog(sample, container.uow(), container.clock.now())
        items_s = time.perf_counter() - started
        started = time.perf_counter()
        for n in range(rows):
            code = f"P{n // VARIANTS_PER_PRODUCT:07d}-{_COLOURS[n % VARIANTS_PER_PRODUCT]}"
            where = locations[n % len(locations)]
            move = StockMove(code, where, f"baseline/{n}", container.clock.now(), level=3)
            change = record_stock(container.uow(), move)
            if change is not None:
                wanted = WantedItem(change.item.parent_code or code, where, code)
                uow = container.uow()
                with uow:
                    stock_changed(uow, container.clock.now(), wanted, change.after)
                    uow.commit()
        stock_s = time.perf_counter() - started
    finally:
        container.close()
    return {"items": round(rows / items_s, 1), "stock": round(rows / stock_s, 1)}


def _one_database(url: str, args: Any, work: Path, label: str) -> dict[str, float]:
    locations = _locations(url, args.catalog_locations)
    items, item_rows, stock, stock_rows = write_files(work, args.catalog_variants, locations)
    with step(f"import {item_rows:,} items, {label}"):
        items_wall, items_s = _timed_cli(url, "catalog", items, work / f"items-{label}.log")
    with step(f"import {stock_rows:,} stock rows, {label}"):
        stock_wall, stock_s = _timed_cli(url, "stock", stock, work / f"stock-{label}.log")
    rows = item_rows + stock_rows
    print(f"{label}: {rows / (items_s + stock_s):,.0f} rows/s")
    return {
        "item_rows": item_rows,
        "stock_rows": stock_rows,
        "items_s": round(items_s, 1),
        "stock_s": round(stock_s, 1),
        "items_rows_per_s": round(item_rows / items_s, 1),
        "stock_rows_per_s": round(stock_rows / stock_s, 1),
        # The import's own time, as `heedful import` reports it: what the target means.
        "rows_per_s": round(rows / (items_s + stock_s), 1),
        # End to end, each command's process start and counting pass included.
        "wall_rows_per_s": round(rows / (items_wall + stock_wall), 1),
    }


def run(args: Any) -> dict[str, Any]:
    if args.catalog_variants is None:
        args.catalog_variants = FULL_VARIANTS if args.catalog_full else DEFAULT_VARIANTS
    metrics: dict[str, Any] = {
        "load_average_1m_at_start": round(os.getloadavg()[0], 2),
        "variants": args.catalog_variants,
        "locations": args.catalog_locations,
        "baseline_sample_rows": args.catalog_baseline_rows,
    }
    with TemporaryDirectory(prefix="heedful-catalog-") as tmp:
        work = Path(tmp)
        sqlite_url = f"sqlite:///{work / 'catalog.db'}"
        lite = _one_database(sqlite_url, args, work, "sqlite")
        base_url = f"sqlite:///{work / 'baseline.db'}"
        base = _baseline(base_url, args.catalog_baseline_rows, _locations(base_url, 10))
        metrics |= {f"{key}_sqlite": value for key, value in lite.items()}
        metrics["per_row_items_rows_per_s_sqlite"] = base["items"]
        metrics["per_row_stock_rows_per_s_sqlite"] = base["stock"]
        with fresh_database(args.postgres_url, keep=args.keep, label="catalog_") as url:
            pg = _one_database(url, args, work, "pg")
        with fresh_database(args.postgres_url, keep=args.keep, label="catalog_base_") as url:
            base = _baseline(url, args.catalog_baseline_rows, _locations(url, 10))
        metrics |= {f"{key}_pg": value for key, value in pg.items()}
        metrics["per_row_items_rows_per_s_pg"] = base["items"]
        metrics["per_row_stock_rows_per_s_pg"] = base["stock"]
    metrics["load_average_1m_at_end"] = round(os.getloadavg()[0], 2)
    metrics["measured_at"] = SystemClock().now().isoformat(timespec="seconds")
    return metrics
