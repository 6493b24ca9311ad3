"""SQLite's write lock is taken in turn by the threads of one process (ADR 60).

SQLite's own busy handler has no queue: a writer that commits may take the lock again at once,
ahead of one that has waited for seconds. Here the waiting writers get it in the order they came,
and a connection that dies in its transaction does not keep the turn. Threads are ordered by the
turns' own queue, never by sleeping.
"""

from __future__ import annotations

import threading
from pathlib import Path

import sqlalchemy as sa

from heedful.adapters.storage.engine import make_engine, write_turns

WAIT_S = 30.0  # only a bound on a broken run


def _engine(tmp_path: Path) -> sa.Engine:
    engine = make_engine(f"sqlite:///{tmp_path / 'turns.db'}")
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE writes (who TEXT)")
    return engine


def test_writers_waiting_for_the_lock_get_it_in_the_order_they_came(tmp_path: Path) -> None:
    engine = _engine(tmp_path)
    turns = write_turns(engine)
    assert turns is not None
    order: list[str] = []

    def write(who: str) -> None:
        with engine.begin() as conn:
            conn.exec_driver_sql("INSERT INTO writes VALUES (?)", (who,))
            order.append(who)

    holder = engine.connect()
    holder.begin()  # the worker, mid-batch
    writers = []
    for number, who in enumerate(("first POST", "second POST", "worker again"), start=1):
        writer = threading.Thread(target=write, args=(who,))
        writer.start()
        assert turns.until_waiting(number, WAIT_S)  # queued before the next one comes
        writers.append(writer)
    holder.commit()
    holder.close()
    for writer in writers:
        writer.join(WAIT_S)

    assert order == ["first POST", "second POST", "worker again"]
    engine.dispose()


def test_a_connection_lost_in_its_transaction_does_not_keep_the_turn(tmp_path: Path) -> None:
    engine = _engine(tmp_path)
    lost = engine.connect()
    lost.begin()
    lost.exec_driver_sql("INSERT INTO writes VALUES ('lost')")

    lost.invalidate()  # closed under the transaction: SQLite rolls it back

    turns = write_turns(engine)
    assert turns is not None
    assert turns.free  # else every writer after it would wait out the turn's patience
    with engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO writes VALUES ('next')")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT who FROM writes").scalars().all() == ["next"]
    engine.dispose()
