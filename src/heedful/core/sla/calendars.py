"""The business calendar a thread's clocks count in: its location's, or round the clock."""

from __future__ import annotations

from heedful.core.calendar import BusinessCalendar, weekly_hours
from heedful.core.shared.errors import NotFound
from heedful.core.shared.ports import UnitOfWork
from heedful.core.staff.calendar import calendar_of
from heedful.core.staff.model import Location

_ROUND_THE_CLOCK = {"mon-sun": ["00:00-24:00"]}


def calendar_for(location: Location) -> BusinessCalendar:
    # A location that keeps no hours answers round the clock (a web shop): an SLA there is in
    # plain minutes, in its zone, rather than no SLA at all.
    if not location.opening_hours:
        return BusinessCalendar(location.time_zone, weekly_hours(_ROUND_THE_CLOCK))
    return calendar_of(location)


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
            self._by_location[location_id] = calendar_for(location)
        return self._by_location[location_id]
