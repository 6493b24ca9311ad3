"""What every report shares: which locations it covers, on which clock, over which weeks.

The promise-kept rate, the responsiveness report and the experience dashboard all cut time the
same way (ISO weeks on the report's zone, at most two years, from 2000 on) and cover the same
locations for the same reader; this module is that one definition.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from heedful.core.access import Actor, scope_of
from heedful.core.shared.errors import Forbidden, InvalidInput
from heedful.core.shared.phrases import Phrase
from heedful.core.staff import Location, LocationRepository

WEEKS_BY_DEFAULT = 12
# Two years side by side is the longest comparison anyone asked for; it also keeps the week
# buckets (one CASE branch each in the query) around a hundred.
LONGEST_PERIOD_DAYS = 731
# No ledger is older than this; it also keeps date arithmetic away from year 1.
EARLIEST_DAY = date(2000, 1, 1)
UTC_ZONE = "UTC"


@dataclass(frozen=True)
class Period:
    since: date
    until: date
    time_zone: str
    week_starts: tuple[datetime, ...]  # UTC: midnight of ``since``, then every Monday's
    ends_at: datetime  # UTC: the midnight after ``until``

    def week_label(self, index: int) -> str:
        year, week, _ = self.week_first_day(index).isocalendar()
        return f"{year}-W{week:02d}"

    def week_first_day(self, index: int) -> date:
        return self.week_starts[index].astimezone(ZoneInfo(self.time_zone)).date()


@dataclass(frozen=True)
class ReportScope:
    """Which locations a report covers, for whom."""

    every: list[Location]  # every location, to name them
    covered: list[Location]  # the locations the report counts
    location_ids: frozenset[str] | None  # the same as ids; None: every location, for an admin


class LocationsWork(Protocol):
    """The part of the unit of work a report's scope reads (ADR 0030)."""

    @property
    def locations(self) -> LocationRepository: ...


def report_scope(uow: LocationsWork, actor: Actor, location_id: str | None) -> ReportScope:
    """A manager's locations, or the one she asked for if she works there; an admin's, all.

    Shared by every report (promises, responsiveness, experience), inside its unit of work.
    """
    every = uow.locations.list()
    scope = scope_of(actor).location_ids
    if location_id is not None:
        if not any(loc.id == location_id for loc in every):
            raise InvalidInput(
                f"no location {location_id}",
                said=Phrase("refusal.no_location"),
                field="location_id",
            )
        if not actor.may_act_at(location_id):
            raise Forbidden(
                "you do not work at that location",
                said=Phrase("refusal.not_your_location"),
                field="location_id",
            )
        scope = frozenset({location_id})
    covered = [loc for loc in every if scope is None or loc.id in scope]
    return ReportScope(every, covered, scope)


def report_zone(locations: Sequence[Location]) -> str:
    """The locations' zone when they share one, otherwise UTC (see the module's definition)."""
    zones = {location.time_zone for location in locations}
    return zones.pop() if len(zones) == 1 else UTC_ZONE


def _midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(), tzinfo=zone).astimezone(UTC)


def report_period(now: datetime, time_zone: str, since: date | None, until: date | None) -> Period:
    """The days asked for, by default the last twelve ISO weeks up to today, cut into weeks."""
    zone = ZoneInfo(time_zone)
    today = now.astimezone(zone).date()
    # Nothing is made tomorrow: a later end is today, so the weeks shown are weeks that were.
    last = min(until, today) if until is not None else today
    this_monday = today - timedelta(days=today.weekday())
    first = since if since is not None else this_monday - timedelta(weeks=WEEKS_BY_DEFAULT - 1)
    if first < EARLIEST_DAY:
        raise InvalidInput("the period starts in 2000 or later", field="since")
    if first > last:
        raise InvalidInput("the period's first day comes after its last", field="since")
    if (last - first).days >= LONGEST_PERIOD_DAYS:
        raise InvalidInput("a report covers at most two years", field="since")
    starts = [first]
    monday = first - timedelta(days=first.weekday()) + timedelta(weeks=1)
    while monday <= last:
        starts.append(monday)
        monday += timedelta(weeks=1)
    return Period(
        since=first,
        until=last,
        time_zone=time_zone,
        week_starts=tuple(_midnight(day, zone) for day in starts),
        ends_at=_midnight(last + timedelta(days=1), zone),
    )
