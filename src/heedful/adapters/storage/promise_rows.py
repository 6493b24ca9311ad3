"""Repositories of the promise ledger, staff tasks, durable timers, stock levels and the outbox."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, RowMapping

from heedful.adapters.storage.promise_tables import messages, promises, stock_levels, tasks, timers
from heedful.core.access.model import Role
from heedful.core.customers.consent import Purpose
from heedful.core.outreach.outbox import Message, MessageStatus
from heedful.core.promises.model import (
    Evidence,
    EvidenceKind,
    Promise,
    PromiseKind,
    PromiseState,
    WantedItem,
)
from heedful.core.promises.ports import Outcome, OutcomeCount, PromiseFilter
from heedful.core.shared.timers import Timer, TimerKind
from heedful.core.tasks.model import Task, TaskKind


def _locking(conn: Connection, query: sa.Select[Any]) -> sa.Select[Any]:
    # Several workers share the work on PostgreSQL: each takes rows nobody else holds. SQLite
    # has one writer at a time (BEGIN IMMEDIATE), which is the same guarantee.
    if conn.dialect.name == "postgresql":
        return query.with_for_update(skip_locked=True)
    return query


def _evidence(raw: list[dict[str, Any]]) -> list[Evidence]:
    return [
        Evidence(
            at=datetime.fromisoformat(e["at"]),
            kind=EvidenceKind(e["kind"]),
            note=e["note"],
            by=e["by"],
            ref=e.get("ref", ""),
        )
        for e in raw
    ]


def _promise(row: RowMapping) -> Promise:
    item = None
    if row["item_product"] is not None:
        item = WantedItem(
            product=row["item_product"],
            location_id=row["location_id"],
            variant=row["item_variant"],
            size=row["item_size"],
        )
    return Promise(
        id=row["id"],
        customer_id=row["customer_id"],
        location_id=row["location_id"],
        kind=PromiseKind(row["kind"]),
        text=row["text"],
        made_by=row["made_by"],
        made_by_label=row["made_by_label"],
        made_at=row["made_at"],
        due_at=row["due_at"],
        state=PromiseState(row["state"]),
        owner_id=row["owner_id"],
        item=item,
        reference=row["reference"],
        due_in_business_minutes=row["due_in_business_minutes"],
        closed_at=row["closed_at"],
        closed_by_label=row["closed_by_label"],
        notice_message_id=row["notice_message_id"],
        sequence=row["sequence"],
        evidence=_evidence(row["evidence"]),
    )


def _promise_values(p: Promise) -> dict[str, Any]:
    return {
        "id": p.id,
        "customer_id": p.customer_id,
        "location_id": p.location_id,
        "kind": p.kind.value,
        "text": p.text,
        "made_by": p.made_by,
        "made_by_label": p.made_by_label,
        "made_at": p.made_at,
        "due_at": p.due_at,
        "due_in_business_minutes": p.due_in_business_minutes,
        "state": p.state.value,
        "owner_id": p.owner_id,
        "item_product": p.item.product if p.item else None,
        "item_variant": p.item.variant if p.item else "",
        "item_size": p.item.size if p.item else "",
        "reference": p.reference,
        "closed_at": p.closed_at,
        "closed_by_label": p.closed_by_label,
        "notice_message_id": p.notice_message_id,
        "evidence": [
            {"at": e.at.isoformat(), "kind": e.kind.value, "note": e.note, "by": e.by, "ref": e.ref}
            for e in p.evidence
        ],
    }


class SqlPromises:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, promise: Promise) -> None:
        result = self._conn.execute(promises.insert().values(_promise_values(promise)))
        key = result.inserted_primary_key
        assert key is not None
        promise.sequence = int(key[0])

    def get(self, promise_id: str, *, for_change: bool = False) -> Promise | None:
        query = sa.select(promises).where(promises.c.id == promise_id)
        if for_change and self._conn.dialect.name == "postgresql":
            query = query.with_for_update()
        row = self._conn.execute(query).mappings().first()
        return _promise(row) if row else None

    def update(self, promise: Promise) -> None:
        values = _promise_values(promise)
        self._conn.execute(promises.update().where(promises.c.id == promise.id).values(values))

    def find(self, where: PromiseFilter, limit: int) -> list[Promise]:
        query = sa.select(promises)
        if where.customer_id is not None:
            query = query.where(promises.c.customer_id == where.customer_id)
        if where.location_ids is not None:
            query = query.where(promises.c.location_id.in_(sorted(where.location_ids)))
        if where.states is not None:
            query = query.where(promises.c.state.in_(sorted(s.value for s in where.states)))
        if where.due_before is not None:
            query = query.where(promises.c.due_at <= where.due_before)
            order: list[Any] = [promises.c.due_at, promises.c.sequence]
        else:
            order = [promises.c.sequence.desc()]
        rows = self._conn.execute(query.order_by(*order).limit(limit)).mappings()
        return [_promise(row) for row in rows]

    def waiting_for(self, item: WantedItem, limit: int) -> list[Promise]:
        query = (
            sa.select(promises)
            .where(
                promises.c.item_product == item.product,
                promises.c.location_id == item.location_id,
                promises.c.state == PromiseState.OPEN.value,
                promises.c.kind == PromiseKind.TELL_WHEN_AVAILABLE.value,
                promises.c.notice_message_id.is_(None),
                promises.c.item_variant.in_(["", item.variant]),
                promises.c.item_size.in_(["", item.size]),
            )
            .order_by(promises.c.sequence)
            .limit(limit)
        )
        rows = self._conn.execute(_locking(self._conn, query)).mappings()
        return [_promise(row) for row in rows]

    def count_outcomes(
        self,
        week_starts: Sequence[datetime],
        until: datetime,
        now: datetime,
        location_ids: frozenset[str] | None,
    ) -> list[OutcomeCount]:
        # The database counts: a year of promises comes back as a few hundred rows, not one
        # per promise. Weeks are bucketed against boundaries computed in Python, so a week
        # follows the report's time zone (clock changes included) on SQLite as on PostgreSQL.
        made_at = promises.c.made_at
        # Made before the start of week i + 1: in week i; after every start: in the last week.
        later_starts = week_starts[1:]
        week: sa.ColumnElement[Any] = sa.literal_column(str(len(later_starts)))
        if later_starts:
            week = sa.case(
                *[
                    (made_at < start, sa.literal_column(str(i)))
                    for i, start in enumerate(later_starts)
                ],
                else_=week,
            )
        is_open = promises.c.state == PromiseState.OPEN.value
        outcome = sa.case(
            (sa.and_(is_open, promises.c.due_at < now), sa.literal(Outcome.OVERDUE.value)),
            (is_open, sa.literal(Outcome.WAITING.value)),
            else_=promises.c.state,
        )
        rows = sa.select(
            promises.c.kind,
            promises.c.location_id,
            promises.c.made_by,
            promises.c.made_by_label,
            outcome.label("outcome"),
            week.label("week"),
        ).where(made_at >= week_starts[0], made_at < until)
        if location_ids is not None:
            rows = rows.where(promises.c.location_id.in_(sorted(location_ids)))
        # Grouped outside: PostgreSQL cannot tell that two bound copies of a CASE are the same.
        each = rows.subquery()
        query = sa.select(
            each.c.kind,
            each.c.location_id,
            each.c.made_by,
            sa.func.max(each.c.made_by_label).label("made_by_label"),
            each.c.outcome,
            each.c.week,
            sa.func.count().label("promises"),
        ).group_by(each.c.kind, each.c.location_id, each.c.made_by, each.c.outcome, each.c.week)
        return [
            OutcomeCount(
                kind=row.kind,
                location_id=row.location_id,
                made_by=row.made_by,
                made_by_label=row.made_by_label,
                outcome=Outcome(row.outcome),
                week=int(row.week),
                count=int(row.promises),
            )
            for row in self._conn.execute(query)
        ]


class SqlTimers:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def set(self, timer: Timer) -> None:
        self._conn.execute(
            timers.insert().values(
                id=timer.id, kind=timer.kind.value, subject_id=timer.subject_id, due_at=timer.due_at
            )
        )

    def due(self, now: datetime, limit: int) -> list[Timer]:
        query = (
            sa.select(timers).where(timers.c.due_at <= now).order_by(timers.c.due_at).limit(limit)
        )
        return [
            Timer(row["id"], TimerKind(row["kind"]), row["subject_id"], row["due_at"])
            for row in self._conn.execute(_locking(self._conn, query)).mappings()
        ]

    def remove(self, timer_id: str) -> None:
        self._conn.execute(timers.delete().where(timers.c.id == timer_id))

    def cancel(self, subject_id: str, kinds: Sequence[TimerKind] = ()) -> int:
        statement = timers.delete().where(timers.c.subject_id == subject_id)
        if kinds:
            statement = statement.where(timers.c.kind.in_([k.value for k in kinds]))
        return self._conn.execute(statement).rowcount


def _task(row: RowMapping) -> Task:
    amount = row["goodwill_amount"]
    return Task(
        id=row["id"],
        kind=TaskKind(row["kind"]),
        title=row["title"],
        note=row["note"],
        location_id=row["location_id"],
        customer_id=row["customer_id"],
        promise_id=row["promise_id"],
        assignee_id=row["assignee_id"],
        assignee_role=Role(row["assignee_role"]) if row["assignee_role"] else None,
        due_at=row["due_at"],
        goodwill_amount=Decimal(str(amount)) if amount is not None else None,
        goodwill_currency=row["goodwill_currency"],
        created_at=row["created_at"],
        created_by_label=row["created_by_label"],
        done_at=row["done_at"],
        done_by_label=row["done_by_label"],
    )


def _task_values(t: Task) -> dict[str, Any]:
    return {
        "id": t.id,
        "kind": t.kind.value,
        "title": t.title[:1100],
        "note": t.note,
        "location_id": t.location_id,
        "customer_id": t.customer_id,
        "promise_id": t.promise_id,
        "assignee_id": t.assignee_id,
        "assignee_role": t.assignee_role.value if t.assignee_role else None,
        "due_at": t.due_at,
        "goodwill_amount": t.goodwill_amount,
        "goodwill_currency": t.goodwill_currency,
        "created_at": t.created_at,
        "created_by_label": t.created_by_label,
        "done_at": t.done_at,
        "done_by_label": t.done_by_label,
    }


class SqlTasks:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, task: Task) -> None:
        self._conn.execute(tasks.insert().values(_task_values(task)))

    def get(self, task_id: str) -> Task | None:
        row = self._conn.execute(sa.select(tasks).where(tasks.c.id == task_id)).mappings().first()
        return _task(row) if row else None

    def update(self, task: Task) -> None:
        self._conn.execute(tasks.update().where(tasks.c.id == task.id).values(_task_values(task)))

    def open_for(
        self, *, assignee_id: str | None, location_ids: frozenset[str] | None, limit: int
    ) -> list[Task]:
        query = sa.select(tasks).where(tasks.c.done_at.is_(None))
        if location_ids is not None:
            query = query.where(tasks.c.location_id.in_(sorted(location_ids)))
        if assignee_id is not None:
            query = query.where(
                sa.or_(tasks.c.assignee_id == assignee_id, tasks.c.assignee_id.is_(None))
            )
        query = query.order_by(tasks.c.due_at.is_(None), tasks.c.due_at, tasks.c.created_at)
        return [_task(row) for row in self._conn.execute(query.limit(limit)).mappings()]

    def open_for_promise(self, promise_id: str) -> list[Task]:
        query = sa.select(tasks).where(tasks.c.promise_id == promise_id, tasks.c.done_at.is_(None))
        return [_task(row) for row in self._conn.execute(query).mappings()]

    def list_for_customer(self, customer_id: str, limit: int) -> list[Task]:
        query = (
            sa.select(tasks)
            .where(tasks.c.customer_id == customer_id)
            .order_by(tasks.c.created_at.desc())
            .limit(limit)
        )
        return [_task(row) for row in self._conn.execute(query).mappings()]


class SqlStockLevels:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def _key(self, item: WantedItem) -> list[Any]:
        return [
            stock_levels.c.product == item.product,
            stock_levels.c.variant == item.variant,
            stock_levels.c.size == item.size,
            stock_levels.c.location_id == item.location_id,
        ]

    def get(self, item: WantedItem) -> int | None:
        return self._conn.scalar(sa.select(stock_levels.c.quantity).where(*self._key(item)))

    def set(self, item: WantedItem, quantity: int, at: datetime) -> int | None:
        query = sa.select(stock_levels.c.quantity).where(*self._key(item))
        if self._conn.dialect.name == "postgresql":
            query = query.with_for_update()
        before = self._conn.scalar(query)
        if before is None:
            self._conn.execute(
                stock_levels.insert().values(
                    product=item.product,
                    variant=item.variant,
                    size=item.size,
                    location_id=item.location_id,
                    quantity=quantity,
                    updated_at=at,
                )
            )
        else:
            self._conn.execute(
                stock_levels.update()
                .where(*self._key(item))
                .values(quantity=quantity, updated_at=at)
            )
        return before


def _message(row: RowMapping) -> Message:
    return Message(
        id=row["id"],
        customer_id=row["customer_id"],
        template_key=row["template_key"],
        purpose=Purpose(row["purpose"]),
        created_at=row["created_at"],
        ready_at=row["ready_at"],
        location_id=row["location_id"],
        promise_id=row["promise_id"],
        context=row["context"],
        status=MessageStatus(row["status"]),
        reason=row["reason"],
        attempts=row["attempts"],
        channel=row["channel"],
        to=row["to_address"],
        language=row["language"],
        subject=row["subject"],
        text=row["text"],
        sent_at=row["sent_at"],
        provider_ref=row["provider_ref"],
    )


def _message_values(m: Message) -> dict[str, Any]:
    return {
        "id": m.id,
        "customer_id": m.customer_id,
        "template_key": m.template_key,
        "purpose": m.purpose.value,
        "created_at": m.created_at,
        "ready_at": m.ready_at,
        "location_id": m.location_id,
        "promise_id": m.promise_id,
        "context": m.context,
        "status": m.status.value,
        "reason": m.reason[:500],
        "attempts": m.attempts,
        "channel": m.channel,
        "to_address": m.to,
        "language": m.language,
        "subject": m.subject[:500],
        "text": m.text,
        "sent_at": m.sent_at,
        "provider_ref": m.provider_ref[:500],
    }


_WAITING = [s.value for s in MessageStatus if s.is_waiting]


class SqlOutbox:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, message: Message) -> None:
        self._conn.execute(messages.insert().values(_message_values(message)))

    def get(self, message_id: str) -> Message | None:
        query = sa.select(messages).where(messages.c.id == message_id)
        row = self._conn.execute(query).mappings().first()
        return _message(row) if row else None

    def update(self, message: Message) -> None:
        values = _message_values(message)
        self._conn.execute(messages.update().where(messages.c.id == message.id).values(values))

    def ready(self, now: datetime, limit: int) -> list[Message]:
        query = (
            sa.select(messages)
            .where(messages.c.status.in_(_WAITING), messages.c.ready_at <= now)
            .order_by(messages.c.ready_at)
            .limit(limit)
        )
        return [_message(row) for row in self._conn.execute(_locking(self._conn, query)).mappings()]

    def list_for_customer(self, customer_id: str, limit: int) -> list[Message]:
        query = (
            sa.select(messages)
            .where(messages.c.customer_id == customer_id)
            .order_by(messages.c.created_at.desc(), messages.c.id)
            .limit(limit)
        )
        return [_message(row) for row in self._conn.execute(query).mappings()]

    def list_by_status(self, statuses: frozenset[MessageStatus], limit: int) -> list[Message]:
        query = (
            sa.select(messages)
            .where(messages.c.status.in_(sorted(s.value for s in statuses)))
            .order_by(messages.c.created_at.desc())
            .limit(limit)
        )
        return [_message(row) for row in self._conn.execute(query).mappings()]

    def sent_count(self, customer_id: str, purpose: str, since: datetime) -> int:
        query = sa.select(sa.func.count()).where(
            messages.c.customer_id == customer_id,
            messages.c.purpose == purpose,
            messages.c.status == MessageStatus.SENT.value,
            messages.c.sent_at >= since,
        )
        return int(self._conn.scalar(query) or 0)
