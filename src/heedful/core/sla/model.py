"""SLA policies and the clocks they start on a thread.

A policy says, per channel, priority and customer segment, how many business minutes a first
response, each next response and the resolution may take. A clock counts one of them for one
thread in the business time of the thread's location: it runs, pauses while the thread waits on
the customer, and ends met or breached. Time already spent stays spent when the policy or the
calendar changes: the clock is carried over (core/calendar RunningClock) and only what is left is
counted anew.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from heedful.core.calendar import BusinessCalendar, ClockPause, RunningClock
from heedful.core.shared.errors import Conflict, InvalidInput
from heedful.core.shared.phrases import Phrase
from heedful.core.shared.text import refuse_hidden_characters
from heedful.core.sla.kinds import Channel, Priority

MAX_TARGET_MINUTES = 60 * 24 * 365  # a year of business minutes: anything longer is a typo
MAX_NAME = 200


class ClockKind(StrEnum):
    FIRST_RESPONSE = "first_response"
    NEXT_RESPONSE = "next_response"  # from the oldest customer message not yet answered
    RESOLUTION = "resolution"


class ClockState(StrEnum):
    RUNNING = "running"
    PAUSED = "paused"  # the thread waits on the customer
    MET = "met"
    BREACHED = "breached"  # the due time passed first; met_at still records the late answer

    @property
    def is_counting(self) -> bool:
        return self in (ClockState.RUNNING, ClockState.PAUSED)


@dataclass
class SlaPolicy:
    id: str
    name: str
    created_at: datetime
    updated_at: datetime
    channel: Channel | None = None  # None: any
    priority: Priority | None = None
    segment: str | None = None
    first_response_minutes: int | None = None  # None: this policy starts no such clock
    next_response_minutes: int | None = None
    resolution_minutes: int | None = None
    # Warned this many wall-clock minutes before the due time: what an agent can plan with.
    warning_minutes: int = 30
    active: bool = True

    def __post_init__(self) -> None:
        refuse_hidden_characters(self.name, field="name")
        if not self.name.strip() or len(self.name) > MAX_NAME:
            raise InvalidInput(
                f"a policy has a name of 1 to {MAX_NAME} characters",
                said=Phrase("refusal.name_required"),
                field="name",
            )
        for kind in ClockKind:
            minutes = self.target(kind)
            if minutes is not None and not 0 < minutes <= MAX_TARGET_MINUTES:
                raise InvalidInput(
                    f"a target is 1 to {MAX_TARGET_MINUTES} business minutes",
                    said=Phrase("refusal.target_minutes"),
                    field=f"{kind.value}_minutes",
                )
        if not 0 <= self.warning_minutes <= MAX_TARGET_MINUTES:
            raise InvalidInput("the warning lead is 0 or more minutes", field="warning_minutes")
        if all(self.target(kind) is None for kind in ClockKind):
            raise InvalidInput(
                "give at least one target: first response, next response or resolution",
                field="first_response_minutes",
            )

    def target(self, kind: ClockKind) -> int | None:
        return {
            ClockKind.FIRST_RESPONSE: self.first_response_minutes,
            ClockKind.NEXT_RESPONSE: self.next_response_minutes,
            ClockKind.RESOLUTION: self.resolution_minutes,
        }[kind]

    def matches(self, channel: Channel, priority: Priority, segment: str) -> bool:
        return (
            self.active
            and self.channel in (None, channel)
            and self.priority in (None, priority)
            and self.segment in (None, segment)
        )

    @property
    def specificity(self) -> int:
        return sum(value is not None for value in (self.channel, self.priority, self.segment))


def policy_for(
    policies: list[SlaPolicy], channel: Channel, priority: Priority, segment: str
) -> SlaPolicy | None:
    """The most specific active policy that fits; the newest among equals."""
    fitting = [p for p in policies if p.matches(channel, priority, segment)]
    if not fitting:
        return None
    return max(fitting, key=lambda p: (p.specificity, p.updated_at, p.id))


@dataclass
class SlaClock:
    id: str
    thread_id: str
    location_id: str
    kind: ClockKind
    policy_id: str
    target_minutes: int
    warning_minutes: int
    state: ClockState
    started_at: datetime
    counting_since: datetime  # RunningClock.counting_since: the start or the last carry-over
    spent_before: timedelta = timedelta(0)  # business time spent before counting_since
    paused_at: datetime | None = None
    due_at: datetime | None = None
    warn_at: datetime | None = None
    warned_at: datetime | None = None
    breached_at: datetime | None = None
    met_at: datetime | None = None
    spent: timedelta | None = None  # business time from start to met or stop
    warning_task_id: str | None = None  # done by itself once the clock is met: no stale nagging

    @classmethod
    def start(
        cls,
        *,
        id: str,
        thread_id: str,
        location_id: str,
        kind: ClockKind,
        policy: SlaPolicy,
        at: datetime,
        calendar: BusinessCalendar,
    ) -> SlaClock:
        target = policy.target(kind)
        if target is None:
            raise InvalidInput(f"the policy has no {kind.value} target", field="policy_id")
        clock = cls(
            id=id,
            thread_id=thread_id,
            location_id=location_id,
            kind=kind,
            policy_id=policy.id,
            target_minutes=target,
            warning_minutes=policy.warning_minutes,
            state=ClockState.RUNNING,
            started_at=at,
            counting_since=at,
        )
        clock.reschedule(calendar)
        return clock

    def running_clock(self) -> RunningClock:
        pauses = (ClockPause(self.paused_at),) if self.paused_at is not None else ()
        return RunningClock(self.counting_since, self.spent_before, pauses)

    def _take(self, running: RunningClock) -> None:
        self.counting_since, self.spent_before = running.counting_since, running.spent_before
        self.paused_at = running.pauses[-1].started_at if running.is_paused else None

    @property
    def target(self) -> timedelta:
        return timedelta(minutes=self.target_minutes)

    def reschedule(self, calendar: BusinessCalendar) -> None:
        """Due and warning times from what is left, in this calendar (None while paused)."""
        if not self.state.is_counting and self.state is not ClockState.BREACHED:
            self.due_at = self.warn_at = None
            return
        if self.state is ClockState.BREACHED:
            return  # already past due: the due time is history, and no warning comes now
        self.due_at = self.running_clock().due(calendar, self.target)
        lead = timedelta(minutes=self.warning_minutes)
        self.warn_at = None if self.due_at is None or not lead else self.due_at - lead

    def spent_by(self, calendar: BusinessCalendar, at: datetime) -> timedelta:
        if self.spent is not None:
            return self.spent
        return self.running_clock().spent(calendar, at)

    def pause(self, calendar: BusinessCalendar, at: datetime) -> None:
        if self.state is not ClockState.RUNNING:
            return  # a met, breached or paused clock has nothing to pause
        # Carried over at the pause, so the stored clock is (since, spent, paused_at) and no
        # list of pauses grows with a long back-and-forth.
        self._take(self.running_clock().carried_over(calendar, at).pause(at))
        self.state = ClockState.PAUSED
        self.reschedule(calendar)

    def resume(self, calendar: BusinessCalendar, at: datetime) -> None:
        if self.state is not ClockState.PAUSED:
            return
        self._take(self.running_clock().resume(at).carried_over(calendar, at))
        self.state = ClockState.RUNNING
        self.reschedule(calendar)

    def retarget(
        self, calendar: BusinessCalendar, at: datetime, target_minutes: int, warning_minutes: int
    ) -> None:
        """A new target from a changed policy or priority: what was spent stays spent."""
        if not self.state.is_counting:
            return
        self._take(self.running_clock().carried_over(calendar, at))
        self.target_minutes, self.warning_minutes = target_minutes, warning_minutes
        self.reschedule(calendar)

    def carry_over(self, old_calendar: BusinessCalendar, at: datetime) -> None:
        """Before the location's hours change: count what was spent in the hours it had."""
        if self.state.is_counting:
            self._take(self.running_clock().carried_over(old_calendar, at))

    def meet(self, calendar: BusinessCalendar, at: datetime) -> None:
        if self.state in (ClockState.MET,) or self.met_at is not None:
            raise Conflict("this clock is already met", field="state")
        self.spent = self.running_clock().spent(calendar, at)
        self.met_at = at
        if self.state is not ClockState.BREACHED:
            self.state = ClockState.MET
        self.paused_at = None
        self.due_at = self.warn_at = None

    def breach(self, at: datetime) -> None:
        if self.state is not ClockState.RUNNING:
            raise Conflict(f"a {self.state.value} clock cannot breach", field="state")
        self.state, self.breached_at = ClockState.BREACHED, at

    @property
    def is_stopped(self) -> bool:
        return self.met_at is not None


@dataclass(frozen=True)
class ClockFact:
    """A clock that ended (met or breached) in a reporting window: the responsiveness report's."""

    kind: ClockKind
    channel: Channel
    priority: Priority
    location_id: str
    team_id: str | None
    assignee_id: str | None
    started_at: datetime
    met_at: datetime | None  # None: breached and still unanswered
    spent: timedelta | None  # business time to the answer
    breached: bool
    breached_at: datetime | None = None
