"""Rows of conversations: threads with their messages and notes, and teams.

SLA policies, clocks and a location's dated calendar days are in ``sla_rows.py``.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, RowMapping

from heedful.adapters.storage.conversation_tables import (
    teams,
    thread_messages,
    thread_notes,
    threads,
)
from heedful.adapters.storage.tables import name_terms
from heedful.adapters.storage.text_folding import folded
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
from heedful.core.customers.model import query_words
from heedful.core.customers.spelling import sound_key
from heedful.core.shared.errors import InvalidInput
from heedful.core.sla.model import ClockKind

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
        sender_verified=bool(row["sender_verified"]),
        sender_proof=row["sender_proof"],
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
        "sender_verified": t.sender_verified,
        "sender_proof": t.sender_proof,
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
        authentication=row["authentication"],
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


def _filtered(
    query: sa.Select[Any], where: InboxFilter, location_ids: frozenset[str] | None
) -> sa.Select[Any]:
    c = threads.c
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
    for word in sorted(query_words(where.text or ""), key=len, reverse=True)[:4]:
        query = query.where(_subject_or_name(word[:100]))
    return query


def _subject_or_name(word: str) -> sa.ColumnElement[bool]:
    """The subject holds the word (case-folded on both databases), or a word of the
    customer's name starts with it, as typed or as it sounds (``customers.spelling``)."""
    prefixes = [prefix for prefix in (word, sound_key(word)) if prefix]
    named = sa.select(name_terms.c.customer_id).where(
        sa.or_(
            *(
                sa.and_(name_terms.c.term >= p, name_terms.c.term < p + "\U0010ffff")
                for p in prefixes
            )
        )
    )
    return sa.or_(folded(threads.c.subject).contains(word), threads.c.customer_id.in_(named))


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
        query = _filtered(sa.select(threads), where, location_ids)
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

    def count(self, where: InboxFilter, location_ids: frozenset[str] | None) -> int:
        query = _filtered(sa.select(sa.func.count()).select_from(threads), where, location_ids)
        return int(self._conn.execute(query).scalar_one())

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
            "authentication": message.authentication,
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

    def sent_messages(self, message_ids: Sequence[str]) -> list[ThreadMessage]:
        wanted = [mid for mid in message_ids if mid]
        if not wanted:
            return []
        query = sa.select(thread_messages).where(
            thread_messages.c.message_id.in_(wanted),
            sa.text("message_id <> ''"),
            thread_messages.c.direction == Direction.OUT.value,
        )
        return [_message(row) for row in self._conn.execute(query.limit(50)).mappings()]

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
