"""Which periods the daily recompute stores, and when it runs next: on the locations' clocks."""

from __future__ import annotations

from datetime import UTC, datetime

from heedful.core.feedback.recompute import completed_periods, next_run


def _utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def test_last_week_and_last_month_are_the_completed_ones_on_kyiv_s_clock() -> None:
    # Monday 2 March 2026, 00:30 in Kyiv (22:30 UTC on Sunday): the week of 23 February is over.
    [week, month] = completed_periods(_utc(2026, 3, 1, 22, 30), "Europe/Kyiv", 1, 1)
    assert week == (_utc(2026, 2, 22, 22), _utc(2026, 3, 1, 22))
    assert month == (_utc(2026, 1, 31, 22), _utc(2026, 2, 28, 22))


def test_in_utc_that_same_instant_is_still_sunday_so_the_week_before_is_the_last_complete() -> None:
    [week] = completed_periods(_utc(2026, 3, 1, 22, 30), "UTC", 1, 0)
    assert week == (_utc(2026, 2, 16), _utc(2026, 2, 23))


def test_a_week_across_the_clock_change_is_an_hour_short_and_months_wrap_the_year() -> None:
    # Summer time began on Sunday 29 March 2026 in Kyiv: that week lasts 167 hours.
    periods = completed_periods(_utc(2026, 3, 31, 12), "Europe/Kyiv", 2, 0)
    assert periods[-1] == (_utc(2026, 3, 22, 22), _utc(2026, 3, 29, 21))
    months = completed_periods(_utc(2026, 2, 10), "UTC", 0, 3)
    assert [start.month for start, _ in months] == [11, 12, 1]
    assert months[0][0] == _utc(2025, 11, 1)


def test_the_next_run_is_the_next_01_00_utc() -> None:
    assert next_run(_utc(2026, 3, 9, 0, 59)) == _utc(2026, 3, 9, 1)
    assert next_run(_utc(2026, 3, 9, 1, 0)) == _utc(2026, 3, 10, 1)
    assert next_run(_utc(2026, 3, 9, 23, 0)) == _utc(2026, 3, 10, 1)
