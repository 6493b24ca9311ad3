"""A location's business calendar, built from its opening hours, country and region."""

from __future__ import annotations

from datetime import datetime, timedelta

from heedful.core.calendar import BusinessCalendar, add_business_time, weekly_hours
from heedful.core.shared.errors import InvalidInput, NotFound
from heedful.core.shared.ports import UnitOfWork
from heedful.core.staff.model import Location


def calendar_of(
    location: Location,
    *,
    hours: dict[str, list[str]] | None = None,
    subdivision: str | None = None,
) -> BusinessCalendar:
    spec = location.opening_hours if hours is None else hours
    if not spec:
        raise InvalidInput(f"{location.name} keeps no opening hours", field="hours")
    # The calendar refuses an unknown country or region itself, naming the field.
    return BusinessCalendar(
        location.time_zone,
        weekly_hours(spec),
        country=location.country,
        subdivision=(location.subdivision if subdivision is None else subdivision) or None,
    )


class LocationBusinessHours:
    """Deadlines said in business time ("within 4 business hours"), in the location's hours."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    def add(self, location_id: str, start: datetime, duration: timedelta) -> datetime:
        location = self._uow.locations.get(location_id)
        if location is None:
            raise NotFound(f"no location {location_id}")
        return add_business_time(calendar_of(location), start, duration)
