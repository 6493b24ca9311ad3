"""SLA clocks that pause while the customer is asked, and keep what they spent across changes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from heedful.core.calendar import BusinessCalendar, RunningClock, weekly_hours
from heedful.core.shared.errors import Conflict, InvalidInput

HOUR = timedelta(hours=1)
BERLIN = ZoneInfo("Europe/Berlin")
OFFICE = BusinessCalendar("Europe/Berlin", weekly_hours({"mon-fri": "09:00-18:00"}), country="DE")
LONG_HOURS = BusinessCalendar("Europe/Berlin", weekly_hours({"mon-sat": "08:00-20:00"}))


def berlin(day: int, hour: int, minute: int = 0) -> datetime:
    """March 2026 in Berlin (the 23rd is a Monday), as a UTC instant."""
    return datetime(2026, 3, day, hour, minute, tzinfo=BERLIN).astimezone(UTC)


def test_a_resolution_clock_paused_overnight_is_due_when_eight_hours_are_spent() -> None:
    clock = RunningClock.start(berlin(23, 10)).pause(berlin(23, 12)).resume(berlin(24, 11))
    assert clock.due(OFFICE, 8 * HOUR) == berlin(24, 17)
    assert clock.spent(OFFICE, berlin(24, 12)) == 3 * HOUR


def test_a_paused_clock_has_no_deadline_and_does_not_spend() -> None:
    clock = RunningClock.start(berlin(23, 10)).pause(berlin(23, 12))
    assert clock.is_paused
    assert clock.due(OFFICE, 8 * HOUR) is None
    assert clock.spent(OFFICE, berlin(27, 17)) == 2 * HOUR


def test_time_spent_is_kept_when_the_calendar_changes() -> None:
    # Monday 10:00-16:00 in office hours: six hours spent. From 16:00 the location works
    # longer hours; only the two hours left are counted in them.
    clock = RunningClock.start(berlin(23, 10)).carried_over(OFFICE, berlin(23, 16))
    assert clock.spent(LONG_HOURS, berlin(23, 16)) == 6 * HOUR
    assert clock.due(LONG_HOURS, 8 * HOUR) == berlin(23, 18)
    assert clock.due(LONG_HOURS, 10 * HOUR) == berlin(23, 20)
    assert clock.due(OFFICE, 10 * HOUR) == berlin(24, 11)


def test_a_clock_paused_at_a_change_stays_paused_and_keeps_its_time() -> None:
    clock = RunningClock.start(berlin(23, 10)).pause(berlin(23, 12))
    moved = clock.carried_over(OFFICE, berlin(24, 9))
    assert moved.is_paused
    assert moved.spent(LONG_HOURS, berlin(25, 9)) == 2 * HOUR
    assert moved.resume(berlin(25, 8)).due(LONG_HOURS, 5 * HOUR) == berlin(25, 11)


def test_a_target_already_spent_before_the_change_is_due_at_the_change() -> None:
    clock = RunningClock.start(berlin(23, 9)).carried_over(OFFICE, berlin(23, 18))
    assert clock.due(LONG_HOURS, 4 * HOUR) == berlin(23, 18)


def test_pausing_twice_or_resuming_a_running_clock_is_refused() -> None:
    clock = RunningClock.start(berlin(23, 10))
    with pytest.raises(Conflict):
        clock.resume(berlin(23, 11))
    with pytest.raises(Conflict):
        clock.pause(berlin(23, 11)).pause(berlin(23, 12))


def test_clock_changes_must_come_in_order() -> None:
    clock = RunningClock.start(berlin(23, 10)).pause(berlin(23, 12))
    with pytest.raises(InvalidInput):
        clock.resume(berlin(23, 11))
    with pytest.raises(InvalidInput):
        RunningClock.start(datetime(2026, 3, 23, 10))  # noqa: DTZ001 - the naive time is the point
