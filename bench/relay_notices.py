"""relay_throughput's notices: back-in-stock e-mails relayed beside a standing population.

``relay_throughput``'s own line of customers is new and small (one bag, one location, nobody
else in the database), so what a read costs as the tables grow does not show. Here the
database first holds ``worker_throughput``'s standing data (``bench/worker_data.py``: open
"tell me when it is available" promises over a shop's variants, brand and size preferences,
customers with e-mail and consent), a tenth of the issue's size by default and the issue's
(100,000 customers, 1,000,000 promises, 1,000,000 preferences) with ``--relay-notice-full``.
Stock events for variants someone waits for are stored and handled by the engine, as
``heedful worker`` does, so each queues a back-in-stock notice with an open promise behind it;
then the worker's own relay job (``relay_messages``: its batch size, its write budget) is run
pass after pass and timed until the outbox is empty. (``relay_throughput``'s own figure runs
``Relay.run`` with no budget; the worker's budget is what cut its batches short, ADR 76.)

Per back-end: e-mails accepted per wall second, the relay's CPU per e-mail (this process's,
the sink runs in its own), and the SQL statements the relay ran per e-mail (load-independent).
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
import sqlalchemy as sa

from bench import worker_data
from bench.crash import daytime_zone
from bench.support import libpq_url, process_cpu_seconds, step
from bench.worker_data import Feed, Shape
from bench.worker_throughput import _drain, _store
from heedful.adapters.clock import SystemClock
from heedful.adapters.storage.migrate import upgrade
from heedful.bootstrap import Container, build
from heedful.config import Settings
from heedful.entrypoints.worker.jobs import relay_messages

# The size, and the tenth that runs in a minute or two.
FULL = Shape(promises=1_000_000, variants=100_000, preferences=1_000_000, customers=100_000)
TENTH = Shape(promises=100_000, variants=10_000, preferences=100_000, customers=10_000)


def add_arguments(group: argparse._ArgumentGroup) -> None:
    group.add_argument(
        "--relay-notices", type=int, default=3_000, help="back-in-stock notices relayed (0: none)"
    )
    group.add_argument(
        "--relay-notice-full",
        action="store_true",
        help="the issue's standing population (1,000,000 promises) instead of a tenth",
    )


def _waking(feed: Feed, count: int) -> list[dict[str, Any]]:
    """``count`` stock events each of which tells the first customer waiting for its variant."""
    events = feed.events("half", 2 * count)
    return [e for e in events if not e["data"]["product"].startswith("wt-quiet")]


@contextmanager
def counting(engine: sa.Engine) -> Iterator[list[int]]:
    """The statements run on ``engine`` while inside, in a one-item list."""
    ran = [0]

    def note(*_: Any) -> None:
        ran[0] += 1

    sa.event.listen(engine, "before_cursor_execute", note)
    try:
        yield ran
    finally:
        sa.event.remove(engine, "before_cursor_execute", note)


def queue_notices(url: str, shape: Shape, count: int, seed: int) -> None:
    now = SystemClock().now()
    with step(f"load {shape.promises:,} promises, {shape.preferences:,} preferences"):
        worker_data.load(url, shape, seed, now)
    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn:
            # Daytime where they live: quiet hours hold no notice back.
            conn.execute(
                sa.text("UPDATE customers SET time_zone = :zone"), {"zone": daytime_zone(now)}
            )
    finally:
        engine.dispose()
    container = build(Settings(database_url=url, environment="development"))
    try:
        with step(f"the engine queues {count:,} back-in-stock notices"):
            _store(container, _waking(Feed(shape, seed, now), count))
            _drain(container)
    finally:
        container.close()


def measure_notices(
    url: str, smtp_port: int, count: int, shape: Shape, seed: int
) -> dict[str, float]:
    """(e-mails/s, CPU ms per e-mail, statements per e-mail) for the relay to send them all."""
    upgrade(url)
    queue_notices(url, shape, count, seed)
    settings = Settings(
        database_url=url, smtp_host="127.0.0.1", smtp_port=smtp_port, log_format="console"
    )
    container = build(settings)
    backends = _Backends(url)
    try:
        with step(f"relay {count:,} notices"), counting(container.engine) as ran:
            sent, wall, cpu = _time_worker(container)
        database_cpu = backends.cpu_since()
    finally:
        container.close()
    if sent != count:
        raise RuntimeError(f"the relay sent {sent:,} of {count:,} notices")
    found = {
        "emails_per_s": round(sent / wall, 1),
        "cpu_ms_per_email": round(cpu / sent * 1000, 3),
        "statements_per_email": round(ran[0] / sent, 3),
    }
    if database_cpu is not None:
        found["database_cpu_ms_per_email"] = round(database_cpu / sent * 1000, 3)
    return found


class _Backends:
    """The CPU of PostgreSQL's backends serving this database (the relay's connections), read
    from /proc as the server runs on this machine: what the relay's statements cost the server,
    whatever else shares the cores. None on SQLite."""

    def __init__(self, url: str) -> None:
        self.url = url if url.startswith("postgresql") else ""
        self.start = {pid: process_cpu_seconds(pid) for pid in self._pids()}

    def _pids(self) -> list[int]:
        if not self.url:
            return []
        with psycopg.connect(libpq_url(self.url), autocommit=True) as db:
            rows = db.execute(
                "SELECT pid FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            ).fetchall()
        return [int(row[0]) for row in rows]

    def cpu_since(self) -> float | None:
        if not self.url:
            return None
        return sum(process_cpu_seconds(pid) - self.start.get(pid, 0.0) for pid in self._pids())


def _time_worker(container: Container) -> tuple[int, float, float]:
    """As ``heedful worker`` relays: its own job, pass after pass, with the worker's budget."""
    sent = 0
    cpu, started = time.process_time(), time.perf_counter()
    while relay_messages(container) > 0:
        pass
    with container.engine.connect() as conn:
        sent = conn.exec_driver_sql("SELECT count(*) FROM messages WHERE status = 'sent'").scalar()
    return int(sent or 0), time.perf_counter() - started, time.process_time() - cpu
