"""The business calendar a thread's clocks count in: its location's hours, holidays and own dates.

Built in ``core/staff/calendar.py``, the one place that turns a location into a calendar, so
promise deadlines in business time and SLA clocks never disagree; kept here under the names the
SLA room and its callers import.
"""

from __future__ import annotations

from heedful.core.staff.calendar import Calendars, calendar_for

__all__ = ["Calendars", "calendar_for"]
