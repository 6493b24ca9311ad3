"""Rate-limit windows in the database, so every web worker and process counts the same requests.

One row per key (a rule and a hash of the address, visitor or survey link it counts): when its
window started and how many requests it let through. Each request is one short transaction of
its own, apart from the use case it guards: a refused request writes nothing else, and a
request that fails later has still spent its place (an attacker's malformed requests count).
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Connection, Engine

from heedful.adapters.storage.tables import UtcDateTime, metadata
from heedful.core.shared.throttle import Rule, Verdict, Window, count

rate_limit_windows = sa.Table(
    "rate_limit_windows",
    metadata,
    sa.Column("key", sa.String(100), primary_key=True),
    sa.Column("started_at", UtcDateTime, nullable=False),
    sa.Column("hits", sa.Integer, nullable=False),
    # When the window ends: the housekeeping job drops ended ones by this index.
    sa.Column("ends_at", UtcDateTime, nullable=False, index=True),
)


class SqlRateLimits:
    """Implements ``heedful.core.shared.throttle.RateLimits``."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def spend(self, key: str, rule: Rule, now: datetime) -> Verdict:
        with self._engine.begin() as conn:  # SQLite: BEGIN IMMEDIATE, writers queue
            current = self._locked(conn, key, now, rule)
            after, verdict = count(current, rule, now)
            if after != current:
                conn.execute(
                    rate_limit_windows.update()
                    .where(rate_limit_windows.c.key == key)
                    .values(
                        started_at=after.started_at,
                        hits=after.hits,
                        ends_at=after.started_at + rule.window,
                    )
                )
        return verdict

    def _locked(self, conn: Connection, key: str, now: datetime, rule: Rule) -> Window:
        """The key's window, its row locked; a new key gets an empty (already ended) window."""
        table = rate_limit_windows
        ended = now - rule.window - timedelta(seconds=1)
        values = {"key": key, "started_at": ended, "hits": 0, "ends_at": ended + rule.window}
        if conn.dialect.name == "postgresql":
            # Two workers seeing the same new key at once: one insert wins, both then lock it.
            conn.execute(postgresql.insert(table).values(values).on_conflict_do_nothing())
            query = sa.select(table).where(table.c.key == key).with_for_update()
        else:
            conn.execute(sa.insert(table).values(values).prefix_with("OR IGNORE"))
            query = sa.select(table).where(table.c.key == key)
        row = conn.execute(query).mappings().one()
        return Window(started_at=row["started_at"], hits=row["hits"])

    def forget_ended(self, now: datetime) -> int:
        with self._engine.begin() as conn:
            result = conn.execute(
                rate_limit_windows.delete().where(rate_limit_windows.c.ends_at < now)
            )
        return int(result.rowcount or 0)
