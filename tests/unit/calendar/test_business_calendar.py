"""What a location's calendar says about a day: hours, holidays, moved days, provisional years."""

from __future__ import annotations

from datetime import date, time

import pytest

from heedful.core.calendar import BusinessCalendar, OpeningInterval, override, weekly_hours
from heedful.core.shared.errors import InvalidInput

OFFICE = weekly_hours({"mon-fri": "09:00-18:00"})


def test_weekly_hours_read_like_a_shop_door() -> None:
    week = weekly_hours({"mon-fri": ["14:00-18:00", "09:00-13:00"], "sat": "10:00-14:00"})
    assert [str(interval) for interval in week[0]] == ["09:00-13:00", "14:00-18:00"]
    assert [str(interval) for interval in week[5]] == ["10:00-14:00"]
    assert week[6] == ()
    assert weekly_hours({"fri-mon": "20:00-02:00"})[1:4] == ((), (), ())


def test_intervals_cross_midnight_or_last_all_day() -> None:
    assert OpeningInterval.parse("20:00-02:00").length.total_seconds() == 6 * 3600
    assert OpeningInterval.parse("00:00-24:00").length.total_seconds() == 24 * 3600
    assert str(OpeningInterval.parse("00:00-24:00")) == "00:00-24:00"
    assert OpeningInterval(time(9), time(9)).length.total_seconds() == 24 * 3600


@pytest.mark.parametrize(
    ("build", "field"),
    [
        (lambda: OpeningInterval.parse("9 to 6"), "hours"),
        (lambda: weekly_hours({"someday": "09:00-18:00"}), "hours"),
        (lambda: BusinessCalendar("Europe/Atlantis", OFFICE), "zone"),
        (lambda: BusinessCalendar("Europe/Berlin", OFFICE, country="XX"), "country"),
        (
            lambda: BusinessCalendar("Europe/Berlin", OFFICE, country="DE", subdivision="ZZ"),
            "subdivision",
        ),
        (lambda: BusinessCalendar("Europe/Berlin", OFFICE[:5]), "weekly_hours"),
    ],
)
def test_mistakes_name_the_field_at_fault(build: object, field: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        build()  # type: ignore[operator]
    assert refused.value.field == field


def test_holidays_of_the_subdivision_close_the_day() -> None:
    berlin = BusinessCalendar("Europe/Berlin", OFFICE, country="DE", subdivision="BE")
    bavaria = BusinessCalendar("Europe/Berlin", OFFICE, country="DE", subdivision="BY")
    womens_day = date(2026, 3, 9)  # 8 March 2026 is a Sunday; Berlin does not move it
    assert berlin.hours_on(date(2026, 4, 3)) == ()  # Good Friday
    assert berlin.holiday_on(date(2026, 4, 3)) == "Good Friday"
    assert bavaria.hours_on(date(2026, 1, 6)) == ()  # Epiphany, Bavaria only
    assert berlin.hours_on(date(2026, 1, 6)) == OFFICE[1]
    assert berlin.hours_on(womens_day) == OFFICE[0]


def test_overrides_close_shorten_or_open_a_day() -> None:
    calendar = BusinessCalendar(
        "Europe/Berlin",
        OFFICE,
        country="DE",
        overrides=(
            override(date(2026, 3, 25), reason="stocktaking"),
            override(date(2026, 12, 24), "09:00-13:00", reason="Christmas Eve"),
            override(date(2026, 3, 28), "10:00-14:00", reason="open Saturday"),
            override(date(2026, 4, 3), "10:00-12:00", reason="open on Good Friday"),
        ),
    )
    assert calendar.hours_on(date(2026, 3, 25)) == ()
    assert [str(hours) for hours in calendar.hours_on(date(2026, 12, 24))] == ["09:00-13:00"]
    assert [str(hours) for hours in calendar.hours_on(date(2026, 3, 28))] == ["10:00-14:00"]
    assert [str(hours) for hours in calendar.hours_on(date(2026, 4, 3))] == ["10:00-12:00"]


def test_only_one_override_per_date() -> None:
    with pytest.raises(InvalidInput):
        BusinessCalendar("Europe/Berlin", OFFICE, overrides=(override(date(2026, 3, 25)),) * 2)


def test_a_saturday_made_a_working_day_is_worked_with_weekday_hours() -> None:
    moscow = BusinessCalendar("Europe/Moscow", OFFICE, country="RU")
    assert moscow.hours_on(date(2025, 11, 1)) == OFFICE[0]  # worked for Monday 3 November
    assert moscow.hours_on(date(2025, 11, 3)) == ()
    assert moscow.hours_on(date(2025, 11, 8)) == ()  # an ordinary Saturday
    # A shop already open on Saturdays keeps its Saturday hours.
    shop = BusinessCalendar(
        "Europe/Moscow",
        weekly_hours({"mon-fri": "09:00-18:00", "sat": "10:00-15:00"}),
        country="RU",
    )
    assert [str(hours) for hours in shop.hours_on(date(2025, 11, 1))] == ["10:00-15:00"]


def test_years_after_the_last_decree_are_provisional_where_working_days_are_moved() -> None:
    moscow = BusinessCalendar("Europe/Moscow", OFFICE, country="RU")
    assert not moscow.is_provisional(2027)  # the 2027 calendar is in the package
    assert moscow.is_provisional(2028)
    confirmed = BusinessCalendar("Europe/Moscow", OFFICE, country="RU", published_through=2028)
    assert not confirmed.is_provisional(2028)
    # Ukraine has moved no days since martial law began in 2022: nothing later is confirmed.
    kyiv = BusinessCalendar("Europe/Kyiv", OFFICE, country="UA")
    assert kyiv.is_provisional(2026)


def test_fixed_rule_countries_are_provisional_only_beyond_the_package() -> None:
    berlin = BusinessCalendar("Europe/Berlin", OFFICE, country="DE")
    assert not berlin.is_provisional(2040)
    assert berlin.is_provisional(2101)
    assert not BusinessCalendar("Europe/Berlin", OFFICE).is_provisional(2101)
