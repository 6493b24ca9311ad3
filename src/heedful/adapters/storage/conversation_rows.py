"""Rows of conversations: threads with their messages and notes, teams, SLA policies and clocks."""

from __future__ import annotations

import base64
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, RowMapping

from heedful.adapters.storage.conversation_tables import (
    location_calendar_days,
    sla_clocks,
    sla_policies,
    teams,
    thread_messages,
    thread_notes,
    threads,
)
from heedful.core.calendar import DateOverride, OpeningInterval
from heedful.core.conversations.model import (
    Channel,
    Direction,
    Note,
    Priority,
    Team,
    Thread,
    ThreadMessage,
    ThreadStatus,
)
from heedful.core.conversations.ports import InboxFilter, ThreadPage
from heedful.core.shared.errors import InvalidInput
from heedful.core.sla.model import ClockFact, ClockKind, ClockState, SlaClock, SlaPolicy

# The inbox's sort key for a thread with no running clock: after every real due time.
NOTHING_DUE = datetime(9999, 12, 31, tzinfo=UTC)


def _thread(row: RowMapping) -> Thread:
    return Thread(
        id=row["id"],
        customer_id=row["customer_id"],
        location_id=row["location_id"],
        channel=Channel(row["channel"]),
        subject=row["subject"],
        status=ThreadStatus(row["status"]),
        priority=Priority(row["priority"]),
        language=row["language"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        assignee_id=row["assignee_id"],
        team_id=row["team_id"],
        next_due_at=row["next_due_at"],
        next_due_kind=ClockKind(row["next_due_kind"]) if row["next_due_kind"] else None,
        warned=bool(row["warned"]),
        breached=bool(row["breached"]),
        awaiting_reply_since=row["awaiting_reply_since"],
        resolved_at=row["resolved_at"],
        visitor_token=row["visitor_token"],
        last_message_preview=row["last_message_preview"],
        segment=row["segment"],
        reply_promise_id=row["reply_promise_id"],
    )


def _thread_values(t: Thread) -> dict[str, Any]:
    return {
        "id": t.id,
        "customer_id": t.customer_id,
        "location_id": t.location_id,
        "channel": t.channel.value,
        "subject": t.subject,
        "status": t.status.value,
        "priority": t.priority.value,
        "language": t.language,
        "segment": t.segment,
        "created_at": t.created_at,
        "updated_at": t.updated_at,
        "assignee_id": t.assignee_id,
        "team_id": t.team_id,
        "next_due_at": t.next_due_at,
        "next_due_kind": t.next_due_kind.value if t.next_due_kind else None,
        "due_order": t.next_due_at or NOTHING_DUE,
        "warned": t.warned,
        "breached": t.breached,
        "awaiting_reply_since": t.awaiting_reply_since,
        "resolved_at": t.resolved_at,
        "visitor_token": t.visitor_token,
        "last_message_preview": t.last_message_preview,
        "reply_promise_id": t.reply_promise_id,
    }


def _message(row: RowMapping) -> ThreadMessage:
    return ThreadMessage(
        id=row["id"],
        thread_id=row["thread_id"],
        direction=Direction(row["direction"]),
        channel=Channel(row["channel"]),
        author_id=row["author_id"],
        author_label=row["author_label"],
        body=row["body"],
        created_at=row["created_at"],
        message_id=row["message_id"],
        in_reply_to=row["in_reply_to"],
        address=row["address"],
        outbox_message_id=row["outbox_message_id"],
        sequence=row["sequence"],
    )


def encode_cursor(due_order: datetime, thread_id: str) -> str:
    raw = f"{due_order.astimezone(UTC).isoformat()}|{thread_id}"
    return base64.urlsafe_b64encode(raw.encode()).decode()


def decode_cursor(cursor: str) -> tuple[datetime, str]:
    try:
        due, _, thread_id = base64.urlsafe_b64decode(cursor.encode()).decode().partition("|")
        at = datetime.fromisoformat(due)
    except ValueError:
        raise InvalidInput("this cursor was not given by Heedful", field="cursor") from None
    if not thread_id or at.tzinfo is None:
        raise InvalidInput("this cursor was not given by Heedful", field="cursor")
    return at, thread_id


class SqlThreads:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, thread: Thread) -> None:
        self._conn.execute(threads.insert().values(_thread_values(thread)))

    def get(self, thread_id: str, *, for_change: bool = False) -> Thread | None:
        query = sa.select(threads).where(threads.c.id == thread_id)
        if for_change and self._conn.dialect.name == "postgresql":
            query = query.with_for_update()
        row = self._conn.execute(query).mappings().first()
        return _thread(row) if row else None

    def update(self, thread: Thread) -> None:
        values = _thread_values(thread)
        self._conn.execute(threads.update().where(threads.c.id == thread.id).values(values))

    def inbox(
        self,
        where: InboxFilter,
        location_ids: frozenset[str] | None,
        limit: int,
        cursor: str | None,
    ) -> ThreadPage:
        c = threads.c
        query = sa.select(threads)
        statuses = sorted(s.value for s in where.statuses)
        if set(statuses) == {ThreadStatus.OPEN.value, ThreadStatus.WAITING_ON_CUSTOMER.value}:
            # Said as the partial index says it, so the planner uses the index.
            query = query.where(sa.text("threads.status <> 'resolved'"))
        else:
            query = query.where(c.status.in_(statuses))
        if location_ids is not None:
            query = query.where(c.location_id.in_(sorted(location_ids)))
        if where.location_id is not None:
            query = query.where(c.location_id == where.location_id)
        if where.assignee_id is not None:
            query = query.where(c.assignee_id == where.assignee_id)
        if where.unassigned:
            query = query.where(c.assignee_id.is_(None))
        if where.team_id is not None:
            query = query.where(c.team_id == where.team_id)
        if where.channel is not None:
            query = query.where(c.channel == where.channel.value)
        if where.priority is not None:
            query = query.where(c.priority == where.priority.value)
        if where.customer_id is not None:
            query = query.where(c.customer_id == where.customer_id)
        if cursor is not None:
            after_due, after_id = decode_cursor(cursor)
            query = query.where(
                sa.or_(c.due_order > after_due, sa.and_(c.due_order == after_due, c.id > after_id))
            )
        query = query.order_by(c.due_order, c.id).limit(limit + 1)
        rows = list(self._conn.execute(query).mappings())
        items = [_thread(row) for row in rows[:limit]]
        next_cursor = None
        if len(rows) > limit:
            last = rows[limit - 1]
            next_cursor = encode_cursor(last["due_order"], last["id"])
        return ThreadPage(items, next_cursor)

    def for_customer(self, customer_id: str, limit: int) -> list[Thread]:
        query = (
            sa.select(threads)
            .where(threads.c.customer_id == customer_id)
            .order_by(threads.c.updated_at.desc())
            .limit(limit)
        )
        return [_thread(row) for row in self._conn.execute(query).mappings()]

    def by_visitor_token(self, token: str) -> Thread | None:
        query = sa.select(threads).where(threads.c.visitor_token == token)
        row = self._conn.execute(query).mappings().first()
        return _thread(row) if row else None

    def add_message(self, message: ThreadMessage) -> None:
        values = {
            "id": message.id,
            "thread_id": message.thread_id,
            "direction": message.direction.value,
            "channel": message.channel.value,
            "author_id": message.author_id,
            "author_label": message.author_label,
            "address": message.address,
            "body": message.body,
            "created_at": message.created_at,
            "message_id": message.message_id,
            "in_reply_to": message.in_reply_to,
            "outbox_message_id": message.outbox_message_id,
        }
        result = self._conn.execute(thread_messages.insert().values(values))
        key = result.inserted_primary_key
        assert key is not None
        message.sequence = int(key[0])

    def messages(self, thread_id: str, *, after: int = 0, limit: int = 500) -> list[ThreadMessage]:
        query = (
            sa.select(thread_messages)
            .where(thread_messages.c.thread_id == thread_id, thread_messages.c.sequence > after)
            .order_by(thread_messages.c.sequence)
            .limit(limit)
        )
        return [_message(row) for row in self._conn.execute(query).mappings()]

    def find_message(self, message_id: str) -> ThreadMessage | None:
        if not message_id:
            return None
        query = sa.select(thread_messages).where(
            thread_messages.c.message_id == message_id, sa.text("message_id <> ''")
        )
        row = self._conn.execute(query.limit(1)).mappings().first()
        return _message(row) if row else None

    def thread_of_message_ids(self, message_ids: Sequence[str]) -> Thread | None:
        wanted = [mid for mid in message_ids if mid]
        if not wanted:
            return None
        query = (
            sa.select(thread_messages.c.message_id, thread_messages.c.thread_id)
            .where(thread_messages.c.message_id.in_(wanted), sa.text("message_id <> ''"))
            .limit(len(wanted) * 4)
        )
        holders = {row.message_id: row.thread_id for row in self._conn.execute(query)}
        for message_id in wanted:  # the likeliest first, as the caller ordered them
            if message_id in holders:
                return self.get(holders[message_id], for_change=True)
        return None

    def add_note(self, note: Note) -> None:
        self._conn.execute(
            thread_notes.insert().values(
                id=note.id,
                thread_id=note.thread_id,
                author_id=note.author_id,
                author_label=note.author_label,
                body=note.body,
                created_at=note.created_at,
            )
        )

    def notes(self, thread_id: str) -> list[Note]:
        query = (
            sa.select(thread_notes)
            .where(thread_notes.c.thread_id == thread_id)
            .order_by(thread_notes.c.created_at, thread_notes.c.id)
        )
        return [
            Note(
                id=row["id"],
                thread_id=row["thread_id"],
                author_id=row["author_id"],
                author_label=row["author_label"],
                body=row["body"],
                created_at=row["created_at"],
            )
            for row in self._conn.execute(query).mappings()
        ]


def _team(row: RowMapping) -> Team:
    return Team(
        id=row["id"],
        name=row["name"],
        created_at=row["created_at"],
        location_id=row["location_id"],
        member_ids=frozenset(row["member_ids"]),
    )


class SqlTeams:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def _values(self, team: Team) -> dict[str, Any]:
        return {
            "id": team.id,
            "name": team.name,
            "location_id": team.location_id,
            "member_ids": sorted(team.member_ids),
            "created_at": team.created_at,
        }

    def add(self, team: Team) -> None:
        self._conn.execute(teams.insert().values(self._values(team)))

    def get(self, team_id: str) -> Team | None:
        row = self._conn.execute(sa.select(teams).where(teams.c.id == team_id)).mappings().first()
        return _team(row) if row else None

    def update(self, team: Team) -> None:
        self._conn.execute(teams.update().where(teams.c.id == team.id).values(self._values(team)))

    def list(self) -> list[Team]:
        query = sa.select(teams).order_by(teams.c.name, teams.c.id)
        return [_team(row) for row in self._conn.execute(query).mappings()]


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
