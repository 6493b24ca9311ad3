"""The business calendar a thread's clocks count in: its location's hours, holidays and own dates.

A location that keeps no hours answers round the clock (a web shop): an SLA there is in plain
minutes, in its zone, rather than no SLA at all.
"""

from __future__ import annotations

from collections.abc import Sequence

from heedful.core.calendar import BusinessCalendar, DateOverride, weekly_hours
from heedful.core.shared.errors import NotFound
from heedful.core.shared.ports import UnitOfWork
from heedful.core.staff.model import Location

_ROUND_THE_CLOCK = {"mon-sun": ["00:00-24:00"]}


def calendar_for(
    location: Location, overrides: Sequence[DateOverride] = (), *, holidays: bool | None = None
) -> BusinessCalendar:
    """``holidays``: whether the country's days off count (default: when the location keeps
    hours; round the clock means every day, public holidays too)."""
    spec = location.opening_hours or _ROUND_THE_CLOCK
    with_holidays = bool(location.opening_hours) if holidays is None else holidays
    return BusinessCalendar(
        location.time_zone,
        weekly_hours(spec),
        country=location.country if with_holidays else None,
        subdivision=(location.subdivision or None) if with_holidays else None,
        overrides=tuple(overrides),
    )


class Calendars:
    """Calendars by location for one use case: built once, their day spans cached inside."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow
        self._by_location: dict[str, BusinessCalendar] = {}

    def of(self, location_id: str) -> BusinessCalendar:
        if location_id not in self._by_location:
            location = self._uow.locations.get(location_id)
            if location is None:
                raise NotFound(f"no location {location_id}")
            overrides = self._uow.calendar_days.for_location(location_id)
            self._by_location[location_id] = calendar_for(location, overrides)
        return self._by_location[location_id]
