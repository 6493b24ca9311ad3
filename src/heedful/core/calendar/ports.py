"""What the calendar room needs from storage: a location's dated overrides of its hours."""

from __future__ import annotations

from datetime import date
from typing import Protocol

from heedful.core.calendar.model import DateOverride


class CalendarDayRepository(Protocol):
    """A location's dated overrides of its weekly hours."""

    def for_location(self, location_id: str) -> list[DateOverride]: ...
    def put(self, location_id: str, override: DateOverride) -> None: ...
    def remove(self, location_id: str, day: date) -> bool: ...
