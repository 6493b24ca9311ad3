"""An SLA clock's timers firing: warn the owner before the due time, tell the manager at it.

Fired by the worker's timer job (core/engine/timers.fire_due_timers hands ``sla.*`` timers
here) in the transaction that removes the timer, so a crash fires it again, never half-way.
"""

from __future__ import annotations

from datetime import datetime

from heedful.core.access import SYSTEM, Role
from heedful.core.promises import Evidence, EvidenceKind
from heedful.core.shared.ids import new_id
from heedful.core.shared.phrases import Phrase
from heedful.core.shared.timers import Timer, TimerKind
from heedful.core.sla.clocks import T, Thread, ThreadClocks
from heedful.core.sla.model import ClockKind, ClockState, SlaClock
from heedful.core.tasks import Task, TaskKind, reminder
from heedful.core.unit_of_work import UnitOfWork

_WHAT = {
    ClockKind.FIRST_RESPONSE: Phrase("sla.first_response"),
    ClockKind.NEXT_RESPONSE: Phrase("sla.next_response"),
    ClockKind.RESOLUTION: Phrase("sla.resolution"),
}


def _about(thread: Thread) -> Phrase:
    return Phrase("task.about_conversation", {"id": thread.id})


def fire_sla_timer(uow: UnitOfWork, timer: Timer, now: datetime) -> bool:
    """True when the timer acted; False when the clock had moved on (met, paused, rescheduled)."""
    clock = uow.sla_clocks.get(timer.subject_id, for_change=True)
    if clock is None or clock.state is not ClockState.RUNNING or clock.due_at is None:
        return False
    thread = uow.threads.get(clock.thread_id, for_change=True)
    if thread is None:
        return False
    clocks = ThreadClocks(uow, thread)
    clock = next(c for c in clocks.clocks if c.id == clock.id)
    what, due_at = _WHAT[clock.kind], clock.due_at
    if due_at is None:
        return False
    if timer.kind is TimerKind.SLA_WARNING:
        if clock.warned_at is not None or clock.warn_at is None or clock.warn_at > now:
            return False
        if not thread.sender_verified:
            # The inbox still shows "near breach", but nobody is paged for an unverified sender
            # (ADR 0029); whoever accepts her is looking at the thread already.
            clock.warned_at = now
            clocks.save(now)
            return True
        task = reminder(
            TaskKind.SLA_WARNING,
            Phrase("task.answer_soon", {"what": what, "subject": thread.subject}),
            thread.location_id,
            now,
            customer_id=thread.customer_id,
            promise_id=thread.reply_promise_id if clock.kind is ClockKind.FIRST_RESPONSE else None,
            holder_id=thread.assignee_id,
            due_at=due_at,
            note=_about(thread),
        )
        uow.tasks.add(task)
        clock.warned_at, clock.warning_task_id = now, task.id
    else:
        if due_at > now:
            return False
        clock.breach(now)
        # The clock breaches either way (the customer's wait is on record), but a manager is
        # told only of a verified sender's; an accepted one's breach is told at acceptance.
        if thread.sender_verified:
            uow.tasks.add(_breach_task(thread, clock, now))
        if clock.kind is ClockKind.FIRST_RESPONSE:
            _break_reply_promise(uow, thread.reply_promise_id, now)
        uow.timers.cancel(clock.id, (TimerKind.SLA_WARNING,))
    clocks.save(now)
    return True


def _breach_task(thread: Thread, clock: SlaClock, now: datetime) -> Task:
    title = Phrase("task.sla_breached", {"what": _WHAT[clock.kind], "subject": thread.subject})
    return Task(
        id=new_id("tsk_"),
        kind=TaskKind.SLA_BREACH,
        title=title.english(),
        title_phrase=title,
        location_id=thread.location_id,
        created_at=now,
        created_by_label=SYSTEM.label,
        customer_id=thread.customer_id,
        assignee_role=Role.MANAGER,
        note=_about(thread).english(),
        note_phrase=_about(thread),
    )


def tell_breaches_on_acceptance(uow: UnitOfWork, clocks: ThreadClocks[T], now: datetime) -> None:
    """The sender was verified or accepted: a breach she already suffered, still unanswered,
    makes the manager's task now, as it would have at its due time (the customer did wait).

    A thread verified, then made unverified by a stranger's e-mail, then verified again may have
    told its manager already: an open breach task for the thread is not made twice.
    """
    breached = [c for c in clocks.unanswered() if c.state is ClockState.BREACHED]
    if not breached:
        return
    thread = clocks.thread
    told = any(
        task.kind is TaskKind.SLA_BREACH and task.is_open and task.note == _about(thread).english()
        for task in uow.tasks.list_for_customer(thread.customer_id, 200)
    )
    if not told:
        for clock in breached:
            uow.tasks.add(_breach_task(thread, clock, now))


def _break_reply_promise(uow: UnitOfWork, promise_id: str | None, now: datetime) -> None:
    promise = uow.promises.get(promise_id, for_change=True) if promise_id else None
    if promise is None or not promise.is_open:
        return
    promise.note(Evidence(now, EvidenceKind.DEADLINE_PASSED, "no reply in time", SYSTEM.label))
    promise.break_(now, SYSTEM.label, "the first reply was not sent in time")
    uow.promises.update(promise)
