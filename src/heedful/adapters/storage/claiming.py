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


def lock_in_order(
    conn: Connection, table: sa.Table, key: Sequence[str], rows: Iterable[tuple[str, ...]]
) -> None:
    """Locks the table's rows with these keys, in one order every worker shares (PostgreSQL).

    Two transactions that lock the same rows in the same order wait for each other at most
    one way round: never a deadlock. The order is Python's for str (bytewise), in which every
    worker sorts the keys before one statement locks them in that order (``by_keys``). A key
    with no row locks nothing. SQLite has one writer at a time and no row locks.
    """
    if conn.dialect.name != "postgresql":
        return
    ordered = sorted(set(rows))
    if not ordered:
        return
    conn.execute(by_keys(table, key, (table.c[key[0]],), lock=True), key_arrays(key, ordered))


def by_keys(
    table: sa.Table, key: Sequence[str], selected: Sequence[sa.Column[Any]], *, lock: bool = False
) -> sa.TextualSelect:
    """PostgreSQL: the rows of ``table`` with the keys given as one array per key column
    (``key_arrays``), in the arrays' order, each found by its own index probe; ``lock``: each
    locked as it is found, so in that order.

    A list of row values, ``(a, b) IN ((…), (…))``, cost 70 ms to plan and 56 to run for 200
    stock levels (issue 18's benchmark), and its text changed with its length, so psycopg never
    prepared it; this is one text whatever the count, 1.4 ms for the same 200. ``OFFSET 0``
    keeps the lateral subquery a probe per key: the planner may not turn it into a hash join
    over the whole table.
    """
    names = [f'"{name}"' for name in key]
    arrays = ", ".join(f"CAST(:{name} AS VARCHAR[])" for name in key)
    matches = " AND ".join(f"t.{name} = k.{name}" for name in names)
    columns = ", ".join(f'found."{column.name}"' for column in selected)
    locking = " FOR UPDATE OF t" if lock else ""
    # Only names from the table's own metadata go into the text; the keys are bound.
    statement = (
        f"SELECT {columns} FROM unnest({arrays}) WITH ORDINALITY AS k({', '.join(names)}, n)"  # noqa: S608
        f' CROSS JOIN LATERAL (SELECT t.* FROM "{table.name}" AS t WHERE {matches}'
        f" OFFSET 0{locking}) AS found ORDER BY k.n"
    )
    return sa.text(statement).columns(*selected)


def key_arrays(key: Sequence[str], rows: Sequence[tuple[str, ...]]) -> dict[str, list[str]]:
    """The keys as ``by_keys`` takes them: one list per key column."""
    return {name: [row[index] for row in rows] for index, name in enumerate(key)}
