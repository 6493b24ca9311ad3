"""Engines for the two supported databases, with the settings each needs to be correct."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Engine

from heedful.adapters.storage import text_folding


def make_engine(url: str, *, echo: bool = False) -> Engine:
    if url.startswith("sqlite"):
        return _sqlite_engine(url, echo=echo)
    # No pre-ping: it is a round trip on every checkout, and a request checks out a connection
    # once or twice. Recycling connections every few minutes covers servers that drop idle ones.
    return sa.create_engine(url, echo=echo, pool_recycle=300, pool_size=10, max_overflow=20)


def _sqlite_engine(url: str, *, echo: bool) -> Engine:
    engine = sa.create_engine(
        url, echo=echo, connect_args={"check_same_thread": False, "timeout": 30}
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the sqlite3 module, decide where transactions begin: the module's
        # own implicit BEGIN breaks SAVEPOINT, which nested units of work rely on.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        # FULL: a write acknowledged to a client survives a power cut, not only a crash.
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()
        text_folding.register(dbapi_connection)

    @event.listens_for(engine, "begin")
    def _on_begin(conn: sa.Connection) -> None:
        # IMMEDIATE takes the write lock up front. A deferred transaction that reads and then
        # writes fails with "database is locked" when another writer got in between, and no
        # busy timeout can save it; taking the lock first makes writers queue instead.
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine
