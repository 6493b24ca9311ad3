"""Rows of SLA policies and clocks, and of the dated days (closures, short days, extra working
days) that a location's business calendar adds to its weekly hours."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, RowMapping

from heedful.adapters.storage.conversation_tables import (
    location_calendar_days,
    sla_clocks,
    sla_policies,
    thread_messages,
    threads,
)
from heedful.core.calendar import DateOverride, OpeningInterval
from heedful.core.conversations.model import (
    Channel,
    Priority,
)
from heedful.core.sla.model import ClockFact, ClockKind, ClockState, SlaClock, SlaPolicy


def _policy(row: RowMapping) -> SlaPolicy:
    return SlaPolicy(
        id=row["id"],
        name=row["name"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        channel=Channel(row["channel"]) if row["channel"] else None,
        priority=Priority(row["priority"]) if row["priority"] else None,
        segment=row["segment"],
        first_response_minutes=row["first_response_minutes"],
        next_response_minutes=row["next_response_minutes"],
        resolution_minutes=row["resolution_minutes"],
        warning_minutes=row["warning_minutes"],
        active=bool(row["active"]),
    )


def _policy_values(p: SlaPolicy) -> dict[str, Any]:
    return {
        "id": p.id,
        "name": p.name,
        "channel": p.channel.value if p.channel else None,
        "priority": p.priority.value if p.priority else None,
        "segment": p.segment,
        "first_response_minutes": p.first_response_minutes,
        "next_response_minutes": p.next_response_minutes,
        "resolution_minutes": p.resolution_minutes,
        "warning_minutes": p.warning_minutes,
        "active": p.active,
        "created_at": p.created_at,
        "updated_at": p.updated_at,
    }


class SqlSlaPolicies:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, policy: SlaPolicy) -> None:
        self._conn.execute(sla_policies.insert().values(_policy_values(policy)))

    def get(self, policy_id: str) -> SlaPolicy | None:
        query = sa.select(sla_policies).where(sla_policies.c.id == policy_id)
        row = self._conn.execute(query).mappings().first()
        return _policy(row) if row else None

    def update(self, policy: SlaPolicy) -> None:
        values = _policy_values(policy)
        self._conn.execute(
            sla_policies.update().where(sla_policies.c.id == policy.id).values(values)
        )

    def list(self, *, active_only: bool = False) -> list[SlaPolicy]:
        query = sa.select(sla_policies).order_by(sla_policies.c.name, sla_policies.c.id)
        if active_only:
            query = query.where(sla_policies.c.active.is_(True))
        return [_policy(row) for row in self._conn.execute(query).mappings()]


def _seconds(value: timedelta | None) -> float | None:
    return None if value is None else value.total_seconds()


def _clock(row: RowMapping) -> SlaClock:
    spent = row["spent_seconds"]
    return SlaClock(
        id=row["id"],
        thread_id=row["thread_id"],
        location_id=row["location_id"],
        kind=ClockKind(row["kind"]),
        policy_id=row["policy_id"],
        target_minutes=row["target_minutes"],
        warning_minutes=row["warning_minutes"],
        state=ClockState(row["state"]),
        started_at=row["started_at"],
        counting_since=row["counting_since"],
        spent_before=timedelta(seconds=row["spent_before_seconds"]),
        paused_at=row["paused_at"],
        due_at=row["due_at"],
        warn_at=row["warn_at"],
        warned_at=row["warned_at"],
        breached_at=row["breached_at"],
        met_at=row["met_at"],
        spent=None if spent is None else timedelta(seconds=spent),
        warning_task_id=row["warning_task_id"],
    )


def clock_values(c: SlaClock) -> dict[str, Any]:
    return {
        "id": c.id,
        "thread_id": c.thread_id,
        "location_id": c.location_id,
        "kind": c.kind.value,
        "policy_id": c.policy_id,
        "target_minutes": c.target_minutes,
        "warning_minutes": c.warning_minutes,
        "state": c.state.value,
        "started_at": c.started_at,
        "counting_since": c.counting_since,
        "spent_before_seconds": c.spent_before.total_seconds(),
        "paused_at": c.paused_at,
        "due_at": c.due_at,
        "warn_at": c.warn_at,
        "warned_at": c.warned_at,
        "breached_at": c.breached_at,
        "met_at": c.met_at,
        "spent_seconds": _seconds(c.spent),
        "warning_task_id": c.warning_task_id,
    }


class SqlSlaClocks:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, clock: SlaClock) -> None:
        self._conn.execute(sla_clocks.insert().values(clock_values(clock)))

    def get(self, clock_id: str, *, for_change: bool = False) -> SlaClock | None:
        query = sa.select(sla_clocks).where(sla_clocks.c.id == clock_id)
        if for_change and self._conn.dialect.name == "postgresql":
            query = query.with_for_update()
        row = self._conn.execute(query).mappings().first()
        return _clock(row) if row else None

    def update(self, clock: SlaClock) -> None:
        values = clock_values(clock)
        self._conn.execute(sla_clocks.update().where(sla_clocks.c.id == clock.id).values(values))

    def for_thread(self, thread_id: str) -> list[SlaClock]:
        query = (
            sa.select(sla_clocks)
            .where(sla_clocks.c.thread_id == thread_id)
            .order_by(sla_clocks.c.started_at, sla_clocks.c.id)
        )
        return [_clock(row) for row in self._conn.execute(query).mappings()]

    def counting_for_policy(self, policy_id: str) -> list[SlaClock]:
        query = sa.select(sla_clocks).where(
            sla_clocks.c.policy_id == policy_id, sa.text("(state = 'running' OR state = 'paused')")
        )
        return [_clock(row) for row in self._conn.execute(query).mappings()]

    def counting_at_location(self, location_id: str) -> list[SlaClock]:
        # A location changing its hours is rare: reading its open clocks once then is fine.
        query = sa.select(sla_clocks).where(
            sla_clocks.c.location_id == location_id,
            sa.text("(state = 'running' OR state = 'paused')"),
        )
        return [_clock(row) for row in self._conn.execute(query).mappings()]

    def due_between(self, since: datetime, until: datetime, limit: int) -> list[SlaClock]:
        query = (
            sa.select(sla_clocks)
            .where(
                sa.text("state = 'running'"),
                sla_clocks.c.due_at >= since,
                sla_clocks.c.due_at < until,
            )
            .order_by(sla_clocks.c.due_at)
            .limit(limit)
        )
        return [_clock(row) for row in self._conn.execute(query).mappings()]

    def ended_between(
        self, since: datetime, until: datetime, location_ids: frozenset[str] | None
    ) -> list[ClockFact]:
        k, t = sla_clocks.c, threads.c
        query = (
            sa.select(
                k.kind,
                k.location_id,
                k.started_at,
                k.met_at,
                k.spent_seconds,
                k.breached_at,
                t.channel,
                t.priority,
                t.team_id,
                t.assignee_id,
            )
            .join(threads, threads.c.id == k.thread_id)
            .where(
                k.started_at >= since,
                k.started_at < until,
                k.state.in_([ClockState.MET.value, ClockState.BREACHED.value]),
                # An unverified sender's clocks count once staff accept or answer her: spam
                # nobody answered breaches no one's figures (ADR 0029).
                sa.or_(t.sender_verified == sa.true(), _answered_by_staff),
            )
        )
        if location_ids is not None:
            query = query.where(k.location_id.in_(sorted(location_ids)))
        return [
            ClockFact(
                kind=ClockKind(row.kind),
                channel=Channel(row.channel),
                priority=Priority(row.priority),
                location_id=row.location_id,
                team_id=row.team_id,
                assignee_id=row.assignee_id,
                started_at=row.started_at,
                met_at=row.met_at,
                spent=None if row.spent_seconds is None else timedelta(seconds=row.spent_seconds),
                breached=row.breached_at is not None,
                breached_at=row.breached_at,
            )
            for row in self._conn.execute(query)
        ]


_answered_by_staff = (
    sa.select(thread_messages.c.sequence)
    .where(thread_messages.c.thread_id == threads.c.id, thread_messages.c.direction == "out")
    .exists()
)


class SqlCalendarDays:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def for_location(self, location_id: str) -> list[DateOverride]:
        table = location_calendar_days
        query = sa.select(table).where(table.c.location_id == location_id).order_by(table.c.day)
        return [
            DateOverride(
                row["day"],
                tuple(OpeningInterval.parse(text) for text in row["hours"]),
                row["reason"],
            )
            for row in self._conn.execute(query).mappings()
        ]

    def put(self, location_id: str, override: DateOverride) -> None:
        self.remove(location_id, override.day)
        self._conn.execute(
            location_calendar_days.insert().values(
                location_id=location_id,
                day=override.day,
                hours=[str(interval) for interval in override.hours],
                reason=override.reason,
            )
        )

    def remove(self, location_id: str, day: date) -> bool:
        table = location_calendar_days
        removed = self._conn.execute(
            table.delete().where(table.c.location_id == location_id, table.c.day == day)
        )
        return bool(removed.rowcount)
