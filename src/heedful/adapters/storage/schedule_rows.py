"""Scheduled runs: a job is claimed by a conditional UPDATE, so one worker of many runs it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from heedful.adapters.storage.feedback_tables import scheduled_runs
from heedful.core.feedback.ports import ScheduledRun

_t = scheduled_runs.c


class SqlScheduledRuns:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def claim(self, name: str, now: datetime, until: datetime) -> bool:
        if self._conn.scalar(sa.select(_t.name).where(_t.name == name)) is None:
            try:
                with self._conn.begin_nested():
                    self._conn.execute(
                        scheduled_runs.insert().values(name=name, due_at=now, last_result={})
                    )
            except sa.exc.IntegrityError:
                pass  # another worker created it first; the UPDATE below decides
        # On PostgreSQL a second worker's UPDATE waits for the first one's commit, then reads
        # the row again and finds it claimed: exactly one rowcount of 1.
        claimed = self._conn.execute(
            scheduled_runs.update()
            .where(
                _t.name == name,
                _t.due_at <= now,
                sa.or_(_t.claimed_until.is_(None), _t.claimed_until <= now),
            )
            .values(claimed_until=until, last_started_at=now)
        )
        return claimed.rowcount == 1

    def finish(
        self, name: str, now: datetime, next_due_at: datetime, result: dict[str, Any]
    ) -> None:
        self._conn.execute(
            scheduled_runs.update()
            .where(_t.name == name)
            .values(
                due_at=next_due_at, claimed_until=None, last_finished_at=now, last_result=result
            )
        )

    def get(self, name: str) -> ScheduledRun | None:
        row = self._conn.execute(sa.select(scheduled_runs).where(_t.name == name)).first()
        if row is None:
            return None
        return ScheduledRun(
            name=row.name,
            due_at=row.due_at,
            claimed_until=row.claimed_until,
            last_started_at=row.last_started_at,
            last_finished_at=row.last_finished_at,
            last_result=dict(row.last_result or {}),
        )
