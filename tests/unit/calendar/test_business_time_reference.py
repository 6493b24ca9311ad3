"""Due instants of the reference cases, asserted as UTC instants, and their edges."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from heedful.core.calendar import (
    BusinessCalendar,
    NeverOpens,
    add_business_time,
    add_business_time_with_pauses,
    business_time_between,
    is_open,
    next_opening,
    override,
    weekly_hours,
)

HOUR = timedelta(hours=1)


def local(zone: str, year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """A wall-clock time in `zone`, as the UTC instant the arithmetic takes."""
    return datetime(year, month, day, hour, minute, tzinfo=ZoneInfo(zone)).astimezone(UTC)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


BERLIN_OFFICE = BusinessCalendar(
    "Europe/Berlin", weekly_hours({"mon-fri": "09:00-18:00"}), country="DE"
)
BERLIN_NIGHTS = BusinessCalendar("Europe/Berlin", weekly_hours({"mon-fri": "20:00-02:00"}))
BERLIN_SPLIT = BusinessCalendar(
    "Europe/Berlin", weekly_hours({"mon-fri": ["09:00-13:00", "14:00-18:00"]}), country="DE"
)
BERLIN_CLOSED_WEDNESDAY = BusinessCalendar(
    "Europe/Berlin",
    weekly_hours({"mon-fri": "09:00-18:00"}),
    overrides=(override(date(2026, 3, 25), reason="stocktaking"),),
)
MOSCOW_OFFICE = BusinessCalendar(
    "Europe/Moscow", weekly_hours({"mon-fri": "09:00-18:00"}), country="RU"
)
KYIV_OFFICE = BusinessCalendar(
    "Europe/Kyiv", weekly_hours({"mon-fri": "09:00-18:00"}), country="UA"
)
BERLIN_ROUND_THE_CLOCK = BusinessCalendar("Europe/Berlin", weekly_hours({"mon-sun": "00:00-24:00"}))


@dataclass(frozen=True)
class Case:
    name: str
    calendar: BusinessCalendar
    start: datetime
    duration: timedelta
    due: datetime
    pauses: Sequence[tuple[datetime, datetime]] = ()


CASES = [
    Case(
        "Easter: Good Friday and Easter Monday are closed",
        BERLIN_OFFICE,
        local("Europe/Berlin", 2026, 4, 2, 17),
        2 * HOUR,
        utc(2026, 4, 7, 8),  # Tue 10:00 CEST
    ),
    Case(
        "Saturday: the clock starts at Monday's opening, after the change to summer time",
        BERLIN_OFFICE,
        local("Europe/Berlin", 2026, 3, 28, 11),
        2 * HOUR,
        utc(2026, 3, 30, 9),  # Mon 11:00 CEST
    ),
    Case(
        "Friday afternoon: due at Friday's closing, not Monday",
        BERLIN_OFFICE,
        local("Europe/Berlin", 2026, 3, 27, 16),
        2 * HOUR,
        utc(2026, 3, 27, 17),  # Fri 18:00 CET
    ),
    Case(
        "Nights: Friday's hours run into Saturday, then Monday night",
        BERLIN_NIGHTS,
        local("Europe/Berlin", 2026, 3, 20, 23, 30),
        3 * HOUR,
        utc(2026, 3, 23, 19, 30),  # Mon 20:30 CET
    ),
    Case(
        "A resolution clock paused from Monday noon to Tuesday 11:00",
        BERLIN_OFFICE,
        local("Europe/Berlin", 2026, 3, 23, 10),
        8 * HOUR,
        utc(2026, 3, 24, 16),  # Tue 17:00 CET
        pauses=(
            (local("Europe/Berlin", 2026, 3, 23, 12), local("Europe/Berlin", 2026, 3, 24, 11)),
        ),
    ),
    Case(
        "Russia: Saturday 1 November 2025 is a working day moved from Monday 3 November",
        MOSCOW_OFFICE,
        local("Europe/Moscow", 2025, 10, 31, 17),
        2 * HOUR,
        utc(2025, 11, 1, 7),  # Sat 10:00 MSK
    ),
    Case(
        "Russia: after the moved Saturday, Monday is off and Tuesday is Unity Day",
        MOSCOW_OFFICE,
        local("Europe/Moscow", 2025, 10, 31, 17),
        11 * HOUR,
        utc(2025, 11, 5, 7),  # Wed 10:00 MSK
    ),
    Case(
        "Split shift: the lunch hour does not count",
        BERLIN_SPLIT,
        local("Europe/Berlin", 2026, 3, 23, 12),
        3 * HOUR,
        utc(2026, 3, 23, 15),  # Mon 16:00 CET
    ),
    Case(
        "Closed for stocktaking on Wednesday",
        BERLIN_CLOSED_WEDNESDAY,
        local("Europe/Berlin", 2026, 3, 24, 17),
        2 * HOUR,
        utc(2026, 3, 26, 9),  # Thu 10:00 CET
    ),
    Case(
        "Moscow keeps its offset in autumn",
        MOSCOW_OFFICE,
        local("Europe/Moscow", 2026, 10, 23, 17),
        2 * HOUR,
        utc(2026, 10, 26, 7),  # Mon 10:00 MSK
    ),
    Case(
        "Kyiv leaves summer time on Sunday: Monday 10:00 is an hour later in UTC than Friday's",
        KYIV_OFFICE,
        local("Europe/Kyiv", 2026, 10, 23, 17),
        2 * HOUR,
        utc(2026, 10, 26, 8),  # Mon 10:00 EET
    ),
    Case(
        "Round the clock: elapsed time, across the change to summer time",
        BERLIN_ROUND_THE_CLOCK,
        local("Europe/Berlin", 2026, 3, 28, 12),
        50 * HOUR,
        utc(2026, 3, 30, 13),
    ),
    Case(
        "Zero: due at the start, even when closed",
        BERLIN_OFFICE,
        local("Europe/Berlin", 2026, 3, 28, 11),
        timedelta(0),
        utc(2026, 3, 28, 10),
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_due_instants_of_the_reference_cases(case: Case) -> None:
    due = add_business_time_with_pauses(case.calendar, case.start, case.duration, case.pauses)
    assert due == case.due
    if not case.pauses:
        assert add_business_time(case.calendar, case.start, case.duration) == case.due
        assert business_time_between(case.calendar, case.start, due) == case.duration


def test_the_hour_repeated_in_autumn_counts_twice_where_clocks_go_back() -> None:
    small_hours = {"sun": "02:00-05:00"}
    kyiv = BusinessCalendar("Europe/Kyiv", weekly_hours(small_hours))
    moscow = BusinessCalendar("Europe/Moscow", weekly_hours(small_hours))
    assert business_time_between(kyiv, utc(2026, 10, 24), utc(2026, 10, 26)) == 4 * HOUR
    assert business_time_between(moscow, utc(2026, 10, 24), utc(2026, 10, 26)) == 3 * HOUR


def test_the_hour_skipped_in_spring_is_absent() -> None:
    kyiv = BusinessCalendar("Europe/Kyiv", weekly_hours({"sun": "02:00-05:00"}))
    assert business_time_between(kyiv, utc(2026, 3, 28), utc(2026, 3, 30)) == 2 * HOUR
    assert add_business_time(kyiv, utc(2026, 3, 28), 90 * timedelta(minutes=1)) == local(
        "Europe/Kyiv", 2026, 3, 29, 4, 30
    )


def test_a_round_the_clock_day_lasts_as_long_as_the_local_day() -> None:
    def day_length(zone: str, day: date) -> timedelta:
        calendar = BusinessCalendar(zone, weekly_hours({"mon-sun": "00:00-24:00"}))
        after = day + timedelta(days=1)
        return business_time_between(
            calendar,
            local(zone, day.year, day.month, day.day),
            local(zone, after.year, after.month, after.day),
        )

    assert day_length("Europe/Kyiv", date(2026, 10, 25)) == 25 * HOUR
    assert day_length("Europe/Kyiv", date(2026, 3, 29)) == 23 * HOUR
    assert day_length("Europe/Moscow", date(2026, 10, 25)) == 24 * HOUR
    assert day_length("Europe/Moscow", date(2026, 3, 29)) == 24 * HOUR


def test_opening_and_closing_instants() -> None:
    friday_evening = local("Europe/Berlin", 2026, 3, 27, 18)
    assert not is_open(BERLIN_OFFICE, friday_evening)
    assert is_open(BERLIN_OFFICE, friday_evening - timedelta(seconds=1))
    assert next_opening(BERLIN_OFFICE, friday_evening) == local("Europe/Berlin", 2026, 3, 30, 9)
    assert next_opening(BERLIN_OFFICE, utc(2026, 3, 30, 8)) == utc(2026, 3, 30, 8)
    assert is_open(BERLIN_NIGHTS, local("Europe/Berlin", 2026, 3, 21, 1, 59))
    assert not is_open(BERLIN_NIGHTS, local("Europe/Berlin", 2026, 3, 22, 1))


def test_a_calendar_without_hours_says_so_instead_of_searching_forever() -> None:
    closed = BusinessCalendar("Europe/Berlin", weekly_hours({}))
    with pytest.raises(NeverOpens):
        add_business_time(closed, utc(2026, 3, 23), HOUR)
    with pytest.raises(NeverOpens):
        next_opening(closed, utc(2026, 3, 23))
    assert business_time_between(closed, utc(2026, 3, 23), utc(2026, 4, 23)) == timedelta(0)
    assert not is_open(closed, utc(2026, 3, 23, 12))


def test_a_calendar_open_only_on_one_date_opens_then_never_again() -> None:
    one_day = BusinessCalendar(
        "Europe/Berlin", weekly_hours({}), overrides=(override(date(2026, 5, 2), "10:00-12:00"),)
    )
    assert add_business_time(one_day, utc(2026, 3, 1), HOUR) == local(
        "Europe/Berlin", 2026, 5, 2, 11
    )
    with pytest.raises(NeverOpens):
        add_business_time(one_day, utc(2026, 3, 1), 3 * HOUR)


def test_a_calendar_closed_for_longer_than_two_years_is_refused() -> None:
    closures = tuple(override(date(2026, 1, 1) + timedelta(days=n)) for n in range(800))
    shut = BusinessCalendar("UTC", weekly_hours({"mon-fri": "09:00-18:00"}), overrides=closures)
    with pytest.raises(NeverOpens):
        add_business_time(shut, utc(2026, 1, 1), HOUR)


def test_two_months_of_office_hours_add_up() -> None:
    start = local("Europe/Berlin", 2026, 3, 2, 9)
    # March 2026: 22 weekdays of 9 hours and no public holiday in Germany.
    march_closes = add_business_time(BERLIN_OFFICE, start, 22 * 9 * HOUR)
    assert march_closes == local("Europe/Berlin", 2026, 3, 31, 18)
    # April 2026: 22 weekdays less Good Friday and Easter Monday.
    april_closes = local("Europe/Berlin", 2026, 4, 30, 18)
    assert business_time_between(BERLIN_OFFICE, start, april_closes) == (22 + 20) * 9 * HOUR
