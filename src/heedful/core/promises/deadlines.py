"""Deadlines act by themselves: the owner is reminded, a passed deadline breaks the promise.

The worker's timer loop (``core/engine/timers.py``) hands a promise's timers here, one at a time,
inside the transaction that removes the timer.
"""

from __future__ import annotations

from datetime import datetime

from heedful.core.access import SYSTEM, Role
from heedful.core.customers import Purpose
from heedful.core.outreach import Message
from heedful.core.promises.line_messages import watch_line_of
from heedful.core.promises.model import (
    Evidence,
    EvidenceKind,
    Promise,
    PromiseKind,
    PromiseState,
)
from heedful.core.shared.clock import Clock
from heedful.core.shared.ids import new_id
from heedful.core.shared.phrases import Phrase
from heedful.core.shared.timers import Timer, TimerKind
from heedful.core.tasks import Task, TaskKind, reminder
from heedful.core.unit_of_work import UnitOfWork


def fire_promise_timer(uow: UnitOfWork, timer: Timer, now: datetime) -> str | None:
    """Remind the owner or break the promise: its id, or None when it was already closed."""
    promise = uow.promises.get(timer.subject_id, for_change=True)
    if promise is None or not promise.is_open:
        return None
    if timer.kind is TimerKind.PROMISE_REMINDER:
        _remind(uow, promise, now)
    elif timer.kind is TimerKind.PROMISE_DEADLINE:
        _break(uow, promise, now)
    return promise.id


def _remind(uow: UnitOfWork, promise: Promise, now: datetime) -> None:
    task = reminder(
        TaskKind.PROMISE_REMINDER,
        Phrase("task.due_soon", {"promise": promise.said}),
        promise.location_id,
        now,
        customer_id=promise.customer_id,
        promise_id=promise.id,
        holder_id=promise.owner_id,
        due_at=promise.due_at,
    )
    uow.tasks.add(task)
    promise.note(Evidence(now, EvidenceKind.REMINDER, "owner reminded", SYSTEM.label, task.id))
    uow.promises.update(promise)


def settle_tasks(
    uow: UnitOfWork, promise: Promise, now: datetime, *, keep: TaskKind | None = None
) -> None:
    """Close the open tasks about a promise that has ended: a "due soon" for a promise already
    kept or broken would only sit on someone's list. ``keep`` spares the kind that is about the
    ending itself (the manager's escalation of a broken promise)."""
    by = f"{SYSTEM.label} ({promise.state.value.replace('_', ' ')})"
    for task in uow.tasks.open_for_promise(promise.id):
        if task.kind is not keep:
            task.complete(now, by)
            uow.tasks.update(task)


def close_tasks_of_ended_promises(uow: UnitOfWork, clock: Clock, *, limit: int = 500) -> int:
    """The worker's pass: close the open tasks of promises that have ended, as ``settle_tasks``
    does when a promise ends; how many were closed. Tasks opened before promises closed their
    own tasks, or by an integration that ended the promise another way, would otherwise sit on a
    list for months (a "due soon" next to the "broken promise" of the same promise). A broken
    promise keeps its escalation: that one is about the ending itself. Done here rather than when
    the list is read, so that reading a page never writes."""
    now = clock.now()
    closed = 0
    with uow:
        for promise_id in uow.tasks.ended_promises_with_open_tasks(limit):
            promise = uow.promises.get(promise_id, for_change=True)
            if promise is None or promise.is_open:
                continue  # reopened since it was listed: its tasks stand
            broken = promise.state is PromiseState.BROKEN
            stale = [
                task
                for task in uow.tasks.open_for_promise(promise.id)
                if not (broken and task.kind is TaskKind.PROMISE_ESCALATION)
            ]
            settle_tasks(uow, promise, now, keep=TaskKind.PROMISE_ESCALATION if broken else None)
            closed += len(stale)
        if closed:
            uow.commit()
    return closed


def _break(uow: UnitOfWork, promise: Promise, now: datetime) -> None:
    if promise.kind is PromiseKind.TELL_WHEN_AVAILABLE:
        if promise.notice_message_id is not None:
            return  # she has been told already and the message is on its way: not broken
        watch = watch_line_of(uow, promise)
        # Honesty over silence: the customer hears that the wait is over, not nothing.
        message = Message(
            id=new_id("msg_"),
            customer_id=promise.customer_id,
            template_key="wait_expired",
            purpose=Purpose.SERVICE,
            created_at=now,
            ready_at=now,
            location_id=promise.location_id,
            promise_id=promise.id,
            context={"item": _item_context(promise)},
        )
        uow.outbox.add(message)
        promise.note(
            Evidence(now, EvidenceKind.MESSAGE_QUEUED, "wait expired", SYSTEM.label, message.id)
        )
        promise.break_(now, SYSTEM.label, "the wait expired before the item came back")
        uow.promises.update(promise)
        if watch is not None:
            watch.tell_moves(uow, now)  # those behind her move up
    else:
        promise.note(Evidence(now, EvidenceKind.DEADLINE_PASSED, "deadline passed", SYSTEM.label))
        promise.break_(now, SYSTEM.label, "the deadline passed")
        broken = Phrase("task.broken_promise", {"promise": promise.said})
        made_by = Phrase("task.made_by", {"name": promise.made_by_label})
        uow.tasks.add(
            Task(
                id=new_id("tsk_"),
                kind=TaskKind.PROMISE_ESCALATION,
                title=broken.english(),
                title_phrase=broken,
                location_id=promise.location_id,
                created_at=now,
                created_by_label=SYSTEM.label,
                customer_id=promise.customer_id,
                promise_id=promise.id,
                assignee_role=Role.MANAGER,
                note=made_by.english(),
                note_phrase=made_by,
            )
        )
    settle_tasks(uow, promise, now, keep=TaskKind.PROMISE_ESCALATION)
    uow.promises.update(promise)
    uow.timers.cancel(promise.id)


def _item_context(promise: Promise) -> dict[str, str]:
    item = promise.item
    if item is None:
        return {}
    return {"product": item.product, "variant": item.variant, "size": item.size}
