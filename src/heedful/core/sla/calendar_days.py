"""A location's own dates (an extra working day, a shortened day, a closure) and its calendar.

Public holidays and the working days a government moves come from the `holidays` package; a
location adds what only it knows. Clocks counting there keep what they spent before the change.
A year the package does not publish for the country yet is flagged provisional.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from heedful.core.access import Actor, Permission
from heedful.core.calendar import (
    Calendars,
    DateOverride,
    OpeningInterval,
    calendar_for,
    calendar_of,
    holiday_names,
)
from heedful.core.customers import audit
from heedful.core.shared.clock import Clock
from heedful.core.shared.errors import InvalidInput, NotFound
from heedful.core.shared.phrases import Phrase
from heedful.core.sla.handlers import location_hours_changed
from heedful.core.staff import Location
from heedful.core.unit_of_work import UnitOfWork

MAX_REASON = 200


def set_opening_hours(
    location_id: str,
    hours: dict[str, list[str]],
    subdivision: str,
    uow: UnitOfWork,
    clock: Clock,
    actor: Actor,
) -> Location:
    """The hours a location's business time is counted in (promise deadlines, SLA clocks).

    Here rather than with the other location use cases in core/staff: changing them moves the SLA
    clocks counting there, and the staff room sits below SLA (ADR 0030)."""
    actor.require(Permission.MANAGE_STAFF)
    subdivision = subdivision.strip().upper()
    with uow:
        location = uow.locations.get(location_id)
        if location is None:
            raise NotFound(f"no location {location_id}", said=Phrase("refusal.no_location"))
        calendar_of(location, hours=hours, subdivision=subdivision)  # refuses what cannot be read
        old_calendar = calendar_for(location, uow.calendar_days.for_location(location.id))
        location.opening_hours = {days: list(spans) for days, spans in hours.items()}
        location.subdivision = subdivision
        uow.locations.update(location)
        # SLA clocks running there keep the time they spent in the old hours.
        location_hours_changed(uow, location.id, old_calendar, clock.now())
        after = {"opening_hours": location.opening_hours, "subdivision": subdivision}
        _audit(uow, actor, clock.now(), "location.hours_changed", location.id, after)
        uow.commit()
    return location


@dataclass(frozen=True)
class CalendarYear:
    location_id: str
    year: int
    provisional: bool  # the country's calendar for this year is not published (yet)
    holidays: list[tuple[date, str]]
    days: list[DateOverride]  # the location's own dates in this year


def set_calendar_day(
    location_id: str,
    day: date,
    hours: Sequence[str],
    reason: str,
    uow: UnitOfWork,
    clock: Clock,
    actor: Actor,
) -> DateOverride:
    """``hours`` empty: closed that day; otherwise that day's hours replace the week's."""
    actor.require(Permission.MANAGE_SLA)
    reason = " ".join(reason.split())
    if len(reason) > MAX_REASON:
        raise InvalidInput(
            f"a reason is at most {MAX_REASON} characters",
            said=Phrase("refusal.at_most_200"),
            field="reason",
        )
    override = DateOverride(day, tuple(_interval(text, i) for i, text in enumerate(hours)), reason)
    with uow:
        location = _location(uow, actor, location_id)
        old = Calendars(uow).of(location.id)
        uow.calendar_days.put(location.id, override)
        location_hours_changed(uow, location.id, old, clock.now())
        hours_that_day = [str(interval) for interval in override.hours]
        after = {"day": day.isoformat(), "hours": hours_that_day, "reason": reason}
        _audit(uow, actor, clock.now(), "location.day_set", location.id, after)
        uow.commit()
    return override


def remove_calendar_day(
    location_id: str, day: date, uow: UnitOfWork, clock: Clock, actor: Actor
) -> None:
    actor.require(Permission.MANAGE_SLA)
    with uow:
        location = _location(uow, actor, location_id)
        old = Calendars(uow).of(location.id)
        if not uow.calendar_days.remove(location.id, day):
            raise NotFound(f"no own hours on {day.isoformat()}")
        location_hours_changed(uow, location.id, old, clock.now())
        _audit(uow, actor, clock.now(), "location.day_removed", location.id, {"day": str(day)})
        uow.commit()


def calendar_year(
    location_id: str, year: int, uow: UnitOfWork, actor: Actor, language: str = ""
) -> CalendarYear:
    """The year's public holidays and the location's own dates; ``language``: the reader's, for
    the holidays' names (default: as the calendar names them)."""
    actor.require(Permission.ANSWER_CONVERSATIONS)
    if not 1900 <= year <= 2200:
        raise InvalidInput("a year from 1900 to 2200", field="year")
    with uow:
        location = _location(uow, actor, location_id)
        days = uow.calendar_days.for_location(location.id)
    calendar = calendar_for(location, days, holidays=True)
    names = (
        holiday_names(location.country, location.subdivision or None, year, language)
        if language
        else {}
    )
    holidays = []
    day, end = date(year, 1, 1), date(year + 1, 1, 1)
    while day < end:
        name = calendar.holiday_on(day)
        if name is not None:
            holidays.append((day, names.get(day, name)))
        day += timedelta(days=1)
    return CalendarYear(
        location_id=location.id,
        year=year,
        provisional=calendar.is_provisional(year),
        holidays=holidays,
        days=[d for d in days if d.day.year == year],
    )


def _location(uow: UnitOfWork, actor: Actor, location_id: str) -> Location:
    location = uow.locations.get(location_id)
    if location is None or not actor.may_act_at(location_id):
        raise NotFound(f"no location {location_id}", said=Phrase("refusal.no_location"))
    return location


def _audit(
    uow: UnitOfWork,
    actor: Actor,
    now: datetime,
    action: str,
    location_id: str,
    after: dict[str, Any],
) -> None:
    audit(
        uow,
        actor,
        now,
        action,
        customer_id=None,
        entity="location",
        entity_id=location_id,
        after=after,
    )


def _interval(text: str, index: int) -> OpeningInterval:
    try:
        return OpeningInterval.parse(text)
    except InvalidInput as bad:
        raise InvalidInput(bad.message, field=f"hours[{index}]", said=bad.said) from None


__all__ = ["CalendarYear", "calendar_year", "remove_calendar_day", "set_calendar_day"]
