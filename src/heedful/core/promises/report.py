"""The promise-kept rate: how many promises were kept on time, kept late or broken.

What is counted (the console and the API say the same next to the numbers):

- a promise whose outcome is known counts: kept, kept late, broken, and one still open past its
  deadline, which is broken so far (the worker breaks it at the deadline, a moment later);
- cancelled (the business called it off, saying why) and withdrawn (the customer no longer wants
  it) are shown but not counted: neither is the business keeping or failing its word;
- open promises not yet due, or with no deadline, are waiting: not counted yet;
- the kept rate is (kept + kept late) / counted; on time, late and broken are shares of counted;
- a promise belongs to the ISO week (Monday to Sunday) in which it was made, on the clock of the
  report's time zone: the locations' zone when every location in the report shares one (a chain
  in one country), otherwise UTC.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum

from heedful.core.access import Actor, Permission
from heedful.core.promises.model import PromiseKind
from heedful.core.promises.ports import KeepTime, Outcome, OutcomeCount
from heedful.core.reports import Period, report_period, report_scope, report_zone
from heedful.core.shared.clock import Clock
from heedful.core.shared.text import spreadsheet_safe
from heedful.core.unit_of_work import UnitOfWork

# What the API says next to the numbers; the console says it in the reader's language.
DEFINITION = (
    "kept_rate = (kept + kept_late) / counted. Counted: promises kept, kept late or broken, and "
    "those still open past their deadline (overdue), which count as broken so far. Cancelled and "
    "withdrawn promises are shown but not counted; open promises not yet due are waiting. Each "
    "promise counts in the ISO week (Monday to Sunday) it was made in, on time_zone's clock."
)


# Kept promises read one by one for their times; beyond this the quantiles rest on the oldest.
_MOST_KEEP_TIMES = 200_000


class GroupBy(StrEnum):
    WEEK = "week"
    KIND = "kind"
    LOCATION = "location"
    STAFF = "staff"


@dataclass(frozen=True)
class ReportAsk:
    """What the manager asked for; every field may be left out."""

    since: date | None = None  # the first day included, on the report's clock
    until: date | None = None  # the last day included
    location_id: str | None = None
    kind: PromiseKind | None = None
    made_by: str | None = None  # the staff member's (or API token's) id


@dataclass(frozen=True)
class Tally:
    kept: int = 0
    kept_late: int = 0
    broken: int = 0
    overdue: int = 0
    waiting: int = 0
    cancelled: int = 0
    withdrawn: int = 0

    def add(self, outcome: Outcome, count: int) -> Tally:
        return replace(self, **{outcome.value: getattr(self, outcome.value) + count})

    @property
    def made(self) -> int:
        return self.counted + self.waiting + self.cancelled + self.withdrawn

    @property
    def counted(self) -> int:
        """The sample: promises whose outcome is known (overdue ones as broken so far)."""
        return self.kept + self.kept_late + self.broken + self.overdue

    @property
    def broken_so_far(self) -> int:
        return self.broken + self.overdue

    def _share(self, part: int) -> float | None:
        return part / self.counted if self.counted else None

    @property
    def kept_rate(self) -> float | None:
        """None when nothing is counted yet: no rate, rather than a rate of zero."""
        return self._share(self.kept + self.kept_late)

    @property
    def on_time_share(self) -> float | None:
        return self._share(self.kept)

    @property
    def late_share(self) -> float | None:
        return self._share(self.kept_late)

    @property
    def broken_share(self) -> float | None:
        return self._share(self.broken_so_far)


@dataclass(frozen=True)
class Group:
    key: str  # a week ("2026-W10"), a kind's code, a location's or a maker's id
    label: str  # what a reader sees: the location's name, the maker's name; the key otherwise
    tally: Tally
    first_day: date | None = None  # weeks only: the first day of the week inside the period


@dataclass(frozen=True)
class TimeToKeep:
    """How long a kind of promise took to keep: the refund asked for at 12:00 and done at 12:07
    took 7 minutes. The median and the slowest tenth, over the promises kept in the period."""

    kind: PromiseKind
    kept: int
    median_minutes: float
    p90_minutes: float


def _quantile(ordered: Sequence[float], share: float) -> float:
    # The nearest-rank quantile: a value that happened, not one between two (7 min, not 6.5).
    rank = max(1, -(-len(ordered) * share // 1))
    return ordered[int(rank) - 1]


def times_to_keep(times: Iterable[KeepTime], ask: ReportAsk) -> list[TimeToKeep]:
    by_kind: dict[str, list[float]] = {}
    for t in times:
        if (ask.kind is None or t.kind == ask.kind.value) and (
            ask.made_by is None or t.made_by == ask.made_by
        ):
            by_kind.setdefault(t.kind, []).append(t.seconds / 60)
    found = []
    for kind in PromiseKind:
        minutes = sorted(by_kind.get(kind.value, ()))
        if minutes:
            median, p90 = _quantile(minutes, 0.5), _quantile(minutes, 0.9)
            found.append(TimeToKeep(kind, len(minutes), round(median, 1), round(p90, 1)))
    return found


@dataclass(frozen=True)
class PromiseReport:
    period: Period
    ask: ReportAsk
    total: Tally
    by_week: list[Group]  # every week of the period, empty ones too: a gap is news
    by_kind: list[Group]
    by_location: list[Group]
    by_staff: list[Group]
    makers: list[tuple[str, str]]  # (id, name) of everyone who made one, for the filter
    time_to_keep: list[TimeToKeep] = field(default_factory=list)  # by kind, kept ones only

    def groups(self, by: GroupBy) -> list[Group]:
        return {
            GroupBy.WEEK: self.by_week,
            GroupBy.KIND: self.by_kind,
            GroupBy.LOCATION: self.by_location,
            GroupBy.STAFF: self.by_staff,
        }[by]


def _wanted(count: OutcomeCount, ask: ReportAsk) -> bool:
    return (ask.kind is None or count.kind == ask.kind.value) and (
        ask.made_by is None or count.made_by == ask.made_by
    )


_NOTHING = {outcome.value: 0 for outcome in Outcome}


def _grouped(
    counts: Iterable[OutcomeCount], key: Callable[[OutcomeCount], str]
) -> dict[str, Tally]:
    # Plain integers while adding up: a year of a big chain is tens of thousands of counts.
    sums: dict[str, dict[str, int]] = {}
    for count in counts:
        outcomes = sums.get(key(count))
        if outcomes is None:
            outcomes = sums[key(count)] = dict(_NOTHING)
        outcomes[count.outcome] += count.count  # a StrEnum member hashes as its value
    return {value: Tally(**outcomes) for value, outcomes in sums.items()}


def tally_report(
    counts: Sequence[OutcomeCount],
    period: Period,
    ask: ReportAsk,
    location_names: dict[str, str],
    keep_times: Sequence[KeepTime] = (),
) -> PromiseReport:
    """The report from the storage's counts: the maths, with no I/O."""
    chosen = [count for count in counts if _wanted(count, ask)]
    total = _grouped(chosen, lambda _: "all").get("all", Tally())
    weeks = _grouped(chosen, lambda count: str(count.week))
    by_week = [
        Group(
            key=period.week_label(index),
            label=period.week_label(index),
            tally=weeks.get(str(index), Tally()),
            first_day=period.week_first_day(index),
        )
        for index in range(len(period.week_starts))
    ]
    kinds = _grouped(chosen, lambda count: count.kind)
    by_kind = [Group(k.value, k.value, kinds[k.value]) for k in PromiseKind if k.value in kinds]
    places = _grouped(chosen, lambda count: count.location_id)
    by_location = sorted(
        (Group(key, location_names.get(key, key), tally) for key, tally in places.items()),
        key=lambda group: (group.label.casefold(), group.key),
    )
    # Makers are told apart by id (two Olgas are two people); the name is the one stored with
    # their promises. Every maker in the period is offered in the filter, whatever it holds.
    makers = {count.made_by: count.made_by_label for count in counts}
    people = _grouped(chosen, lambda count: count.made_by)
    # The busiest first: their rate rests on the most promises (and code-point order would
    # put Ukrainian's І after Я anyway).
    by_staff = sorted(
        (Group(key, makers.get(key, key), tally) for key, tally in people.items()),
        key=lambda group: (-group.tally.counted, -group.tally.made, group.label.casefold()),
    )
    return PromiseReport(
        period=period,
        ask=ask,
        total=total,
        by_week=by_week,
        by_kind=by_kind,
        by_location=by_location,
        by_staff=by_staff,
        makers=sorted(makers.items(), key=lambda maker: (maker[1].casefold(), maker[0])),
        time_to_keep=times_to_keep(keep_times, ask),
    )


def promise_report(ask: ReportAsk, uow: UnitOfWork, clock: Clock, actor: Actor) -> PromiseReport:
    """The report for managers (their locations) and admins (every location)."""
    actor.require(Permission.VIEW_REPORTS)
    now = clock.now()
    with uow:
        where = report_scope(uow, actor, ask.location_id)
        period = report_period(now, report_zone(where.covered), ask.since, ask.until)
        counts = uow.promises.count_outcomes(
            period.week_starts, period.ends_at, now, where.location_ids
        )
        kept = uow.promises.keep_times(
            period.week_starts[0], period.ends_at, where.location_ids, _MOST_KEEP_TIMES
        )
    names = {location.id: location.name for location in where.every}
    return tally_report(counts, period, ask, names, kept)


CSV_COLUMNS = (
    "group_by",
    "key",
    "label",
    "first_day",
    "made",
    "counted",
    "kept",
    "kept_late",
    "broken",
    "overdue",
    "waiting",
    "cancelled",
    "withdrawn",
    "kept_rate",
    "on_time_share",
    "late_share",
    "broken_share",
)


def _share(value: float | None) -> str:
    return "" if value is None else f"{value:.4f}"


def _csv_row(by: str, group: Group) -> list[str]:
    t = group.tally
    counts = [t.made, t.counted, t.kept, t.kept_late, t.broken, t.overdue, t.waiting]
    counts += [t.cancelled, t.withdrawn]
    shares = [t.kept_rate, t.on_time_share, t.late_share, t.broken_share]
    first_day = group.first_day.isoformat() if group.first_day else ""
    labels = [by, spreadsheet_safe(group.key), spreadsheet_safe(group.label), first_day]
    return [*labels, *map(str, counts), *map(_share, shares)]


def report_csv(report: PromiseReport, groupings: Sequence[GroupBy]) -> str:
    """One row per group (and one for the whole period), starting with a byte-order mark.

    Excel reads a CSV without the mark in the machine's legacy code page, which turns Cyrillic
    names into mojibake; with it, Excel reads UTF-8.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    period = f"{report.period.since.isoformat()}/{report.period.until.isoformat()}"
    writer.writerow(_csv_row("all", Group(period, period, report.total)))
    for by in groupings:
        for group in report.groups(by):
            writer.writerow(_csv_row(by.value, group))
    return "\ufeff" + out.getvalue()
