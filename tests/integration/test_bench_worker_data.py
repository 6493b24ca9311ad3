"""The worker_throughput benchmark's standing data and events are what the engine acts on.

A loaded promise waits in line like one a wish made; a waking stock report tells the first in
its line and nobody else; a quiet one tells nobody (so the mixes measure what they say).
"""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from bench.worker_data import Feed, Shape, load
from bench.worker_throughput import _sqlite_database
from heedful.bootstrap import build
from heedful.config import Settings
from heedful.core.engine.reactions import process_events
from heedful.core.events.handlers import accept_events
from heedful.core.shared.clock import FrozenClock

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
SHAPE = Shape(promises=300, variants=30, preferences=200, customers=40, brands=5)


def test_a_waking_report_tells_the_first_in_its_line_and_a_quiet_one_nobody(
    database_url: str,
) -> None:
    load(database_url, SHAPE, seed=3, now=NOW)
    container = build(Settings(database_url=database_url, log_format="console"),
                      clock=FrozenClock(NOW))  # fmt: skip
    feed = Feed(SHAPE, seed=3, now=NOW)
    events = feed.events("half", 20)
    accept_events(container.uow(), container.clock, events)

    report = process_events(container.uow, container.clock)

    assert report.events == 20
    assert report.told == 10  # the ten waking reports, one customer each
    with container.engine.connect() as conn:
        told = conn.execute(
            sa.text(
                "SELECT item_product, min(sequence) = min_all FROM promises JOIN"
                " (SELECT item_product AS p, min(sequence) AS min_all FROM promises"
                "  GROUP BY item_product) firsts ON firsts.p = item_product"
                " WHERE notice_message_id IS NOT NULL GROUP BY item_product, min_all"
            )
        ).all()
        messages = conn.execute(sa.text("SELECT count(*) FROM messages")).scalar_one()
    woken = {e["data"]["product"] for e in events if e["data"]["product"].startswith("wt-0")}
    assert {row[0] for row in told} == woken  # only the lines a waking report named
    assert all(row[1] for row in told)  # the first in each line was told first
    assert messages == 10
    container.engine.dispose()


def test_a_kept_sqlite_database_is_loaded_once_then_copied_for_each_run(tmp_path: Path) -> None:
    kept = tmp_path / "kept.db"
    args = argparse.Namespace(throughput_sqlite_file=str(kept), seed=1)
    first = _sqlite_database(args, SHAPE, tmp_path / "first.db")
    loaded = kept.read_bytes()
    second = _sqlite_database(args, SHAPE, tmp_path / "second.db")
    assert first == second
    assert first["promises"] == SHAPE.promises
    assert kept.read_bytes() == loaded  # copied, never changed
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'second.db'}")
    try:
        with engine.connect() as conn:
            count = conn.exec_driver_sql("SELECT count(*) FROM promises").scalar_one()
    finally:
        engine.dispose()
    assert count == SHAPE.promises
    with pytest.raises(SystemExit, match="holds"):
        _sqlite_database(args, Shape(promises=10, variants=5), tmp_path / "third.db")
