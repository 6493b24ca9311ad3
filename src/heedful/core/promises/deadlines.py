"""Deadlines act by themselves: the owner is reminded, a passed deadline breaks the promise.

The worker fires due timers through ``fire_due_timers``; each timer is handled in its own
transaction with the changes it causes, so a crash fires it again rather than half-way. A timer
whose firing raises has its savepoint undone and its failure written down: it is due again after
a backoff, and after a few tries it is set aside as a dead letter (the row leaves ``timers``; the
letter keeps what is needed to set it again), so the timers behind it still fire.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from heedful.core.access.model import SYSTEM, Role
from heedful.core.customers.consent import Purpose
from heedful.core.dead_letters.model import DeadLetter, LetterKind, RetryPolicy
from heedful.core.dead_letters.recording import note_failure
from heedful.core.outreach.outbox import Message
from heedful.core.promises.model import Evidence, EvidenceKind, Promise, PromiseKind
from heedful.core.shared.clock import Clock
from heedful.core.shared.ids import new_id
from heedful.core.shared.ports import UnitOfWork
from heedful.core.shared.timers import Timer, TimerKind
from heedful.core.sla.timers import fire_sla_timer
from heedful.core.tasks.model import Task, TaskKind, reminder


@dataclass
class TimerReport:
    reminded: int = 0
    broken: int = 0
    stale: int = 0  # the promise was already closed: nothing to do
    sla: int = 0  # conversations' SLA warnings and breaches (core/sla/timers.py)
    failed: list[DeadLetter] = field(default_factory=list)  # tried later, or set aside
    promise_ids: list[str] = field(default_factory=list)


def fire_due_timers(
    uow_factory: Callable[[], UnitOfWork],
    clock: Clock,
    *,
    limit: int = 500,
    retry: RetryPolicy = RetryPolicy(),  # noqa: B008 - frozen, shared safely
) -> TimerReport:
    report = TimerReport()
    while True:
        now = clock.now()
        with uow_factory() as uow:
            due = uow.timers.due(now, 1)
            if not due:
                uow.commit()  # keeps what the claim set aside as unreadable
                return report
            timer = due[0]
            try:
                with uow:
                    _fire(uow, timer, now, report)
                    uow.timers.remove(timer.id)
                    uow.dead_letters.forget(LetterKind.TIMER, [timer.id])
                    uow.commit()
            except Exception as error:
                report.failed.append(_set_back(uow, timer, error, now, retry))
            uow.commit()
        fired = report.reminded + report.broken + report.stale + report.sla
        if fired + len(report.failed) >= limit:
            return report


def _set_back(
    uow: UnitOfWork, timer: Timer, error: Exception, now: datetime, retry: RetryPolicy
) -> DeadLetter:
    payload = {
        "kind": timer.kind.value,
        "subject_id": timer.subject_id,
        "due_at": timer.due_at.isoformat(),
    }
    what = f"{timer.kind.value} {timer.subject_id}"
    letter = note_failure(uow, LetterKind.TIMER, timer.id, what, error, now, retry, payload)
    if letter.is_dead:
        uow.timers.remove(timer.id)  # out of the due scan; the letter can set it again
    else:
        uow.timers.postpone(timer.id, letter.next_try_at or now)
    return letter


def _fire(uow: UnitOfWork, timer: Timer, now: datetime, report: TimerReport) -> None:
    if timer.kind in (TimerKind.SLA_WARNING, TimerKind.SLA_BREACH):
        # One table and one due scan for every timer; the SLA room decides what its timers do.
        if fire_sla_timer(uow, timer, now):
            report.sla += 1
        else:
            report.stale += 1
        return
    promise = uow.promises.get(timer.subject_id, for_change=True)
    if promise is None or not promise.is_open:
        report.stale += 1
        return
    report.promise_ids.append(promise.id)
    if timer.kind is TimerKind.PROMISE_REMINDER:
        _remind(uow, promise, now)
        report.reminded += 1
    elif timer.kind is TimerKind.PROMISE_DEADLINE:
        _break(uow, promise, now)
        report.broken += 1


def _remind(uow: UnitOfWork, promise: Promise, now: datetime) -> None:
    task = reminder(
        TaskKind.PROMISE_REMINDER,
        f"Due soon: {promise.text}",
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


def _break(uow: UnitOfWork, promise: Promise, now: datetime) -> None:
    if promise.kind is PromiseKind.TELL_WHEN_AVAILABLE:
        if promise.notice_message_id is not None:
            return  # she has been told already and the message is on its way: not broken
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
    else:
        promise.note(Evidence(now, EvidenceKind.DEADLINE_PASSED, "deadline passed", SYSTEM.label))
        promise.break_(now, SYSTEM.label, "the deadline passed")
        uow.tasks.add(
            Task(
                id=new_id("tsk_"),
                kind=TaskKind.PROMISE_ESCALATION,
                title=f"Broken promise: {promise.text}",
                location_id=promise.location_id,
                created_at=now,
                created_by_label=SYSTEM.label,
                customer_id=promise.customer_id,
                promise_id=promise.id,
                assignee_role=Role.MANAGER,
                note=f"made by {promise.made_by_label}",
            )
        )
    uow.promises.update(promise)
    uow.timers.cancel(promise.id)


def _item_context(promise: Promise) -> dict[str, str]:
    item = promise.item
    if item is None:
        return {}
    return {"product": item.product, "variant": item.variant, "size": item.size}
