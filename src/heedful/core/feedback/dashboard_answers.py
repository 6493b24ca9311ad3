"""The answers behind a dashboard figure: what a manager reads after clicking a score, a theme,
an emotion or a chart cell.

The same filters as the dashboard (period, location, segment, touchpoint) plus what the click
named (a survey kind, one score, a theme, an emotion), and the same rule for days: an answer
belongs to the day it was given on the calendar of the location it is about. So the count on
this page is the count in the cell that was clicked, up to ``SHOWN`` answers, newest first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from heedful.core.access import Actor, Permission
from heedful.core.feedback.dashboard import DashboardAsk, dashboard_period
from heedful.core.feedback.model import SCALE, SurveyAnswer, SurveyKind
from heedful.core.feedback.ports import AnswerFilter
from heedful.core.reports import UTC_ZONE, report_scope, report_zone
from heedful.core.shared.clock import Clock
from heedful.core.shared.errors import InvalidInput
from heedful.core.unit_of_work import UnitOfWork

SHOWN = 200  # answers listed; the page says when there are more
# Read this many before the local-day, score and theme filters: a theme mentioned in one
# comment of 5,000 in the period may be missed, and the page then says it read only so many.
_READ = 5000


@dataclass(frozen=True)
class AnswersAsk:
    where: DashboardAsk
    kind: SurveyKind | None = None
    score: int | None = None
    theme: str | None = None
    emotion: str | None = None


@dataclass(frozen=True)
class AnswersBehind:
    ask: AnswersAsk
    since: date
    until: date
    answers: list[SurveyAnswer]  # newest first, at most SHOWN
    total: int  # how many match, of those read
    read_all: bool  # False: the period held more than _READ answers, the total may be short
    location_names: dict[str, str]
    zones: dict[str, str]  # location id -> its time zone, to show each answer in its own

    @property
    def more(self) -> int:
        return self.total - len(self.answers)


def _check(ask: AnswersAsk) -> None:
    if ask.score is not None:
        if ask.kind is None:
            raise InvalidInput("a score needs its kind of survey", field="score")
        low, high = SCALE[ask.kind]
        if not low <= ask.score <= high:
            raise InvalidInput(f"a {ask.kind.value} score is {low} to {high}", field="score")


def _matches(answer: SurveyAnswer, ask: AnswersAsk) -> bool:
    if ask.score is not None and answer.score != ask.score:
        return False
    if ask.theme is not None and all(t.theme != ask.theme for t in answer.themes):
        return False
    return ask.emotion is None or ask.emotion in answer.emotions


def answers_behind(ask: AnswersAsk, uow: UnitOfWork, clock: Clock, actor: Actor) -> AnswersBehind:
    """The answers one figure of the dashboard counts, for managers and admins."""
    actor.require(Permission.VIEW_REPORTS)
    _check(ask)
    where = ask.where
    now = clock.now()
    with uow:
        covers = report_scope(uow, actor, where.location_id)
        since, until = dashboard_period(now, report_zone(covers.covered), where.since, where.until)
        # A day wider on each side in UTC, then each answer is placed on its location's day.
        start = datetime.combine(since - timedelta(days=1), time(), tzinfo=UTC)
        end = datetime.combine(until + timedelta(days=2), time(), tzinfo=UTC)
        found = uow.feedback.answers.find(
            AnswerFilter(
                since=start,
                until=end,
                kind=ask.kind,
                location_ids=covers.location_ids,
                touchpoint=where.touchpoint,
                segment=where.segment,
            ),
            _READ,
        )
    zones = {loc.id: loc.time_zone for loc in covers.every}

    def local_day(answer: SurveyAnswer) -> date:
        zone = zones.get(answer.location_id or "", UTC_ZONE)
        return answer.answered_at.astimezone(ZoneInfo(zone)).date()

    matching = [a for a in found if since <= local_day(a) <= until and _matches(a, ask)]
    return AnswersBehind(
        ask=ask,
        since=since,
        until=until,
        answers=matching[:SHOWN],
        total=len(matching),
        read_all=len(found) < _READ,
        location_names={loc.id: loc.name for loc in covers.every},
        zones=zones,
    )
