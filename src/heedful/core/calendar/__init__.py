"""Business calendars and business-time arithmetic: deadlines counted in a location's open hours.

Pure: wall-clock hours and zones come from `zoneinfo`, public holidays from the `holidays` package.
"""

from heedful.core.calendar.arithmetic import (
    add_business_time,
    add_business_time_with_pauses,
    business_time_between,
    business_time_between_with_pauses,
    is_open,
    next_opening,
)
from heedful.core.calendar.locations import (
    Calendars,
    LocationBusinessHours,
    calendar_for,
    calendar_of,
)
from heedful.core.calendar.model import (
    BusinessCalendar,
    DateOverride,
    NeverOpens,
    OpeningInterval,
    override,
    weekly_hours,
)
from heedful.core.calendar.ports import CalendarDayRepository
from heedful.core.calendar.public_holidays import holiday_names
from heedful.core.calendar.running_clock import ClockPause, RunningClock

__all__ = [
    "BusinessCalendar",
    "CalendarDayRepository",
    "Calendars",
    "ClockPause",
    "DateOverride",
    "LocationBusinessHours",
    "NeverOpens",
    "OpeningInterval",
    "RunningClock",
    "add_business_time",
    "add_business_time_with_pauses",
    "business_time_between",
    "business_time_between_with_pauses",
    "calendar_for",
    "calendar_of",
    "holiday_names",
    "is_open",
    "next_opening",
    "override",
    "weekly_hours",
]
