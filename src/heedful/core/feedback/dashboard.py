"""The experience dashboard: NPS, CSAT and CES with their trends and distributions, the CX index
by touchpoint and location, the themes and emotions of comments, and the closed-loop board.

Every number comes from the rollups (``dashboard_ports.DashboardReads``) summed over the blocks
that cover the period (``blocks.cover``), and the rates from ``maths.figures`` on the summed
histograms: the very function that computes them from raw answers, so both agree to the digit.

What is counted: answers given from ``since`` to ``until`` (both included) on the local calendar
of the location each answer is about; the manager's locations only; one segment and one
touchpoint when asked. Recovery loops count with the day they were opened; root causes with the
day the loop was closed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from heedful.core.access import Actor, Permission
from heedful.core.feedback.blocks import Block, Bucket, Step, buckets, cover, step_for
from heedful.core.feedback.cx_index import FORMULA_VERSION, SCORE_WEIGHT, TEXT_WEIGHT, CxValue
from heedful.core.feedback.dashboard_ports import (
    SENTIMENTS,
    LoopCounts,
    RollupFilter,
    ScoreCounts,
)
from heedful.core.feedback.maths import Figure, figures
from heedful.core.feedback.model import SCALE, SurveyKind, Touchpoint
from heedful.core.reports import (
    EARLIEST_DAY,
    LONGEST_PERIOD_DAYS,
    WEEKS_BY_DEFAULT,
    report_scope,
    report_zone,
)
from heedful.core.shared.clock import Clock
from heedful.core.shared.errors import InvalidInput
from heedful.core.unit_of_work import UnitOfWork

MEASURES = ("nps", "csat", "ces", "ces_easy")
KIND_OF = {"nps": SurveyKind.NPS, "csat": SurveyKind.CSAT, "ces": SurveyKind.CES}
KIND_OF["ces_easy"] = SurveyKind.CES
# What the API says next to the numbers; the console says it in the reader's language.
DEFINITION = (
    "Answers given from since to until, both included, on the local calendar of the location "
    "each answer is about. Recovery loops count in the day they were opened, root causes in the "
    "day their loop was closed. Emotion is the CX index's: each answer's score on its scale, "
    "blended 70/30 with its comment's tone when it has one, 0 to 100."
)


@dataclass(frozen=True)
class DashboardAsk:
    """What the manager asked for; every field may be left out."""

    since: date | None = None
    until: date | None = None
    location_id: str | None = None
    segment: str | None = None
    touchpoint: Touchpoint | None = None


@dataclass(frozen=True)
class KindFigures:
    kind: SurveyKind
    figures: list[Figure]
    histogram: dict[int, int]  # every score of the scale, those nobody gave as 0


@dataclass(frozen=True)
class TrendPoint:
    bucket: Bucket
    figures: dict[str, Figure]  # measure -> figure of the answers in this week or month


@dataclass(frozen=True)
class HeatCell:
    touchpoint: str
    location_id: str
    answers: int
    emotion: float | None  # 0-100, from the rollups, as the CX index computes it
    cx: CxValue | None  # the stored index of the latest period inside the dashboard's


@dataclass(frozen=True)
class TopicSeries:
    """One theme or emotion: mentions in each bucket of the trend, and how they were said."""

    name: str
    mentions: list[int]
    sentiments: dict[str, int]  # over the whole period

    @property
    def total(self) -> int:
        return sum(self.mentions)


@dataclass(frozen=True)
class LoopBoard:
    opened: int
    closed_in_time: int
    closed_late: int
    overdue: int  # open past the deadline now, whenever opened

    @property
    def still_open(self) -> int:
        return self.opened - self.closed_in_time - self.closed_late

    @property
    def in_time_share(self) -> float | None:
        """Of the loops opened in the period, the share closed in time."""
        return self.closed_in_time / self.opened if self.opened else None


@dataclass(frozen=True)
class ExperienceReport:
    ask: DashboardAsk
    since: date
    until: date
    time_zone: str  # "today" is read on this clock; days are each location's own
    step: Step
    buckets: list[Bucket]
    kinds: list[KindFigures]
    trend: list[TrendPoint]
    comments: int
    sentiments: dict[str, int]
    mean_sentiment: float | None  # -1..1
    heat: list[HeatCell]
    themes: list[TopicSeries]
    emotions: list[TopicSeries]
    loops: LoopBoard
    root_causes: list[TopicSeries]
    location_names: dict[str, str]
    segments: list[str] = field(default_factory=list)
    # The kinds of survey the locations ask (a survey on) or were answered in the period: a
    # figure of a kind nobody asks is left off, not shown as a dash.
    collected: frozenset[SurveyKind] = frozenset(SurveyKind)

    def collects(self, measure: str) -> bool:
        return KIND_OF.get(measure, SurveyKind(measure)) in self.collected

    def figure(self, measure: str) -> Figure | None:
        for kind in self.kinds:
            for found in kind.figures:
                if found.measure == measure:
                    return found
        return None

    @property
    def answers(self) -> int:
        return sum(sum(kind.histogram.values()) for kind in self.kinds)


def dashboard_period(
    now: datetime, zone: str, since: date | None, until: date | None
) -> tuple[date, date]:
    """The days asked for, by default the last twelve ISO weeks up to today."""
    today = now.astimezone(ZoneInfo(zone)).date()
    last = min(until, today) if until is not None else today
    monday = today - timedelta(days=today.weekday())
    first = since if since is not None else monday - timedelta(weeks=WEEKS_BY_DEFAULT - 1)
    if first < EARLIEST_DAY:
        raise InvalidInput("the period starts in 2000 or later", field="since")
    if first > last:
        raise InvalidInput("the period's first day comes after its last", field="since")
    if (last - first).days >= LONGEST_PERIOD_DAYS:
        raise InvalidInput("a dashboard covers at most two years", field="since")
    return first, last


def _summed(rows: Sequence[ScoreCounts]) -> dict[str, ScoreCounts]:
    """Rows of one kind added up (per block or place rows into one per kind)."""
    sums: dict[str, ScoreCounts] = {}
    for row in rows:
        was = sums.get(row.kind)
        if was is None:
            sums[row.kind] = row
            continue
        histogram = dict(was.histogram)
        for score, count in row.histogram.items():
            histogram[score] = histogram.get(score, 0) + count
        sentiments = {s: was.sentiments.get(s, 0) + row.sentiments.get(s, 0) for s in SENTIMENTS}
        sums[row.kind] = ScoreCounts(
            kind=row.kind,
            answers=was.answers + row.answers,
            histogram=histogram,
            comments=was.comments + row.comments,
            sentiments=sentiments,
            sentiment_milli_sum=was.sentiment_milli_sum + row.sentiment_milli_sum,
            commented_score_sum=was.commented_score_sum + row.commented_score_sum,
        )
    return sums


def emotion_sum(counts: ScoreCounts) -> float:
    """The sum of ``cx_index.answer_emotion`` over the counted answers, from their sums alone."""
    low, high = SCALE[SurveyKind(counts.kind)]
    width = high - low
    all_scores = sum((score - low) * n for score, n in counts.histogram.items()) / width
    commented = (counts.commented_score_sum - low * counts.comments) / width
    tone = (counts.sentiment_milli_sum / 1000 + counts.comments) / 2
    return all_scores - (1 - SCORE_WEIGHT) * commented + TEXT_WEIGHT * tone


def _kind_figures(sums: dict[str, ScoreCounts]) -> list[KindFigures]:
    found = []
    for kind in SurveyKind:
        low, high = SCALE[kind]
        counts = sums.get(kind.value)
        given = counts.histogram if counts else {}
        histogram = {score: given.get(score, 0) for score in range(low, high + 1)}
        found.append(KindFigures(kind, figures(kind, histogram), histogram))
    return found


def _trend(rows: Sequence[ScoreCounts], bucket_list: list[Bucket]) -> list[TrendPoint]:
    of_block = {block: index for index, b in enumerate(bucket_list) for block in b.blocks}
    per_bucket: list[list[ScoreCounts]] = [[] for _ in bucket_list]
    for row in rows:
        if row.block is not None and row.block in of_block:
            per_bucket[of_block[row.block]].append(row)
    points = []
    for bucket, bucket_rows in zip(bucket_list, per_bucket, strict=True):
        kinds = _kind_figures(_summed(bucket_rows))
        points.append(TrendPoint(bucket, {f.measure: f for kind in kinds for f in kind.figures}))
    return points


def _series(
    rows: Sequence[tuple[Block, str, int, dict[str, int]]], bucket_list: list[Bucket]
) -> list[TopicSeries]:
    of_block = {block: index for index, b in enumerate(bucket_list) for block in b.blocks}
    mentions: dict[str, list[int]] = {}
    said: dict[str, dict[str, int]] = {}
    for block, name, count, sentiments in rows:
        index = of_block.get(block)
        if index is None:
            continue
        mentions.setdefault(name, [0] * len(bucket_list))[index] += count
        tally = said.setdefault(name, dict.fromkeys(SENTIMENTS, 0))
        for sentiment, n in sentiments.items():
            tally[sentiment] = tally.get(sentiment, 0) + n
    series = [TopicSeries(name, mentions[name], said[name]) for name in mentions]
    # The most spoken of first: the chart's first lines are the ones that matter.
    return sorted(series, key=lambda s: (-s.total, s.name))


def _newer(value: CxValue) -> tuple[datetime, bool, datetime]:
    """Which stored value of a cell the map shows: the latest period; for one period stored under
    two formulas (after an upgrade), the current formula's; then the latest computed."""
    return (value.cell.period_end, value.formula_version == FORMULA_VERSION, value.computed_at)


def _heat(rows: Sequence[ScoreCounts], values: Sequence[CxValue]) -> list[HeatCell]:
    answers: dict[tuple[str, str], int] = {}
    emotions: dict[tuple[str, str], float] = {}
    for row in rows:
        cell = (row.touchpoint or "", row.location_id or "")
        answers[cell] = answers.get(cell, 0) + row.answers
        emotions[cell] = emotions.get(cell, 0.0) + emotion_sum(row)
    latest: dict[tuple[str, str], CxValue] = {}
    for value in values:
        cell = (value.cell.touchpoint, value.cell.location_id)
        if not cell[0] or not cell[1]:
            continue  # a marginal ("every touchpoint"): the map shows pairs
        was = latest.get(cell)
        if was is None or _newer(value) > _newer(was):
            latest[cell] = value
    cells = set(answers) | set(latest)
    return [
        HeatCell(
            touchpoint=touchpoint,
            location_id=location_id,
            answers=answers.get((touchpoint, location_id), 0),
            emotion=(
                round(
                    100 * emotions[(touchpoint, location_id)] / answers[(touchpoint, location_id)],
                    1,
                )
                if answers.get((touchpoint, location_id))
                else None
            ),
            cx=latest.get((touchpoint, location_id)),
        )
        for touchpoint, location_id in sorted(cells)
    ]


def _where(ask: DashboardAsk, scope: frozenset[str] | None) -> RollupFilter:
    return RollupFilter(
        location_ids=scope,
        segment=ask.segment,
        touchpoint=ask.touchpoint.value if ask.touchpoint else None,
    )


def experience_report(
    ask: DashboardAsk, uow: UnitOfWork, clock: Clock, actor: Actor
) -> ExperienceReport:
    """The dashboard for managers (their locations) and admins (every location)."""
    actor.require(Permission.VIEW_REPORTS)
    now = clock.now()
    with uow:
        covers = report_scope(uow, actor, ask.location_id)
        scope = covers.location_ids
        zone = report_zone(covers.covered)
        since, until = dashboard_period(now, zone, ask.since, ask.until)
        step = step_for(since, until)
        bucket_list = buckets(since, until, step)
        whole = cover(since, until)
        trend_blocks = [block for bucket in bucket_list for block in bucket.blocks]
        where = _where(ask, scope)
        reads = uow.dashboard
        totals = _summed(reads.scores(whole, where))
        by_bucket = reads.scores(trend_blocks, where, by_block=True)
        by_place = reads.scores(whole, where, by_place=True)
        topics = reads.topics(trend_blocks, where)
        loops: LoopCounts = reads.loops(whole, where)
        overdue = reads.overdue_loops(now, where)
        causes = reads.root_causes(trend_blocks, where)
        segments = reads.segments()
        asked = [
            survey.kind
            for survey in uow.feedback.surveys.list()
            if survey.location_id is None or scope is None or survey.location_id in scope
        ]
        # The index values whose whole period lies inside the dashboard's, on its clock.
        starts = datetime.combine(since, time(), tzinfo=ZoneInfo(zone)).astimezone(UTC)
        ends = datetime.combine(until + timedelta(days=1), time(), tzinfo=ZoneInfo(zone))
        values = uow.feedback.cx_values.find(
            since=starts, until=ends.astimezone(UTC), segment=ask.segment or "", limit=5000
        )
    if scope is not None:
        values = [v for v in values if v.cell.location_id in scope]
    if ask.touchpoint is not None:
        values = [v for v in values if v.cell.touchpoint == ask.touchpoint.value]
    comments = sum(row.comments for row in totals.values())
    milli = sum(row.sentiment_milli_sum for row in totals.values())
    return ExperienceReport(
        ask=ask,
        since=since,
        until=until,
        time_zone=zone,
        step=step,
        buckets=bucket_list,
        kinds=_kind_figures(totals),
        trend=_trend(by_bucket, bucket_list),
        comments=comments,
        sentiments={s: sum(r.sentiments.get(s, 0) for r in totals.values()) for s in SENTIMENTS},
        mean_sentiment=round(milli / 1000 / comments, 3) if comments else None,
        heat=_heat(by_place, values),
        themes=_series(
            [(t.block, t.name, t.mentions, t.sentiments) for t in topics if t.facet == "theme"],
            bucket_list,
        ),
        emotions=_series(
            [(t.block, t.name, t.mentions, {}) for t in topics if t.facet == "emotion"],
            bucket_list,
        ),
        loops=LoopBoard(loops.opened, loops.closed_in_time, loops.closed_late, overdue),
        root_causes=_series([(c.block, c.root_cause, c.loops, {}) for c in causes], bucket_list),
        location_names={loc.id: loc.name for loc in covers.every},
        segments=segments,
        collected=frozenset(asked) | {SurveyKind(k) for k, row in totals.items() if row.answers},
    )
