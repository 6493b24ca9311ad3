"""What happens to a thread's clocks when the customer writes, staff answer or the status changes.

Called by the conversation use cases inside their unit of work. Every clock change re-sets the
clock's durable timers (a warning before, the breach at its due time) and the thread's copy of
its next due time, so the inbox and the timer scan stay in step with the clocks.
"""

from __future__ import annotations

from datetime import datetime
from typing import Generic, Protocol, TypeVar

from heedful.core.access import SYSTEM
from heedful.core.calendar import BusinessCalendar, CalendarDayRepository, Calendars
from heedful.core.promises import (
    Evidence,
    EvidenceKind,
    Promise,
    PromiseKind,
    PromiseRepository,
    PromiseState,
    TaskRepository,
    TimerRepository,
)
from heedful.core.shared.ids import new_id
from heedful.core.shared.phrases import Phrase
from heedful.core.shared.timers import Timer, TimerKind
from heedful.core.sla.kinds import Channel, Priority, ThreadStatus
from heedful.core.sla.model import ClockKind, ClockState, SlaClock, SlaPolicy, policy_for
from heedful.core.sla.ports import SlaClockRepository, SlaPolicyRepository
from heedful.core.staff import LocationRepository

RESPONSES = (ClockKind.FIRST_RESPONSE, ClockKind.NEXT_RESPONSE)
SLA_TIMERS = (TimerKind.SLA_WARNING, TimerKind.SLA_BREACH)


class Thread(Protocol):
    """What the clocks read and write of a conversation (``conversations.model.Thread``): the SLA
    room sits below conversations, so it names the thread by these attributes only (ADR 0030)."""

    @property
    def id(self) -> str: ...
    @property
    def customer_id(self) -> str: ...
    @property
    def location_id(self) -> str: ...
    @property
    def channel(self) -> Channel: ...
    @property
    def priority(self) -> Priority: ...
    @property
    def segment(self) -> str: ...
    @property
    def subject(self) -> str: ...
    @property
    def assignee_id(self) -> str | None: ...
    @property
    def sender_verified(self) -> bool: ...

    status: ThreadStatus
    resolved_at: datetime | None
    updated_at: datetime
    awaiting_reply_since: datetime | None
    reply_promise_id: str | None
    next_due_at: datetime | None
    next_due_kind: ClockKind | None
    warned: bool
    breached: bool


T = TypeVar("T", bound=Thread)


class Threads(Protocol[T]):
    def get(self, thread_id: str, *, for_change: bool = False) -> T | None: ...
    def update(self, thread: T) -> None: ...


class TimersWork(Protocol):
    @property
    def timers(self) -> TimerRepository: ...


class ClockWork(TimersWork, Protocol[T]):
    """The part of the unit of work a thread's clocks use (ADR 0030), the thread's type left to
    the conversations room that stores it."""

    @property
    def threads(self) -> Threads[T]: ...
    @property
    def sla_clocks(self) -> SlaClockRepository: ...
    @property
    def sla_policies(self) -> SlaPolicyRepository: ...
    @property
    def promises(self) -> PromiseRepository: ...
    @property
    def tasks(self) -> TaskRepository: ...
    @property
    def locations(self) -> LocationRepository: ...
    @property
    def calendar_days(self) -> CalendarDayRepository: ...


class ThreadClocks(Generic[T]):
    """The clocks of one thread within one unit of work."""

    def __init__(self, uow: ClockWork[T], thread: T, calendars: Calendars | None = None) -> None:
        self.uow, self.thread = uow, thread
        self.calendars = calendars or Calendars(uow)
        self.clocks = uow.sla_clocks.for_thread(thread.id)

    @property
    def calendar(self) -> BusinessCalendar:
        return self.calendars.of(self.thread.location_id)

    def policy(self) -> SlaPolicy | None:
        policies = self.uow.sla_policies.list(active_only=True)
        return policy_for(policies, self.thread.channel, self.thread.priority, self.thread.segment)

    def counting(self, *kinds: ClockKind) -> list[SlaClock]:
        return [c for c in self.clocks if c.state.is_counting and (not kinds or c.kind in kinds)]

    def unanswered(self, *kinds: ClockKind) -> list[SlaClock]:
        """Clocks not met yet: counting ones and those breached and still waiting for an answer."""
        return [
            c
            for c in self.clocks
            if c.met_at is None
            and (c.state.is_counting or c.state is ClockState.BREACHED)
            and (not kinds or c.kind in kinds)
        ]

    # -- what happens -----------------------------------------------------------------------

    def customer_wrote(self, at: datetime) -> None:
        thread = self.thread
        if thread.status is ThreadStatus.WAITING_ON_CUSTOMER:
            thread.status = ThreadStatus.OPEN
            self._resume(at)
        elif thread.status is ThreadStatus.RESOLVED:
            thread.status, thread.resolved_at = ThreadStatus.OPEN, None
            self._start(ClockKind.RESOLUTION, at)
        if thread.awaiting_reply_since is None:
            thread.awaiting_reply_since = at
        if not any(c.kind is ClockKind.FIRST_RESPONSE for c in self.clocks):
            first = self._start(ClockKind.FIRST_RESPONSE, at)
            # An unverified sender (core/conversations/senders.py) gets its clock, not a promise.
            if first is not None and self.thread.sender_verified:
                self._promise_reply(first, at)
            if not self.unanswered(ClockKind.RESOLUTION):
                self._start(ClockKind.RESOLUTION, at)
        elif not self.unanswered(*RESPONSES):
            # The first customer message since our last answer starts the next-response clock;
            # her further messages do not move it: it counts from the oldest one unanswered.
            self._start(ClockKind.NEXT_RESPONSE, at)
        self.save(at)

    def staff_answered(self, at: datetime, by: str, ref: str) -> None:
        self.thread.awaiting_reply_since = None
        for clock in self.unanswered(*RESPONSES):
            self._meet(clock, at)
            if clock.kind is ClockKind.FIRST_RESPONSE:
                self._keep_promise(at, by, ref)
        self.save(at)

    def sender_verified(self, at: datetime) -> None:
        """The sender was verified or accepted: the first reply still owed becomes a promise."""
        if self.thread.reply_promise_id is not None:
            return
        first = next(iter(self.unanswered(ClockKind.FIRST_RESPONSE)), None)
        if first is not None:
            self._promise_reply(first, at)
            self.save(at)

    def status_changed(self, old: ThreadStatus, new: ThreadStatus, at: datetime, by: str) -> None:
        if new is ThreadStatus.WAITING_ON_CUSTOMER:
            for clock in self.counting():
                clock.pause(self.calendar, at)
                set_timers(self.uow, clock)
            self._promise_paused(at)
        elif new is ThreadStatus.OPEN and old is ThreadStatus.WAITING_ON_CUSTOMER:
            self._resume(at)
        elif new is ThreadStatus.OPEN and old is ThreadStatus.RESOLVED:
            self._start(ClockKind.RESOLUTION, at)
        elif new is ThreadStatus.RESOLVED:
            self.thread.awaiting_reply_since = None
            # Resolving answers whatever was pending: a spam thread closed unanswered stops its
            # clocks here rather than breaching overnight.
            for clock in self.unanswered():
                self._meet(clock, at)
            self._cancel_promise_if_unanswered(at, by)
        self.save(at)

    def retarget(self, at: datetime) -> None:
        """The priority or the policy changed: new targets, the time spent kept."""
        policy = self.policy()
        if policy is None:
            return
        for clock in self.counting():
            target = policy.target(clock.kind)
            if target is not None:
                clock.policy_id = policy.id
                clock.retarget(self.calendar, at, target, policy.warning_minutes)
                set_timers(self.uow, clock)
        self._promise_follows(at)
        self.save(at)

    def hours_changed(self, old_calendar: BusinessCalendar, at: datetime) -> None:
        for clock in self.counting():
            clock.carry_over(old_calendar, at)
            clock.reschedule(self.calendar)
            set_timers(self.uow, clock)
        self._promise_follows(at)
        self.save(at)

    # -- bookkeeping --------------------------------------------------------------------------

    def save(self, at: datetime) -> None:
        for clock in self.clocks:
            self.uow.sla_clocks.update(clock)
        self.refresh_thread()
        self.thread.updated_at = max(self.thread.updated_at, at)
        self.uow.threads.update(self.thread)

    def refresh_thread(self) -> None:
        due = [c for c in self.unanswered() if c.due_at is not None and c.paused_at is None]
        first = min(due, key=lambda c: c.due_at or c.started_at, default=None)
        self.thread.next_due_at = first.due_at if first else None
        self.thread.next_due_kind = first.kind if first else None
        self.thread.warned = any(
            c.warned_at is not None and c.state is ClockState.RUNNING for c in self.clocks
        )
        self.thread.breached = self.thread.breached or any(
            c.state is ClockState.BREACHED for c in self.clocks
        )

    def _start(self, kind: ClockKind, at: datetime) -> SlaClock | None:
        policy = self.policy()
        if policy is None or policy.target(kind) is None:
            return None
        clock = SlaClock.start(
            id=new_id("clk_"),
            thread_id=self.thread.id,
            location_id=self.thread.location_id,
            kind=kind,
            policy=policy,
            at=at,
            calendar=self.calendar,
        )
        if self.thread.status is ThreadStatus.WAITING_ON_CUSTOMER:
            clock.pause(self.calendar, at)
        self.uow.sla_clocks.add(clock)
        self.clocks.append(clock)
        set_timers(self.uow, clock)
        return clock

    def _resume(self, at: datetime) -> None:
        for clock in self.counting():
            clock.resume(self.calendar, at)
            set_timers(self.uow, clock)
        self._promise_follows(at)

    def _meet(self, clock: SlaClock, at: datetime) -> None:
        clock.meet(self.calendar, at)
        self.uow.timers.cancel(clock.id, SLA_TIMERS)
        if clock.warning_task_id:
            task = self.uow.tasks.get(clock.warning_task_id)
            if task is not None and task.is_open:
                task.complete(at, "answered")
                self.uow.tasks.update(task)

    # -- the reply-by promise -----------------------------------------------------------------

    def _promise_reply(self, clock: SlaClock, at: datetime) -> None:
        thread = self.thread
        said = Phrase("promise.reply_to", {"subject": thread.subject})
        promise = Promise(
            id=new_id("prm_"),
            customer_id=thread.customer_id,
            location_id=thread.location_id,
            kind=PromiseKind.REPLY_BY,
            text=said.english()[:1000],
            text_phrase=said,
            made_by=SYSTEM.id,
            made_by_label=SYSTEM.label,
            made_at=at,
            due_at=clock.due_at,
            owner_id=thread.assignee_id,
            reference=thread.id,
            due_in_business_minutes=clock.target_minutes,
        )
        promise.note(Evidence(at, EvidenceKind.MADE, promise.text, SYSTEM.label, thread.id))
        # No promise timers: the clock's own timers remind and break it, once, in business time.
        self.uow.promises.add(promise)
        thread.reply_promise_id = promise.id

    def _reply_promise(self) -> Promise | None:
        if self.thread.reply_promise_id is None:
            return None
        return self.uow.promises.get(self.thread.reply_promise_id, for_change=True)

    def _promise_follows(self, at: datetime) -> None:
        promise = self._reply_promise()
        first = next(iter(self.counting(ClockKind.FIRST_RESPONSE)), None)
        if promise is None or first is None or not promise.is_open:
            return
        if promise.due_at != first.due_at:
            promise.due_at = first.due_at
            note = f"due {first.due_at:%Y-%m-%d %H:%M} UTC" if first.due_at else "paused"
            promise.note(Evidence(at, EvidenceKind.STATE_CHANGED, note, SYSTEM.label))
            self.uow.promises.update(promise)

    def _promise_paused(self, at: datetime) -> None:
        # While we wait on the customer no deadline runs; the promise shows no due time then.
        self._promise_follows(at)

    def _keep_promise(self, at: datetime, by: str, ref: str) -> None:
        promise = self._reply_promise()
        if promise is None or (promise.state.is_final and promise.state is not PromiseState.BROKEN):
            return
        promise.keep(at, by, "replied", ref)
        self.uow.promises.update(promise)
        for task in self.uow.tasks.open_for_promise(promise.id):
            task.complete(at, f"{by} (replied)")
            self.uow.tasks.update(task)

    def _cancel_promise_if_unanswered(self, at: datetime, by: str) -> None:
        promise = self._reply_promise()
        if promise is not None and promise.is_open:
            promise.cancel(at, by, "resolved without a reply")
            self.uow.promises.update(promise)


def set_timers(uow: TimersWork, clock: SlaClock) -> None:
    """The clock's warning and breach timers, replacing any it had (none while paused)."""
    uow.timers.cancel(clock.id, SLA_TIMERS)
    if clock.state is not ClockState.RUNNING or clock.due_at is None:
        return
    if clock.warn_at is not None and clock.warned_at is None and clock.warn_at < clock.due_at:
        uow.timers.set(Timer(new_id("tmr_"), TimerKind.SLA_WARNING, clock.id, clock.warn_at))
    uow.timers.set(Timer(new_id("tmr_"), TimerKind.SLA_BREACH, clock.id, clock.due_at))
