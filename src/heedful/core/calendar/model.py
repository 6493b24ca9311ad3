"""A location's business calendar: weekly opening hours, public holidays and dated overrides.

Opening hours are wall-clock times in the location's zone. An interval belongs to the weekday it
opens on, even when it closes after midnight (a bar's Friday 20:00-02:00 is Friday's).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from heedful.core.calendar.public_holidays import PublicHolidays
from heedful.core.shared.errors import InvalidInput
from heedful.core.shared.phrases import Phrase

DAY = timedelta(days=1)
WEEKDAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class NeverOpens(InvalidInput):
    """Business time cannot be counted in a calendar that has no opening hours ahead."""


@dataclass(frozen=True)
class OpeningInterval:
    """From `opens` to `closes`; a `closes` at or before `opens` is on the next day."""

    opens: time
    closes: time

    def __post_init__(self) -> None:
        if self.opens.tzinfo is not None or self.closes.tzinfo is not None:
            raise InvalidInput("Opening hours are local wall-clock times, without a zone")

    @classmethod
    def parse(cls, text: str) -> OpeningInterval:
        """`"09:00-18:00"`, `"20:00-02:00"` (overnight) or `"00:00-24:00"` (all day)."""
        try:
            opens, closes = (part.strip() for part in text.split("-"))
            return cls(_parse_time(opens), _parse_time("00:00" if closes == "24:00" else closes))
        except ValueError:
            raise InvalidInput(
                f"Opening hours look like 09:00-18:00, not {text!r}",
                said=Phrase("refusal.opening_hours"),
                field="hours",
            ) from None

    @property
    def length(self) -> timedelta:
        """Wall-clock length: equal times mean round the clock, not zero."""
        return (_since_midnight(self.closes) - _since_midnight(self.opens)) % DAY or DAY

    def on(self, day: date) -> tuple[datetime, datetime]:
        """The naive local wall-clock span of this interval on `day`."""
        opens = datetime.combine(day, self.opens)
        return opens, opens + self.length

    def __str__(self) -> str:
        closes = "24:00" if self.length == DAY and self.opens == time(0) else f"{self.closes:%H:%M}"
        return f"{self.opens:%H:%M}-{closes}"


Hours = tuple[OpeningInterval, ...]


@dataclass(frozen=True)
class DateOverride:
    """One date's own hours: an extra working day, a shortened day, or a closure (no hours)."""

    day: date
    hours: Hours = ()
    reason: str = ""


@dataclass(frozen=True)
class BusinessCalendar:
    zone: str
    weekly_hours: tuple[Hours, ...]  # Monday first, seven entries
    country: str | None = None
    subdivision: str | None = None
    overrides: tuple[DateOverride, ...] = ()
    # A location may confirm that the country's calendar for a year is out (see is_provisional).
    published_through: int | None = None
    _tz: ZoneInfo = field(init=False, repr=False, compare=False)
    _by_day: dict[date, DateOverride] = field(init=False, repr=False, compare=False)
    _holidays: PublicHolidays | None = field(init=False, repr=False, compare=False)
    # UTC spans per date, filled by spans.py: a calendar never changes, and the same location's
    # days are converted again and again by every deadline counted in it.
    utc_spans_by_day: dict[date, tuple[tuple[datetime, datetime], ...]] = field(
        init=False, repr=False, compare=False, default_factory=dict
    )

    def __post_init__(self) -> None:
        try:
            tz = ZoneInfo(self.zone)
        except (ZoneInfoNotFoundError, ValueError):
            raise InvalidInput(f"Unknown time zone {self.zone!r}", field="zone") from None
        if len(self.weekly_hours) != len(WEEKDAY_NAMES):
            raise InvalidInput("Weekly hours need one entry per weekday", field="weekly_hours")
        by_day = {override.day: override for override in self.overrides}
        if len(by_day) != len(self.overrides):
            raise InvalidInput("Only one override per date", field="overrides")
        if self.subdivision is not None and self.country is None:
            raise InvalidInput("A subdivision needs a country", field="subdivision")
        public = None if self.country is None else PublicHolidays(self.country, self.subdivision)
        object.__setattr__(self, "_tz", tz)
        object.__setattr__(self, "_by_day", by_day)
        object.__setattr__(self, "_holidays", public)

    @property
    def tz(self) -> ZoneInfo:
        return self._tz

    def hours_on(self, day: date) -> Hours:
        """The intervals that open on `day`, after overrides, holidays and moved working days."""
        if day in self._by_day:
            return self._by_day[day].hours
        if self._holidays is None:
            return self.weekly_hours[day.weekday()]
        if self._holidays.holiday_on(day) is not None:
            return ()
        own = self.weekly_hours[day.weekday()]
        if not own and self._holidays.is_moved_workday(day):
            return self._stand_in_hours()
        return own

    def holiday_on(self, day: date) -> str | None:
        return None if self._holidays is None else self._holidays.holiday_on(day)

    def is_provisional(self, year: int) -> bool:
        """True when the country has not published (or the package does not know) `year` yet.

        Countries that move working days (Russia, Belarus, Kazakhstan, Ukraine before martial
        law...) publish each year's calendar by decree; a year after the last one the package
        lists is a guess from the fixed holidays alone. Any year outside the package's range is
        provisional too. `published_through` lets a location confirm years it has checked.
        """
        if self._holidays is None:
            return False
        if self.published_through is not None and year <= self.published_through:
            return False
        if year not in self._holidays.supported_years():
            return True
        last = self._holidays.last_published_year()
        return last is not None and year > last

    def may_open_on_or_after(self, day: date) -> bool:
        """False only when no weekday has hours and no override ahead adds any."""
        return any(self.weekly_hours) or any(
            override.hours for override in self.overrides if override.day >= day
        )

    def _stand_in_hours(self) -> Hours:
        # A moved working day is worked as a regular working day. We take the first weekday
        # with hours (Monday for most) rather than pairing it with the exact day off it pays for:
        # the package does not expose the pairing, and weekday hours rarely differ. A location
        # whose hours do differ records the day as an override.
        return next((hours for hours in self.weekly_hours if hours), ())


def weekly_hours(spec: Mapping[str, str | Sequence[str]]) -> tuple[Hours, ...]:
    """`{"mon-fri": "09:00-18:00", "sat": ["10:00-13:00", "14:00-16:00"]}` to seven entries."""
    week: list[list[OpeningInterval]] = [[] for _ in WEEKDAY_NAMES]
    for days, intervals in spec.items():
        texts = [intervals] if isinstance(intervals, str) else list(intervals)
        for weekday in _weekdays(days):
            week[weekday].extend(OpeningInterval.parse(text) for text in texts)
    return tuple(tuple(sorted(day, key=lambda interval: interval.opens)) for day in week)


def override(day: date, *intervals: str, reason: str = "") -> DateOverride:
    return DateOverride(day, tuple(OpeningInterval.parse(text) for text in intervals), reason)


def _weekdays(days: str) -> Iterable[int]:
    try:
        if "-" in days:
            first, last = (WEEKDAY_NAMES.index(name.strip().lower()) for name in days.split("-"))
            return range(first, last + 1) if first <= last else [*range(first, 7), *range(last + 1)]
        return [WEEKDAY_NAMES.index(days.strip().lower())]
    except ValueError:
        raise InvalidInput(
            f"Weekdays look like mon-fri or sat, not {days!r}", field="hours"
        ) from None


def _since_midnight(moment: time) -> timedelta:
    return timedelta(hours=moment.hour, minutes=moment.minute, seconds=moment.second)


def _parse_time(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))
