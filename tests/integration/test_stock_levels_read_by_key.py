"""A batch's stock levels are read by their key, never by walking every level (ADR 73).

SQLite reads ``(product, variant, size, location) IN (...)`` by scanning the whole table and
testing each row against the list: at the issue's size (100,000 levels) that was half the
worker's time on the embedded default. The read named the products too, so the key's index
served it; now each level is one look-up by its key on the driver's cursor (ADR 77). The levels
it returns are the same.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import pytest
import sqlalchemy as sa

from heedful.adapters.storage.outbox_rows import SqlStockLevels
from heedful.bootstrap import Container
from heedful.core.promises.model import WantedItem


def _item(n: int, size: str = "m") -> WantedItem:
    return WantedItem(f"bag-{n:04}", "loc_podil", "black", size)


@contextmanager
def _selects_of_levels(conn: sa.Connection) -> Iterator[list[str]]:
    """Each read of stock levels SQLite runs on this connection, the driver's own cursors too
    (as SQLite saw it: its values written in)."""
    seen: list[str] = []
    raw = conn.connection.driver_connection

    def note(statement: str) -> None:
        if statement.lstrip().startswith("SELECT") and "FROM stock_levels" in statement:
            seen.append(statement)

    raw.set_trace_callback(note)  # type: ignore[union-attr]
    try:
        yield seen
    finally:
        raw.set_trace_callback(None)  # type: ignore[union-attr]


def test_a_batch_reads_the_levels_it_names_and_only_those(container: Container) -> None:
    now = container.clock.now()
    stored = [(_item(n), n, now) for n in range(600)]  # past one statement's 500 keys
    stored.append((_item(7, size="l"), 70, now))  # the same bag in another size
    with container.uow() as uow:
        uow.stock.put_many(stored, new=True)
        uow.commit()
    asked = [_item(n) for n in (0, 7, 499, 500, 599)] + [_item(7, size="l"), _item(9999)]
    with container.uow() as uow:
        found = uow.stock.get_many(asked)
    assert found == {_item(0): 0, _item(7): 7, _item(499): 499, _item(500): 500,
                     _item(599): 599, _item(7, size="l"): 70}  # fmt: skip


def test_on_sqlite_the_levels_are_sought_in_the_keys_index_not_scanned(
    container: Container,
) -> None:
    if container.engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL's planner serves the list of row values from the key itself")
    now = container.clock.now()
    with container.uow() as uow:
        uow.stock.put_many([(_item(n), n, now + timedelta(seconds=n)) for n in range(50)], new=True)
        uow.commit()
    asked = [_item(n) for n in range(0, 50, 5)]
    with container.engine.connect() as conn:
        with _selects_of_levels(conn) as seen:
            found = SqlStockLevels(conn).get_many(asked)
        assert found == {item: int(item.product[-2:]) for item in asked}
        # One look-up per level, each by the key (ADR 77); the list of row values before it
        # named the products so as not to scan (ADR 73).
        assert len(seen) == len(asked)
        for statement in seen:
            plan = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement).all()
            steps = [row[-1] for row in plan]
            assert not any(step.startswith("SCAN stock_levels") for step in steps), steps
            assert any(step.startswith("SEARCH stock_levels") for step in steps), steps
