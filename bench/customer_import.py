"""The CSV import rate: `heedful import customers.csv` as an operator runs it, timed end to end."""

from __future__ import annotations

import csv
import os
import random
import subprocess
import time
from pathlib import Path

import psycopg

from bench.customer_data import LOCATIONS, market_of, typed_phone
from bench.support import HEEDFUL, fresh_database, libpq_url, step
from heedful.adapters.clock import SystemClock
from heedful.adapters.storage.migrate import upgrade

COLUMNS = (
    "full_name",
    "language",
    "time_zone",
    "segment",
    "location",
    "email",
    "phone",
    "loyalty_card",
)
_SEGMENTS = ("new", "regular", "regular", "vip", "at_risk")
# Named, since the table has grown columns (opening hours, subdivision, code) the file leaves at
# their defaults: a positional insert broke when they were added.
_LOCATION_COLUMNS = "id, name, kind, city, country, time_zone, created_at"


def write_csv(path: Path, rows: int, seed: int) -> None:
    """Customers as a shop exports them: phones in national forms, some cells empty."""
    rng = random.Random(seed)
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(COLUMNS)
        for index in range(rows):
            market = market_of(index)
            writer.writerow(
                (
                    f"{rng.choice(market.first_names)} {rng.choice(market.last_names)}",
                    market.language,
                    market.time_zone,
                    rng.choice(_SEGMENTS),
                    rng.choice(LOCATIONS)[1],
                    f"Import.Customer.{index}@Example.org",
                    typed_phone(index),
                    f"HC-{index:08d}" if rng.random() < 0.5 else "",
                )
            )


def _add_locations(database_url: str) -> None:
    """The locations the file names must exist, as they would in a running installation."""
    created = SystemClock().now()
    if database_url.startswith("sqlite"):
        import sqlite3

        with sqlite3.connect(database_url.removeprefix("sqlite:///")) as lite:
            lite.executemany(
                f"INSERT INTO locations ({_LOCATION_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(*loc, created.replace(tzinfo=None).isoformat(" ")) for loc in LOCATIONS],
            )
        return
    with psycopg.connect(libpq_url(database_url)) as db:
        db.cursor().executemany(
            f"INSERT INTO locations ({_LOCATION_COLUMNS}) VALUES (%s, %s, %s, %s, %s, %s, %s)",
            [(*loc, created) for loc in LOCATIONS],
        )


def time_import(database_url: str, csv_path: Path, log_path: Path) -> float:
    """Seconds for `heedful import` on a migrated database, process start included."""
    upgrade(database_url)
    _add_locations(database_url)
    env = {**os.environ, "HEEDFUL_DATABASE_URL": database_url}
    started = time.perf_counter()
    with log_path.open("wb") as log:
        done = subprocess.run(
            [str(HEEDFUL), "import", str(csv_path)],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            check=False,
        )
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"heedful import failed ({done.returncode}); see {log_path}")
    return elapsed


def _count_customers(database_url: str) -> int:
    if database_url.startswith("sqlite"):
        import sqlite3

        with sqlite3.connect(database_url.removeprefix("sqlite:///")) as lite:
            return int(lite.execute("SELECT count(*) FROM customers").fetchone()[0])
    with psycopg.connect(libpq_url(database_url)) as db:
        row = db.execute("SELECT count(*) FROM customers").fetchone()
        return int(row[0]) if row else 0


def run_imports(server_url: str, rows: int, seed: int, keep: bool, work: Path) -> dict[str, float]:
    """Rows/s of `heedful import` into an empty PostgreSQL database and an empty SQLite file."""
    if not HEEDFUL.exists():
        raise RuntimeError(f"{HEEDFUL} is missing: install heedful into this venv")
    csv_path = work / "customers.csv"
    with step(f"write {rows:,} CSV rows"):
        write_csv(csv_path, rows, seed)
    metrics: dict[str, float] = {"import_rows": rows}
    with fresh_database(server_url, keep=keep, label="import_") as url, step("import, PostgreSQL"):
        seconds = time_import(url, csv_path, work / "import-postgresql.log")
        _check_count(url, rows)
    metrics["import_s"] = round(seconds, 2)
    metrics["import_rows_per_s"] = round(rows / seconds, 1)
    print(f"import into PostgreSQL: {rows / seconds:,.0f} rows/s")
    sqlite_url = f"sqlite:///{work / 'import.db'}"
    with step("import, SQLite"):
        seconds = time_import(sqlite_url, csv_path, work / "import-sqlite.log")
        _check_count(sqlite_url, rows)
    metrics["import_s_sqlite"] = round(seconds, 2)
    metrics["import_rows_per_s_sqlite"] = round(rows / seconds, 1)
    print(f"import into SQLite: {rows / seconds:,.0f} rows/s")
    return metrics


def _check_count(database_url: str, rows: int) -> None:
    found = _count_customers(database_url)
    if found != rows:
        raise RuntimeError(f"the import made {found:,} customers out of {rows:,} rows")
