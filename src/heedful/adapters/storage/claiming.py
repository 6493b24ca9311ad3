"""Claiming rows of a shared queue (events, timers, the outbox, the waiting list)."""

from __future__ import annotations

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
