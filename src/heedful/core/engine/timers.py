"""The worker's timer loop: every due timer fires in its own transaction, promises' and SLA's.

``fire_due_timers`` hands each timer to the room that owns its kind (a promise's reminder and
deadline to ``promises/deadlines.py``, a conversation's SLA warning and breach to
``sla/timers.py``) with the changes it causes, so a crash fires it again rather than half-way. A
timer whose firing raises has its savepoint undone and its failure written down: it is due again
after a backoff, and after a few tries it is set aside as a dead letter (the row leaves
``timers``; the letter keeps what is needed to set it again), so the timers behind it still fire.
It sits in the top room because it knows both rooms (ADR 0030): promises need not know SLA.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from heedful.core.dead_letters import DeadLetter, LetterKind, RetryPolicy, note_failure
from heedful.core.promises import fire_promise_timer
from heedful.core.shared.clock import Clock
from heedful.core.shared.timers import Timer, TimerKind
from heedful.core.sla import fire_sla_timer
from heedful.core.unit_of_work import UnitOfWork


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
    promise_id = fire_promise_timer(uow, timer, now)
    if promise_id is None:
        report.stale += 1
        return
    report.promise_ids.append(promise_id)
    if timer.kind is TimerKind.PROMISE_REMINDER:
        report.reminded += 1
    elif timer.kind is TimerKind.PROMISE_DEADLINE:
        report.broken += 1
