"""How responsive the business is: first-response and resolution times, and the share inside SLA.

What is counted (the console and the API say the same next to the numbers):

- every SLA clock started in the period that ended, met (answered, resolved) or breached (its
  due time passed first); clocks still running or paused are not counted yet;
- a clock belongs to the ISO week (Monday to Sunday) in which it started, on the clock of the
  report's time zone: the locations' zone when every location in the report shares one,
  otherwise UTC (as the promise report);
- times are told two ways: "waited" is the wall-clock time the customer waited, from the clock's
  start to the answer (what the seeds' benchmarks measure: 24 h for e-mail, 12.07 min for live
  chat, 6 min at Amazon); "business" is the time counted by the SLA, inside the location's opening
  hours and outside the pauses while the thread waited on the customer;
- median: the middle time (the mean of the two middle ones for an even count); p90: nearest rank,
  the smallest time that at least 90% of the answers took no longer than;
- a breached clock still unanswered has no time yet: it counts against the share inside SLA but
  in no median; once answered, its (late) time counts too;
- inside SLA = clocks met before their due time / clocks ended; a clock late is outside.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum

from heedful.core.access import Actor, Permission
from heedful.core.reports import Period, report_period, report_scope, report_zone
from heedful.core.shared.clock import Clock
from heedful.core.shared.text import spreadsheet_safe
from heedful.core.sla import Channel, ClockFact, ClockKind
from heedful.core.unit_of_work import UnitOfWork

# What the API says next to the numbers; the console says it in the reader's language.
DEFINITION = (
    "Counted: SLA clocks started in the period (in the ISO week, Monday to Sunday, of their start "
    "on time_zone's clock) that ended met or breached; running and paused clocks are not counted "
    "yet. waited = wall-clock time from the clock's start to the answer; business = the time the "
    "SLA counted, inside opening hours and outside pauses. median = the middle value (mean of the "
    "two middle ones); p90 = nearest rank. A breached clock not yet answered counts against "
    "inside_sla_share but in no time. inside_sla_share = met before due / ended."
)


@dataclass(frozen=True)
class Benchmark:
    """A figure from the seeds to hold the first response against (wall-clock)."""

    key: str
    minutes: float
    channel: Channel | None  # the channel it is about; None: a best-in-class figure


# Seed 003: e-mail within 24 hours at worst; live chat averages 12.07 minutes; Amazon, 6 minutes.
BENCHMARKS = (
    Benchmark("email_24h", 24 * 60, Channel.EMAIL),
    Benchmark("live_chat_12_07_min", 12.07, Channel.CHAT),
    Benchmark("amazon_6_min", 6.0, None),
)


class GroupBy(StrEnum):
    WEEK = "week"
    CHANNEL = "channel"
    TEAM = "team"
    AGENT = "agent"


@dataclass(frozen=True)
class ResponsivenessAsk:
    since: date | None = None
    until: date | None = None
    location_id: str | None = None
    channel: Channel | None = None


def median(values: Sequence[timedelta]) -> timedelta | None:
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def nearest_rank(values: Sequence[timedelta], percent: int) -> timedelta | None:
    """The smallest value that at least ``percent`` % of the values are not above."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(percent * len(ordered) / 100))
    return ordered[rank - 1]


@dataclass(frozen=True)
class Times:
    """One kind of clock in one group: how many ended, how they ended, how long they took."""

    ended: int = 0
    inside: int = 0  # met before due
    waited: tuple[timedelta, ...] = ()  # one per answered clock, in no order
    business: tuple[timedelta, ...] = ()

    @property
    def answered(self) -> int:
        return len(self.waited)

    @property
    def unanswered(self) -> int:
        return self.ended - self.answered

    @property
    def inside_share(self) -> float | None:
        return self.inside / self.ended if self.ended else None

    @property
    def waited_median(self) -> timedelta | None:
        return median(self.waited)

    @property
    def waited_p90(self) -> timedelta | None:
        return nearest_rank(self.waited, 90)

    @property
    def business_median(self) -> timedelta | None:
        return median(self.business)

    @property
    def business_p90(self) -> timedelta | None:
        return nearest_rank(self.business, 90)


@dataclass(frozen=True)
class Group:
    key: str  # a week ("2026-W10"), a channel, a team's or an agent's id ("" for none)
    label: str
    by_kind: dict[ClockKind, Times] = field(default_factory=dict)
    first_day: date | None = None  # weeks only

    def times(self, kind: ClockKind) -> Times:
        return self.by_kind.get(kind, Times())

    @property
    def ended(self) -> int:
        return sum(times.ended for times in self.by_kind.values())

    @property
    def inside_share(self) -> float | None:
        """Every kind of clock together: met before due over ended."""
        ended = self.ended
        return sum(t.inside for t in self.by_kind.values()) / ended if ended else None


@dataclass(frozen=True)
class ResponsivenessReport:
    period: Period
    ask: ResponsivenessAsk
    total: Group
    by_week: list[Group]  # every week of the period, empty ones too
    by_channel: list[Group]
    by_team: list[Group]
    by_agent: list[Group]

    def groups(self, by: GroupBy) -> list[Group]:
        return {
            GroupBy.WEEK: self.by_week,
            GroupBy.CHANNEL: self.by_channel,
            GroupBy.TEAM: self.by_team,
            GroupBy.AGENT: self.by_agent,
        }[by]

    def benchmark_for(self, benchmark: Benchmark) -> Times:
        """First responses the benchmark is about: its channel's, or every one for Amazon's."""
        if benchmark.channel is None:
            return self.total.times(ClockKind.FIRST_RESPONSE)
        for group in self.by_channel:
            if group.key == benchmark.channel.value:
                return group.times(ClockKind.FIRST_RESPONSE)
        return Times()


def _inside(fact: ClockFact) -> bool:
    return not fact.breached and fact.met_at is not None


def _times(facts: Iterable[ClockFact]) -> dict[ClockKind, Times]:
    ended: dict[ClockKind, int] = {}
    inside: dict[ClockKind, int] = {}
    waited: dict[ClockKind, list[timedelta]] = {}
    business: dict[ClockKind, list[timedelta]] = {}
    for fact in facts:
        ended[fact.kind] = ended.get(fact.kind, 0) + 1
        inside[fact.kind] = inside.get(fact.kind, 0) + _inside(fact)
        if fact.met_at is not None:
            waited.setdefault(fact.kind, []).append(fact.met_at - fact.started_at)
            business.setdefault(fact.kind, []).append(fact.spent or timedelta(0))
    return {
        kind: Times(
            ended=ended[kind],
            inside=inside[kind],
            waited=tuple(waited.get(kind, ())),
            business=tuple(business.get(kind, ())),
        )
        for kind in ClockKind
        if kind in ended
    }


def _grouped(facts: Sequence[ClockFact], key: Callable[[ClockFact], str]) -> dict[str, Group]:
    buckets: dict[str, list[ClockFact]] = {}
    for fact in facts:
        buckets.setdefault(key(fact), []).append(fact)
    return {value: Group(value, value, _times(chosen)) for value, chosen in buckets.items()}


def _week_of(period: Period, at: datetime) -> int:
    index = 0
    for position, start in enumerate(period.week_starts):
        if start <= at:
            index = position
    return index


def _named(groups: dict[str, Group], names: dict[str, str]) -> list[Group]:
    named = [Group(g.key, names.get(g.key, g.key), g.by_kind) for g in groups.values()]
    # The busiest first: their times rest on the most answers. "" (nobody) goes last.
    return sorted(named, key=lambda g: (g.key == "", -g.ended, g.label.casefold(), g.key))


def tally_responsiveness(
    facts: Sequence[ClockFact],
    period: Period,
    ask: ResponsivenessAsk,
    team_names: dict[str, str],
    agent_names: dict[str, str],
) -> ResponsivenessReport:
    """The report from the clocks' facts: the maths, with no I/O."""
    chosen = [
        fact
        for fact in facts
        if period.week_starts[0] <= fact.started_at < period.ends_at
        and (ask.channel is None or fact.channel is ask.channel)
    ]
    weeks = _grouped(chosen, lambda fact: str(_week_of(period, fact.started_at)))
    by_week = [
        Group(
            key=period.week_label(index),
            label=period.week_label(index),
            by_kind=weeks[str(index)].by_kind if str(index) in weeks else {},
            first_day=period.week_first_day(index),
        )
        for index in range(len(period.week_starts))
    ]
    channels = _grouped(chosen, lambda fact: fact.channel.value)
    by_channel = [channels[c.value] for c in Channel if c.value in channels]
    return ResponsivenessReport(
        period=period,
        ask=ask,
        total=Group("all", "all", _times(chosen)),
        by_week=by_week,
        by_channel=by_channel,
        by_team=_named(_grouped(chosen, lambda fact: fact.team_id or ""), team_names),
        by_agent=_named(_grouped(chosen, lambda fact: fact.assignee_id or ""), agent_names),
    )


def responsiveness_report(
    ask: ResponsivenessAsk, uow: UnitOfWork, clock: Clock, actor: Actor
) -> ResponsivenessReport:
    """The report for managers (their locations) and admins (every location)."""
    actor.require(Permission.VIEW_REPORTS)
    now = clock.now()
    with uow:
        where = report_scope(uow, actor, ask.location_id)
        period = report_period(now, report_zone(where.covered), ask.since, ask.until)
        facts = uow.sla_clocks.ended_between(
            period.week_starts[0], period.ends_at, where.location_ids
        )
        teams = {team.id: team.name for team in uow.teams.list()}
        agents = {member.id: member.full_name for member in uow.staff.list()}
    return tally_responsiveness(facts, period, ask, teams, agents)


CSV_COLUMNS = (
    "group_by",
    "key",
    "label",
    "first_day",
    "clock",
    "ended",
    "inside_sla",
    "inside_sla_share",
    "answered",
    "unanswered",
    "waited_median_minutes",
    "waited_p90_minutes",
    "business_median_minutes",
    "business_p90_minutes",
)


def minutes(value: timedelta | None) -> float | None:
    return None if value is None else round(value.total_seconds() / 60, 2)


def _number(value: float | None, digits: int = 2) -> str:
    return "" if value is None else f"{value:.{digits}f}"


def _csv_rows(by: str, group: Group) -> list[list[str]]:
    first_day = group.first_day.isoformat() if group.first_day else ""
    rows = []
    for kind in ClockKind:
        t = group.times(kind)
        rows.append(
            [
                by,
                spreadsheet_safe(group.key),
                spreadsheet_safe(group.label),
                first_day,
                kind.value,
                str(t.ended),
                str(t.inside),
                _number(t.inside_share, 4),
                str(t.answered),
                str(t.unanswered),
                _number(minutes(t.waited_median)),
                _number(minutes(t.waited_p90)),
                _number(minutes(t.business_median)),
                _number(minutes(t.business_p90)),
            ]
        )
    return rows


def report_csv(report: ResponsivenessReport, groupings: Sequence[GroupBy]) -> str:
    """One row per group and kind of clock, starting with a byte-order mark (Excel reads UTF-8)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    period = f"{report.period.since.isoformat()}/{report.period.until.isoformat()}"
    writer.writerows(_csv_rows("all", Group(period, period, report.total.by_kind)))
    for by in groupings:
        for group in report.groups(by):
            writer.writerows(_csv_rows(by.value, group))
    return "\ufeff" + out.getvalue()
