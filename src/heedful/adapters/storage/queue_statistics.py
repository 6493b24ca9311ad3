"""The inbox's and the outbox's statistics, read again when a worker falls behind (ADR 86).

PostgreSQL plans a statement a worker runs many times once, from the statistics of the day,
and keeps that plan (psycopg prepares it). The inbox and the outbox are queues: their
statistics are read (by autovacuum, or by an ANALYZE after an import) while their waiting part
is near empty, and then the planner believes it is empty. With a backlog that belief is costly
exactly when it matters (issue 18, measured under load on PostgreSQL):

- the claim's check that no earlier event of the same key waits was planned on
  ``ix_events_unprocessed`` with the key as a filter: it read every waiting event before the
  one looked at, 178,000 buffers to claim 200 events with 1,000 waiting, so the backlog grew
  faster than it was worked off;
- the relay's ``UPDATE messages … WHERE id = $1``, planned while the outbox was empty, read the
  whole outbox for each e-mail (1 ms and 1,000 buffers a message at 30,000 rows).

So a worker whose claim comes back full (it is behind) has the table analysed again, at most
once a minute per table and process; ANALYZE reads a sample (30,000 rows at most), and every
connection's kept plans are made again from what it found. SQLite keeps no plans between
statements: nothing to do there.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import sqlalchemy as sa
import structlog
from sqlalchemy.exc import SQLAlchemyError

log = structlog.get_logger("heedful.storage")

EVERY_S = 60.0
QUEUES = frozenset({"events", "messages"})


class QueueStatistics:
    def __init__(self, engine: sa.Engine, stopwatch: Callable[[], float] = time.monotonic) -> None:
        self._engine = engine
        self._stopwatch = stopwatch
        self._last: dict[str, float] = {}

    def behind(self, table: str) -> bool:
        """Notes that a worker is behind on ``table``; True when its statistics were read again."""
        if table not in QUEUES or self._engine.dialect.name != "postgresql":
            return False
        now = self._stopwatch()
        last = self._last.get(table)
        if last is not None and now - last < EVERY_S:
            return False
        self._last[table] = now
        try:
            with self._engine.begin() as conn:
                conn.exec_driver_sql(f"ANALYZE {table}")  # a name from QUEUES, never a caller's
        except SQLAlchemyError:
            # The batch it follows is committed; plans as they were are slower, not wrong.
            log.warning("queue statistics not read again", table=table, exc_info=True)
            return False
        return True
