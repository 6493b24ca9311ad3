"""A batch's stock levels are read by their key, never by walking every level (ADR 73).

SQLite reads ``(product, variant, size, location) IN (...)`` by scanning the whole table and
testing each row against the list: at the issue's size (100,000 levels) that was half the
worker's time on the embedded default. The read names the products too, so the key's index
serves it; the levels it returns are the same.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from heedful.bootstrap import Container
from heedful.core.promises.model import WantedItem


def _item(n: int, size: str = "m") -> WantedItem:
    return WantedItem(f"bag-{n:04}", "loc_podil", "black", size)


@contextmanager
def _selects_of_levels(engine: sa.Engine) -> Iterator[list[tuple[str, Any]]]:
    seen: list[tuple[str, Any]] = []

    def note(conn: Any, cursor: Any, statement: str, parameters: Any, *rest: Any) -> None:
        del conn, cursor, rest
        if statement.lstrip().startswith("SELECT") and "FROM stock_levels" in statement:
            seen.append((statement, parameters))

    sa.event.listen(engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        sa.event.remove(engine, "before_cursor_execute", note)


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
    with container.uow() as uow, _selects_of_levels(container.engine) as seen:
        uow.stock.get_many([_item(n) for n in range(0, 50, 5)])
    assert seen
    with container.engine.connect() as conn:
        for statement, parameters in seen:
            plan = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters).all()
            steps = [row[-1] for row in plan]
            assert not any(step.startswith("SCAN stock_levels") for step in steps), steps
            assert any(step.startswith("SEARCH stock_levels") for step in steps), steps
