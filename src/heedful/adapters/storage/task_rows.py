"""Staff tasks and the durable timers that create many of them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, RowMapping

from heedful.adapters.storage.key_lists import one_of
from heedful.adapters.storage.phrase_columns import phrase_of, phrase_values
from heedful.adapters.storage.promise_tables import promises, tasks, timers
from heedful.adapters.storage.unreadable import note_unreadable, read_queue, text
from heedful.core.access.model import Role
from heedful.core.dead_letters.model import LetterKind
from heedful.core.shared.timers import Timer, TimerKind
from heedful.core.tasks.model import Task, TaskKind


def _timer(row: RowMapping) -> Timer:
    return Timer(row["id"], TimerKind(row["kind"]), row["subject_id"], row["due_at"])


# A batch's keys as one array on PostgreSQL (key_lists.py): one statement text whatever its count.
_CANCEL_ALL_OF = timers.delete().where(one_of(timers.c.subject_id, "subject_ids"))
_OPEN_FOR_PROMISES = sa.select(tasks).where(
    one_of(tasks.c.promise_id, "promise_ids"), tasks.c.done_at.is_(None)
)


class SqlTimers:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def set(self, timer: Timer) -> None:
        self._conn.execute(
            timers.insert().values(
                id=timer.id, kind=timer.kind.value, subject_id=timer.subject_id, due_at=timer.due_at
            )
        )

    def set_many(self, added: Sequence[Timer]) -> None:
        if added:
            self._conn.execute(
                timers.insert(),
                [
                    {
                        "id": t.id,
                        "kind": t.kind.value,
                        "subject_id": t.subject_id,
                        "due_at": t.due_at,
                    }
                    for t in added
                ],
            )

    def due(self, now: datetime, limit: int) -> list[Timer]:
        query = (
            sa.select(timers).where(timers.c.due_at <= now).order_by(timers.c.due_at).limit(limit)
        )

        def set_aside(timer_id: str, row: RowMapping | None, error: Exception) -> None:
            # As a dead timer (ADR 22): the row leaves the table, the letter keeps what it held.
            payload = (
                {}
                if row is None
                else {
                    "kind": str(row["kind"]),
                    "subject_id": str(row["subject_id"]),
                    "due_at": str(row["due_at"]),
                }
            )
            what = f"timer {text(row, 'kind', 'subject_id')}"
            note_unreadable(self._conn, LetterKind.TIMER, timer_id, what, error, now, payload)
            self.remove(timer_id)

        return read_queue(self._conn, query, timers.c.id, _timer, set_aside)

    def remove(self, timer_id: str) -> None:
        self._conn.execute(timers.delete().where(timers.c.id == timer_id))

    def cancel(self, subject_id: str, kinds: Sequence[TimerKind] = ()) -> int:
        statement = timers.delete().where(timers.c.subject_id == subject_id)
        if kinds:
            statement = statement.where(timers.c.kind.in_([k.value for k in kinds]))
        return self._conn.execute(statement).rowcount

    def cancel_many(self, subject_ids: Sequence[str]) -> int:
        if not subject_ids:
            return 0
        return self._conn.execute(_CANCEL_ALL_OF, {"subject_ids": sorted(subject_ids)}).rowcount

    def postpone(self, timer_id: str, due_at: datetime) -> None:
        self._conn.execute(timers.update().where(timers.c.id == timer_id).values(due_at=due_at))


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
        team_id=row["team_id"],
        due_at=row["due_at"],
        goodwill_amount=Decimal(str(amount)) if amount is not None else None,
        goodwill_currency=row["goodwill_currency"],
        created_at=row["created_at"],
        created_by_label=row["created_by_label"],
        done_at=row["done_at"],
        done_by_label=row["done_by_label"],
        outcome=row["outcome"],
        title_phrase=phrase_of(row, "title"),
        note_phrase=phrase_of(row, "note"),
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
        "team_id": t.team_id,
        "due_at": t.due_at,
        "goodwill_amount": t.goodwill_amount,
        "goodwill_currency": t.goodwill_currency,
        "created_at": t.created_at,
        "created_by_label": t.created_by_label,
        "done_at": t.done_at,
        "done_by_label": t.done_by_label,
        "outcome": t.outcome,
        **phrase_values("title", t.title_phrase),
        **phrase_values("note", t.note_phrase),
    }


class SqlTasks:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, task: Task) -> None:
        self._conn.execute(tasks.insert().values(_task_values(task)))

    def add_many(self, added: Sequence[Task]) -> None:
        if added:  # one executemany: a look-ahead pass writes its window's tasks at once
            self._conn.execute(tasks.insert(), [_task_values(task) for task in added])

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

    def done_since(
        self, *, since: datetime, location_ids: frozenset[str] | None, limit: int
    ) -> list[Task]:
        # ix_tasks_location_id_done_at: a range per location; an admin's (every location) scans.
        query = sa.select(tasks).where(tasks.c.done_at >= since)
        if location_ids is not None:
            query = query.where(tasks.c.location_id.in_(sorted(location_ids)))
        query = query.order_by(tasks.c.done_at.desc(), tasks.c.id).limit(limit)
        return [_task(row) for row in self._conn.execute(query).mappings()]

    def open_for_promises(self, promise_ids: Sequence[str]) -> list[Task]:
        if not promise_ids:
            return []
        rows = self._conn.execute(_OPEN_FOR_PROMISES, {"promise_ids": sorted(promise_ids)})
        return [_task(row) for row in rows.mappings()]

    def ended_promises_with_open_tasks(self, limit: int) -> list[str]:
        # Open tasks are few beside done ones; each finds its promise by primary key.
        query = (
            sa.select(tasks.c.promise_id)
            .join(promises, promises.c.id == tasks.c.promise_id)
            .where(tasks.c.done_at.is_(None), promises.c.state != "open")
            .distinct()
            .order_by(tasks.c.promise_id)
            .limit(limit)
        )
        return list(self._conn.execute(query).scalars())

    def list_for_customer(self, customer_id: str, limit: int) -> list[Task]:
        query = (
            sa.select(tasks)
            .where(tasks.c.customer_id == customer_id)
            .order_by(tasks.c.created_at.desc())
            .limit(limit)
        )
        return [_task(row) for row in self._conn.execute(query).mappings()]
