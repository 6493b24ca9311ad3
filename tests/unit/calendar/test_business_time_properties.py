"""The arithmetic against a brute-force oracle that looks at every minute's wall-clock time."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from heedful.core.calendar import (
    BusinessCalendar,
    DateOverride,
    OpeningInterval,
    add_business_time,
    add_business_time_with_pauses,
    business_time_between,
    business_time_between_with_pauses,
    is_open,
)

MINUTE = timedelta(minutes=1)
# Zones with and without daylight saving (Lord Howe moves by half an hour, Kolkata sits at
# +05:30), each with the dates of its 2026 clock changes (Moscow: Europe's, where it has none).
AROUND_CHANGES = {
    "Europe/Berlin": ((3, 29), (10, 25)),
    "Europe/Kyiv": ((3, 29), (10, 25)),
    "Europe/Moscow": ((3, 29), (10, 25)),
    "America/New_York": ((3, 8), (11, 1)),
    "Australia/Lord_Howe": ((4, 5), (10, 4)),
    "Asia/Kolkata": ((6, 14),),
    "UTC": ((6, 14),),
}

quarter_hours = st.integers(0, 95).map(lambda quarter: time(quarter // 4, quarter % 4 * 15))
any_minute = st.integers(0, 24 * 60 - 1).map(lambda minute: time(minute // 60, minute % 60))
# Wall times inside the hours that clocks skip or repeat, where conversions go wrong.
small_hours = st.integers(4, 17).map(lambda quarter: time(quarter // 4, quarter % 4 * 15))
wall_time = st.one_of(quarter_hours, any_minute, small_hours)
interval = st.builds(OpeningInterval, wall_time, wall_time)
day_hours = st.lists(interval, max_size=2).map(tuple)
zone_and_date = st.sampled_from(sorted(AROUND_CHANGES)).flatmap(
    lambda zone: st.tuples(
        st.just(zone),
        st.sampled_from(AROUND_CHANGES[zone]).map(
            lambda month_day: datetime(2026, *month_day, tzinfo=UTC)
        ),
    )
)


@st.composite
def calendars(draw: st.DrawFn, zone: str, change: datetime) -> BusinessCalendar:
    first_day = change.date() - timedelta(days=5)
    overrides = draw(
        st.lists(
            st.builds(
                DateOverride,
                st.integers(0, 12).map(lambda n: first_day + timedelta(days=n)),
                day_hours,
            ),
            max_size=3,
            unique_by=lambda override: override.day,
        )
    )
    if draw(st.booleans()):  # the day of the change gets hours of its own
        overrides = [o for o in overrides if o.day != change.date()]
        overrides.append(DateOverride(change.date(), draw(day_hours)))
    return BusinessCalendar(
        zone,
        tuple(draw(day_hours) for _ in range(7)),
        overrides=tuple(overrides),
    )


def oracle_is_open(calendar: BusinessCalendar, instant: datetime) -> bool:
    """Open when the wall clock reads a time inside an interval of its day or the day before."""
    wall = instant.astimezone(calendar.tz).replace(tzinfo=None)
    return any(
        opens <= wall < closes
        for day in (wall.date() - timedelta(days=1), wall.date())
        for opens, closes in (interval.on(day) for interval in calendar.hours_on(day))
    )


def open_minutes(calendar: BusinessCalendar, start: datetime, minutes: int) -> list[datetime]:
    """Every open minute from `start`, looked at one by one. Boundaries fall on whole minutes."""
    return [
        start + n * MINUTE for n in range(minutes) if oracle_is_open(calendar, start + n * MINUTE)
    ]


def unpaused(minutes: list[datetime], pauses: list[tuple[datetime, datetime]]) -> list[datetime]:
    return [m for m in minutes if not any(low <= m < high for low, high in pauses)]


@st.composite
def situations(
    draw: st.DrawFn,
) -> tuple[BusinessCalendar, datetime, int, list[tuple[datetime, datetime]]]:
    zone, change = draw(zone_and_date)
    calendar = draw(calendars(zone, change))
    start = change - draw(st.integers(0, 4 * 24 * 60)) * MINUTE
    # Spans long enough to reach across the change are the interesting ones.
    span_minutes = draw(st.integers(4 * 24 * 60, 8 * 24 * 60) | st.integers(0, 8 * 24 * 60))
    pause_bounds = st.integers(0, span_minutes).map(lambda n: start + n * MINUTE)
    pauses = draw(st.lists(st.tuples(pause_bounds, pause_bounds).map(sorted), max_size=2))
    return calendar, start, span_minutes, [(low, high) for low, high in pauses]


ORACLE = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)


@ORACLE
@given(situations(), st.data())
def test_due_instants_and_elapsed_time_match_the_minute_by_minute_oracle(
    situation: tuple[BusinessCalendar, datetime, int, list[tuple[datetime, datetime]]],
    data: st.DataObject,
) -> None:
    calendar, start, span_minutes, pauses = situation
    end = start + span_minutes * MINUTE
    opened = open_minutes(calendar, start, span_minutes)
    assert business_time_between(calendar, start, end) == len(opened) * MINUTE

    k = data.draw(st.integers(0, len(opened)), label="business minutes")
    expected = start if k == 0 else opened[k - 1] + MINUTE
    assert add_business_time(calendar, start, k * MINUTE) == expected

    counted = unpaused(opened, pauses)
    assert business_time_between_with_pauses(calendar, start, end, pauses) == len(counted) * MINUTE
    k = data.draw(st.integers(0, len(counted)), label="business minutes with pauses")
    expected = start if k == 0 else counted[k - 1] + MINUTE
    assert add_business_time_with_pauses(calendar, start, k * MINUTE, pauses) == expected


@settings(max_examples=100, deadline=None, derandomize=True)
@given(
    zone_and_date.flatmap(
        lambda zone_around: st.tuples(
            calendars(*zone_around),
            st.integers(0, 4 * 24 * 60).map(lambda n: zone_around[1] - n * MINUTE),
        )
    ),
    st.integers(0, 5 * 24 * 60 * 60).map(lambda seconds: timedelta(seconds=seconds)),
)
def test_business_time_up_to_the_due_instant_is_the_duration(
    situation: tuple[BusinessCalendar, datetime], duration: timedelta
) -> None:
    calendar, start = situation
    if not any(calendar.weekly_hours):
        return  # nothing to count in; the no-hours tests cover this calendar
    due = add_business_time(calendar, start, duration)
    assert business_time_between(calendar, start, due) == duration
    assert due == start or is_open(calendar, due - timedelta(microseconds=1))


@settings(max_examples=40, deadline=None, derandomize=True)
@given(situations())
def test_is_open_agrees_with_the_oracle_minute_by_minute(
    situation: tuple[BusinessCalendar, datetime, int, list[tuple[datetime, datetime]]],
) -> None:
    calendar, start, span_minutes, _ = situation
    for n in range(0, min(span_minutes, 4 * 24 * 60), 31):
        instant = start + n * MINUTE
        assert is_open(calendar, instant) == oracle_is_open(calendar, instant), instant


def test_the_oracle_sees_the_skipped_and_the_repeated_hour() -> None:
    # Guards the oracle itself: otherwise both sides could share one mistake about DST.
    kyiv = BusinessCalendar("Europe/Kyiv", ((),) * 6 + ((OpeningInterval(time(2), time(5)),),))
    autumn = open_minutes(kyiv, datetime(2026, 10, 24, tzinfo=UTC), 2 * 24 * 60)
    spring = open_minutes(kyiv, datetime(2026, 3, 28, tzinfo=UTC), 2 * 24 * 60)
    assert (len(autumn), len(spring)) == (4 * 60, 2 * 60)
    # 02:00 EEST on Sunday is 23:00 UTC on Saturday; 05:00 EET is 03:00 UTC.
    assert (autumn[0], autumn[-1] + MINUTE) == (
        datetime(2026, 10, 24, 23, tzinfo=UTC),
        datetime(2026, 10, 25, 3, tzinfo=UTC),
    )
