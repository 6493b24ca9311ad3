"""A location's business calendar: the one source for every deadline said in business time.

Its opening hours, its country's (and region's) public holidays and moved working days, and the
dates the location gives itself (an extra working day, a shortened day, a closure) in
``uow.calendar_days``. SLA clocks (``core/sla``) and promise deadlines in business time
(``LocationBusinessHours``) both read ``Calendars(uow).of(location_id)`` here, so a closure
set for a location moves a promise's deadline exactly as it moves a reply clock.

The two differ on one thing only, on purpose: a location that keeps no hours answers round the
clock for SLA clocks (a web shop still has reply targets), while a promise said "in 2 business
hours" there is refused, because staff who said it meant hours that the location does not keep.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Protocol

from heedful.core.calendar.arithmetic import add_business_time
from heedful.core.calendar.model import BusinessCalendar, DateOverride, weekly_hours
from heedful.core.shared.errors import InvalidInput, NotFound
from heedful.core.shared.phrases import Phrase

_ROUND_THE_CLOCK = {"mon-sun": ["00:00-24:00"]}


class Place(Protocol):
    """What a calendar reads of a location (``staff.model.Location``): the calendar room sits
    below staff, so it names the location by these properties only."""

    @property
    def name(self) -> str: ...
    @property
    def country(self) -> str: ...
    @property
    def time_zone(self) -> str: ...
    @property
    def opening_hours(self) -> dict[str, list[str]]: ...
    @property
    def subdivision(self) -> str: ...


def calendar_for(
    location: Place, overrides: Sequence[DateOverride] = (), *, holidays: bool | None = None
) -> BusinessCalendar:
    """``holidays``: whether the country's days off count (default: when the location keeps
    hours; round the clock means every day, public holidays too)."""
    return _calendar(
        location, location.opening_hours, location.subdivision, overrides, holidays=holidays
    )


def _calendar(
    location: Place,
    opening_hours: dict[str, list[str]],
    subdivision: str,
    overrides: Sequence[DateOverride] = (),
    *,
    holidays: bool | None = None,
) -> BusinessCalendar:
    spec = opening_hours or _ROUND_THE_CLOCK
    with_holidays = bool(opening_hours) if holidays is None else holidays
    # The calendar refuses an unknown country or region itself, naming the field.
    return BusinessCalendar(
        location.time_zone,
        weekly_hours(spec),
        country=location.country if with_holidays else None,
        subdivision=(subdivision or None) if with_holidays else None,
        overrides=tuple(overrides),
    )


def calendar_of(
    location: Place,
    *,
    hours: dict[str, list[str]] | None = None,
    subdivision: str | None = None,
) -> BusinessCalendar:
    """The calendar ``location`` would have with ``hours`` and ``subdivision`` (default: its
    own); refuses a location without hours. Used to check new hours before they are kept."""
    opening_hours = location.opening_hours if hours is None else hours
    if not opening_hours:
        raise InvalidInput(f"{location.name} keeps no opening hours", field="hours")
    return _calendar(
        location, opening_hours, location.subdivision if subdivision is None else subdivision
    )


class _Places(Protocol):
    def get(self, location_id: str) -> Place | None: ...


class _DatedHours(Protocol):
    def for_location(self, location_id: str) -> list[DateOverride]: ...


class CalendarWork(Protocol):
    """The part of the unit of work a calendar reads (ADR 0030): named here, below the rooms
    that store locations and dated hours, so the calendar room imports none of them."""

    @property
    def locations(self) -> _Places: ...
    @property
    def calendar_days(self) -> _DatedHours: ...


class Calendars:
    """Calendars by location for one use case: built once, their day spans cached inside."""

    def __init__(self, uow: CalendarWork) -> None:
        self._uow = uow
        self._by_location: dict[str, BusinessCalendar] = {}

    def location(self, location_id: str) -> Place:
        location = self._uow.locations.get(location_id)
        if location is None:
            raise NotFound(f"no location {location_id}", said=Phrase("refusal.no_location"))
        return location

    def of(self, location_id: str) -> BusinessCalendar:
        if location_id not in self._by_location:
            location = self.location(location_id)
            overrides = self._uow.calendar_days.for_location(location_id)
            self._by_location[location_id] = calendar_for(location, overrides)
        return self._by_location[location_id]


class LocationBusinessHours:
    """Deadlines said in business time ("within 4 business hours"), in the location's calendar."""

    def __init__(self, uow: CalendarWork) -> None:
        self._calendars = Calendars(uow)

    def add(self, location_id: str, start: datetime, duration: timedelta) -> datetime:
        location = self._calendars.location(location_id)
        if not location.opening_hours:
            raise InvalidInput(f"{location.name} keeps no opening hours", field="hours")
        return add_business_time(self._calendars.of(location_id), start, duration)
