"""Claiming rows of a shared queue (events, timers, the outbox, the waiting list)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection


def claimed(conn: Connection, query: sa.Select[Any]) -> sa.Select[Any]:
    """The query, locking what it returns for this transaction and skipping what others hold.

    Several workers share the work on PostgreSQL this way. SQLite has one writer at a time
    (BEGIN IMMEDIATE), which is the same guarantee, and no row locks to ask for.
    """
    if conn.dialect.name == "postgresql":
        return query.with_for_update(skip_locked=True)
    return query


LOCK_CHUNK = 1000  # keys per locking statement; a batch of events names at most its own size


def lock_in_order(
    conn: Connection, table: sa.Table, key: Sequence[str], rows: Iterable[tuple[str, ...]]
) -> None:
    """Locks the table's rows with these keys, in one order every worker shares (PostgreSQL).

    Two transactions that lock the same rows in the same order wait for each other at most
    one way round: never a deadlock. The order is bytewise ("C"), Python's own for str, so the
    sorted chunks also follow one another in the database's order. A key with no row locks
    nothing. SQLite has one writer at a time and no row locks.
    """
    if conn.dialect.name != "postgresql":
        return
    columns = [table.c[name] for name in key]
    ordered = sorted(set(rows))
    for start in range(0, len(ordered), LOCK_CHUNK):
        conn.execute(
            sa.select(columns[0])
            .where(sa.tuple_(*columns).in_(ordered[start : start + LOCK_CHUNK]))
            .order_by(*(column.collate("C") for column in columns))
            .with_for_update()
        )
