"""A clock that counts business time, stops while paused, and keeps what it has spent.

An SLA clock stops while a conversation waits on the customer. When a location changes its
hours or a policy changes its target, time already spent stays spent: the clock is carried over
(`carried_over`) at the change, and only what is left is counted in the new calendar.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from heedful.core.calendar.arithmetic import (
    add_business_time_with_pauses,
    business_time_between_with_pauses,
)
from heedful.core.calendar.model import BusinessCalendar
from heedful.core.shared.errors import Conflict, InvalidInput


@dataclass(frozen=True)
class ClockPause:
    started_at: datetime
    ended_at: datetime | None = None  # None while still paused


@dataclass(frozen=True)
class RunningClock:
    counting_since: datetime  # the start, or the last carry-over
    spent_before: timedelta = timedelta(0)  # business time spent before counting_since
    pauses: tuple[ClockPause, ...] = ()  # all at or after counting_since, in order

    @classmethod
    def start(cls, at: datetime) -> RunningClock:
        return cls(counting_since=_utc(at))

    @property
    def is_paused(self) -> bool:
        return bool(self.pauses) and self.pauses[-1].ended_at is None

    def pause(self, at: datetime) -> RunningClock:
        at = _utc(at)
        if self.is_paused:
            raise Conflict("The clock is already paused")
        self._check_in_order(at)
        return replace(self, pauses=(*self.pauses, ClockPause(at)))

    def resume(self, at: datetime) -> RunningClock:
        at = _utc(at)
        if not self.is_paused:
            raise Conflict("The clock is not paused")
        self._check_in_order(at)
        return replace(self, pauses=(*self.pauses[:-1], ClockPause(self.pauses[-1].started_at, at)))

    def spent(self, calendar: BusinessCalendar, until: datetime) -> timedelta:
        """Business time spent by `until`, pauses left out."""
        until = _utc(until)
        if until <= self.counting_since:
            return self.spent_before
        counted = business_time_between_with_pauses(
            calendar, self.counting_since, until, self._pauses_until(until)
        )
        return self.spent_before + counted

    def due(self, calendar: BusinessCalendar, target: timedelta) -> datetime | None:
        """When `target` business time will have been spent; None while paused (no deadline
        runs while we wait on the customer). A target already spent before the last carry-over
        is due at the carry-over: it is overdue, and we no longer know by how much."""
        if self.is_paused:
            return None
        remaining = max(target - self.spent_before, timedelta(0))
        return add_business_time_with_pauses(
            calendar, self.counting_since, remaining, self._pauses_until(None)
        )

    def carried_over(self, calendar: BusinessCalendar, at: datetime) -> RunningClock:
        """The same clock counted up to `at` in `calendar`, ready to count on in another one."""
        at = _utc(at)
        self._check_in_order(at)
        # A pause still running carries over from `at`.
        kept = (ClockPause(at),) if self.is_paused else ()
        return RunningClock(counting_since=at, spent_before=self.spent(calendar, at), pauses=kept)

    def _pauses_until(self, until: datetime | None) -> list[tuple[datetime, datetime]]:
        closed = []
        for pause in self.pauses:
            ended_at = pause.ended_at or until
            if ended_at is not None:
                closed.append((pause.started_at, ended_at))
        return closed

    def _check_in_order(self, at: datetime) -> None:
        latest = max(
            [self.counting_since, *(pause.ended_at or pause.started_at for pause in self.pauses)]
        )
        if at < latest:
            raise InvalidInput("Clock changes must come in order of time", field="at")


def _utc(at: datetime) -> datetime:
    if at.tzinfo is None:
        raise InvalidInput("Times must be aware (UTC)", field="at")
    return at.astimezone(UTC)
