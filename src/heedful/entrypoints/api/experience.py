"""`GET /api/v1/reports/experience`: the experience dashboard as JSON, or one chart as CSV."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request, Response

from heedful.core.feedback.dashboard import DEFINITION, DashboardAsk, experience_report
from heedful.core.feedback.dashboard_csv import Chart, chart_csv
from heedful.core.feedback.maths import Figure
from heedful.core.feedback.model import Touchpoint
from heedful.entrypoints.api.auth import Context, get_context
from heedful.entrypoints.api.schemas import NO_NUL, Out

router = APIRouter()
Ctx = Annotated[Context, Depends(get_context)]
CSV = "text/csv"


class FigureOut(Out):
    measure: str
    value: Decimal | None
    low: Decimal | None
    high: Decimal | None
    sample_size: int
    interval: str
    definition: str


class DistributionOut(Out):
    kind: str
    answers_by_score: dict[str, int]


class TrendPointOut(Out):
    key: str
    first_day: date
    last_day: date
    figures: list[FigureOut]


class HeatCellOut(Out):
    touchpoint: str
    location_id: str
    answers: int
    emotion: float | None
    cx_index: float | None
    cx_previous: float | None
    cx_formula_version: str | None


class SeriesOut(Out):
    name: str
    mentions: list[int]
    sentiments: dict[str, int]


class LoopsOut(Out):
    opened: int
    closed_in_time: int
    closed_late: int
    still_open: int
    overdue: int


class ExperienceOut(Out):
    since: date
    until: date
    step: str
    buckets: list[str]
    definition: str
    figures: list[FigureOut]
    distributions: list[DistributionOut]
    trend: list[TrendPointOut]
    comments: int
    sentiments: dict[str, int]
    mean_sentiment: float | None
    heat_map: list[HeatCellOut]
    themes: list[SeriesOut]
    emotions: list[SeriesOut]
    loops: LoopsOut
    root_causes: list[SeriesOut]


def _figure(f: Figure) -> FigureOut:
    return FigureOut(
        measure=f.measure,
        value=f.value,
        low=f.low,
        high=f.high,
        sample_size=f.sample_size,
        interval=f.method,
        definition=f.definition,
    )


@router.get(
    "/reports/experience",
    response_model=ExperienceOut,
    responses={200: {"content": {CSV: {"schema": {"type": "string"}}}}},
    tags=["reports"],
    summary="NPS, CSAT and CES with intervals, trends, CX index, themes, the closed loop",
)
def experience(
    request: Request,
    ctx: Ctx,
    since: Annotated[date | None, Query(description="First day; default 12 ISO weeks back")] = None,
    until: Annotated[date | None, Query(description="Last day included; default today")] = None,
    location_id: Annotated[str | None, Query(max_length=40, pattern=NO_NUL)] = None,
    segment: Annotated[str | None, Query(max_length=30, pattern=NO_NUL)] = None,
    touchpoint: Touchpoint | None = None,
    chart: Chart = Chart.FIGURES,
    format: Annotated[
        Literal["json", "csv"] | None, Query(description="Or send Accept: text/csv")
    ] = None,
) -> Response | ExperienceOut:
    ask = DashboardAsk(since, until, location_id, segment, touchpoint)
    found = experience_report(
        ask, ctx.container.uow(read_only=True), ctx.container.clock, ctx.actor
    )
    if format == "csv" or (format is None and CSV in request.headers.get("accept", "")):
        return Response(chart_csv(found, chart), media_type=f"{CSV}; charset=utf-8")
    return ExperienceOut(
        since=found.since,
        until=found.until,
        step=found.step.value,
        buckets=[bucket.key for bucket in found.buckets],
        definition=DEFINITION,
        figures=[_figure(f) for kind in found.kinds for f in kind.figures],
        distributions=[
            DistributionOut(
                kind=kind.kind.value,
                answers_by_score={str(score): n for score, n in kind.histogram.items()},
            )
            for kind in found.kinds
        ],
        trend=[
            TrendPointOut(
                key=point.bucket.key,
                first_day=point.bucket.first_day,
                last_day=point.bucket.last_day,
                figures=[_figure(f) for f in point.figures.values()],
            )
            for point in found.trend
        ],
        comments=found.comments,
        sentiments=found.sentiments,
        mean_sentiment=found.mean_sentiment,
        heat_map=[
            HeatCellOut(
                touchpoint=cell.touchpoint,
                location_id=cell.location_id,
                answers=cell.answers,
                emotion=cell.emotion,
                cx_index=cell.cx.value if cell.cx else None,
                cx_previous=cell.cx.previous_value if cell.cx else None,
                cx_formula_version=cell.cx.formula_version if cell.cx else None,
            )
            for cell in found.heat
        ],
        themes=[
            SeriesOut(name=s.name, mentions=s.mentions, sentiments=s.sentiments)
            for s in found.themes
        ],
        emotions=[
            SeriesOut(name=s.name, mentions=s.mentions, sentiments={}) for s in found.emotions
        ],
        loops=LoopsOut(
            opened=found.loops.opened,
            closed_in_time=found.loops.closed_in_time,
            closed_late=found.loops.closed_late,
            still_open=found.loops.still_open,
            overdue=found.loops.overdue,
        ),
        root_causes=[
            SeriesOut(name=s.name, mentions=s.mentions, sentiments={}) for s in found.root_causes
        ],
    )
