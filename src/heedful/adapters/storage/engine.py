"""Engines for the two supported databases, with the settings each needs to be correct."""

from __future__ import annotations

from typing import Any
from weakref import WeakKeyDictionary

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Engine

from heedful.adapters.storage import text_folding
from heedful.adapters.storage.checkpoints import BACKSTOP_PAGES, Checkpointer
from heedful.adapters.storage.json_reads import read_json_bytes
from heedful.adapters.storage.write_turns import WriteTurns

BUSY_TIMEOUT_S = 30
# Reads of the database file through a memory map instead of a read() per page (ADR 73): with
# SQLite's 2 MB page cache, a batch of the worker re-read ~50 KB of index pages per event from
# the OS at the size, a call and a copy each. SQLite caps it at its build's maximum
# (2 GiB less 64 KiB for the usual builds); a larger file is read the old way past it. Writes
# still go through the WAL, so durability does not change.
MMAP_BYTES = 2 * 1024**3
# The execution option a read-only unit of work sets on its connection before it begins (ADR 70).
READ_ONLY = "heedful_read_only"
_TURNS: WeakKeyDictionary[Engine, WriteTurns] = WeakKeyDictionary()
_CHECKPOINTS: WeakKeyDictionary[Engine, Checkpointer] = WeakKeyDictionary()


def make_engine(url: str, *, echo: bool = False) -> Engine:
    if url.startswith("sqlite"):
        return _sqlite_engine(url, echo=echo)
    # No pre-ping: it is a round trip on every checkout, and a request checks out a connection
    # once or twice. Recycling connections every few minutes covers servers that drop idle ones.
    # psycopg reads JSON and JSONB with ``read_json_bytes``: json.loads' answers, faster.
    engine = sa.create_engine(
        url,
        echo=echo,
        pool_recycle=300,
        pool_size=10,
        max_overflow=20,
        json_deserializer=read_json_bytes,
    )
    _name_read_only_writes(engine)
    return engine


def _sqlite_engine(url: str, *, echo: bool) -> Engine:
    engine = sa.create_engine(
        url, echo=echo, connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_S}
    )
    turns = _TURNS[engine] = WriteTurns(patience_s=BUSY_TIMEOUT_S)
    checkpoints = _CHECKPOINTS[engine] = Checkpointer()

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
        cursor.execute(f"PRAGMA mmap_size={MMAP_BYTES}")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_S * 1000}")
        # The log is copied into the file by the checkpoints' thread, not in a writer's commit;
        # the writer's own checkpoint is the backstop (checkpoints.py, ADR 80).
        cursor.execute(f"PRAGMA wal_autocheckpoint={BACKSTOP_PAGES}")
        files = {row[1]: row[2] for row in cursor.execute("PRAGMA database_list")}
        cursor.close()
        checkpoints.knows_file(files.get("main", ""))
        text_folding.register(dbapi_connection)

    @event.listens_for(engine, "begin")
    def _on_begin(conn: sa.Connection) -> None:
        # IMMEDIATE takes the write lock up front. A deferred transaction that reads and then
        # writes fails with "database is locked" when another writer got in between, and no
        # busy timeout can save it; taking the lock first makes writers queue instead.
        # This process's threads take it in turn, first come first served (write_turns.py).
        # A read-only unit of work writes nothing: a deferred BEGIN takes no lock, and in WAL
        # mode it reads its snapshot beside the writer, without waiting for a turn (ADR 70).
        if _read_only(conn):
            conn.exec_driver_sql("BEGIN")
            return
        dbapi_connection = _raw(conn.connection)
        turns.take(dbapi_connection)
        try:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        except BaseException:
            turns.give_back(dbapi_connection)
            raise

    _give_back_after(engine, turns, checkpoints)
    event.listen(engine, "engine_disposed", lambda _engine: checkpoints.stop())
    _name_read_only_writes(engine)
    return engine


class WriteInReadOnlyWork(RuntimeError):
    """A statement that writes, run in a unit of work opened read-only: a read path that writes
    must open a writing unit of work (it would otherwise write without its turn, ADR 70)."""


def _read_only(conn: sa.Connection) -> bool:
    return bool(conn.get_execution_options().get(READ_ONLY))


def begin_read_only(conn: sa.Connection) -> None:
    """Before the transaction begins: mark it read-only, and make the database refuse its writes.

    SQLite: ``query_only`` (a deferred transaction would otherwise turn into a writer, without
    its turn). PostgreSQL: psycopg's ``read_only`` sends ``BEGIN READ ONLY``, no extra round
    trip; its readers never waited for writers (MVCC), so this is only for the same refusal.
    """
    conn.execution_options(**{READ_ONLY: True})
    _set_read_only(conn, on=True)


def end_read_only(conn: sa.Connection) -> None:
    """After the transaction ended, before the connection goes back to the pool for any use."""
    _set_read_only(conn, on=False)


def _set_read_only(conn: sa.Connection, *, on: bool) -> None:
    dbapi_connection: Any = conn.connection.dbapi_connection
    if conn.dialect.name == "sqlite":
        dbapi_connection.execute(f"PRAGMA query_only={'ON' if on else 'OFF'}")
    elif conn.dialect.name == "postgresql":
        dbapi_connection.read_only = on


def _name_read_only_writes(engine: Engine) -> None:
    """The database's own refusal ("attempt to write a readonly database", "cannot execute ... in
    a read-only transaction") named as what it is, so that a test or a log says which mistake."""

    @event.listens_for(engine, "handle_error")
    def _on_error(context: Any) -> None:
        conn = context.connection
        if conn is None or not _read_only(conn):
            return
        text = str(context.original_exception).lower()
        if "readonly database" in text or "read-only transaction" in text:
            raise WriteInReadOnlyWork(
                f"a read-only unit of work tried to write: {context.statement}"
            ) from context.original_exception


def write_turns(engine: Engine) -> WriteTurns | None:
    """The turns of a SQLite engine's writers (None on PostgreSQL, whose locks are per row)."""
    return _TURNS.get(engine)


def checkpoints(engine: Engine) -> Checkpointer | None:
    """The thread that copies a SQLite engine's log into its file (None on PostgreSQL)."""
    return _CHECKPOINTS.get(engine)


def _give_back_after(engine: Engine, turns: WriteTurns, checkpoints: Checkpointer) -> None:
    """The turn passes on once COMMIT or ROLLBACK has run, not before (SQLAlchemy's own
    ``commit`` event fires before it: the next writer would find the lock still held and sleep
    in SQLite's busy handler). The pool's rollback of a returned connection comes here too, and
    the close of one invalidated in a transaction."""
    dialect = engine.dialect
    commit, rollback, close = dialect.do_commit, dialect.do_rollback, dialect.do_close

    def do_commit(dbapi_connection: Any) -> None:
        raw = _raw(dbapi_connection)
        wrote = turns.held_by(raw)  # a read-only transaction wrote nothing to copy
        try:
            commit(dbapi_connection)
        finally:
            turns.give_back(raw)
        if wrote:
            checkpoints.nudge()

    def do_rollback(dbapi_connection: Any) -> None:
        try:
            rollback(dbapi_connection)
        finally:
            turns.give_back(_raw(dbapi_connection))

    def do_close(dbapi_connection: Any) -> None:
        # A connection closed in a transaction (invalidated) ends it: its turn must not outlive it.
        try:
            close(dbapi_connection)
        finally:
            turns.give_back(_raw(dbapi_connection))

    # Per engine: this engine's dialect instance, not the class every engine shares.
    setattr(dialect, "do_commit", do_commit)  # noqa: B010
    setattr(dialect, "do_rollback", do_rollback)  # noqa: B010
    setattr(dialect, "do_close", do_close)  # noqa: B010


def _raw(connection: Any) -> Any:
    """The sqlite3 connection itself, whether given it or the pool's proxy of it."""
    return getattr(connection, "dbapi_connection", None) or connection


# A unit of work that defers durability (the relay's record of each e-mail sent, ADR 34): its
# commit returns without waiting for the disk; the next ordinary commit on the database writes
# it there with its own (SQLite's WAL and PostgreSQL's log are written in order). A process
# killed at any moment loses none of it; only a machine failing in between can, and then a
# message is sent again under its own Message-ID, never lost.


def relax_durability(conn: sa.Connection) -> None:
    """Before the transaction begins (SQLite refuses to change it inside one)."""
    if conn.dialect.name == "sqlite":
        conn.connection.dbapi_connection.execute("PRAGMA synchronous=NORMAL")  # type: ignore[union-attr]


def relax_transaction(conn: sa.Connection) -> None:
    """Once the transaction has begun (PostgreSQL's setting holds for this transaction only)."""
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("SET LOCAL synchronous_commit TO OFF")


def restore_durability(conn: sa.Connection) -> None:
    """After the transaction ended, before the connection goes back to the pool."""
    if conn.dialect.name == "sqlite":
        conn.connection.dbapi_connection.execute("PRAGMA synchronous=FULL")  # type: ignore[union-attr]
