"""GET /api/v1/reports/responsiveness: first-response and resolution times, and the SLA share."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import Field

from heedful.core.conversations.report import (
    BENCHMARKS,
    DEFINITION,
    Group,
    GroupBy,
    ResponsivenessAsk,
    Times,
    minutes,
    report_csv,
    responsiveness_report,
)
from heedful.core.sla.kinds import Channel
from heedful.core.sla.model import ClockKind
from heedful.entrypoints.api.auth import Context, get_context
from heedful.entrypoints.api.schemas import NO_NUL, Out

router = APIRouter()
Ctx = Annotated[Context, Depends(get_context)]
CSV = "text/csv"


class TimesOut(Out):
    ended: int = Field(description="Clocks of this kind that ended, met or breached")
    inside_sla: int = Field(description="Met before their due time")
    inside_sla_share: float | None = Field(description="inside_sla / ended; null if none ended")
    answered: int = Field(description="Clocks with an answer: the sample of the times")
    unanswered: int = Field(description="Breached and still unanswered: in no time")
    waited_median_minutes: float | None = Field(description="Wall-clock, start to answer")
    waited_p90_minutes: float | None
    business_median_minutes: float | None = Field(description="As the SLA counted it")
    business_p90_minutes: float | None


class GroupOut(Out):
    key: str = Field(description="2026-W10, a channel, a team's or an agent's id ('' for none)")
    label: str
    first_day: date | None = Field(description="Weeks: the week's first day in the period")
    ended: int
    inside_sla_share: float | None = Field(description="Every kind of clock together")
    first_response: TimesOut
    next_response: TimesOut
    resolution: TimesOut


class BenchmarkOut(Out):
    key: str
    minutes: float
    channel: Channel | None = Field(description="null: held against every first response")
    first_response_median_minutes: float | None = Field(description="Ours, waited")


class ResponsivenessOut(Out):
    since: date
    until: date
    time_zone: str
    definition: str
    group_by: GroupBy
    total: GroupOut
    groups: list[GroupOut]
    benchmarks: list[BenchmarkOut]


def _times(t: Times) -> TimesOut:
    return TimesOut(
        ended=t.ended,
        inside_sla=t.inside,
        inside_sla_share=t.inside_share,
        answered=t.answered,
        unanswered=t.unanswered,
        waited_median_minutes=minutes(t.waited_median),
        waited_p90_minutes=minutes(t.waited_p90),
        business_median_minutes=minutes(t.business_median),
        business_p90_minutes=minutes(t.business_p90),
    )


def _group(g: Group) -> GroupOut:
    return GroupOut(
        key=g.key,
        label=g.label,
        first_day=g.first_day,
        ended=g.ended,
        inside_sla_share=g.inside_share,
        first_response=_times(g.times(ClockKind.FIRST_RESPONSE)),
        next_response=_times(g.times(ClockKind.NEXT_RESPONSE)),
        resolution=_times(g.times(ClockKind.RESOLUTION)),
    )


@router.get(
    "/reports/responsiveness",
    response_model=ResponsivenessOut,
    responses={200: {"content": {CSV: {"schema": {"type": "string"}}}}},
    tags=["reports"],
    summary="First-response and resolution times (median, p90) and the share inside SLA",
)
def responsiveness(
    request: Request,
    ctx: Ctx,
    since: Annotated[date | None, Query(description="First day; default 12 ISO weeks back")] = None,
    until: Annotated[date | None, Query(description="Last day included; default today")] = None,
    location_id: Annotated[str | None, Query(max_length=40, pattern=NO_NUL)] = None,
    channel: Channel | None = None,
    group_by: GroupBy = GroupBy.WEEK,
    format: Annotated[
        Literal["json", "csv"] | None, Query(description="Or send Accept: text/csv")
    ] = None,
) -> Response | ResponsivenessOut:
    ask = ResponsivenessAsk(since, until, location_id, channel)
    found = responsiveness_report(
        ask, ctx.container.uow(read_only=True), ctx.container.clock, ctx.actor
    )
    if format == "csv" or (format is None and CSV in request.headers.get("accept", "")):
        return Response(report_csv(found, [group_by]), media_type=f"{CSV}; charset=utf-8")
    return ResponsivenessOut(
        since=found.period.since,
        until=found.period.until,
        time_zone=found.period.time_zone,
        definition=DEFINITION,
        group_by=group_by,
        total=_group(found.total),
        groups=[_group(g) for g in found.groups(group_by)],
        benchmarks=[
            BenchmarkOut(
                key=b.key,
                minutes=b.minutes,
                channel=b.channel,
                first_response_median_minutes=minutes(found.benchmark_for(b).waited_median),
            )
            for b in BENCHMARKS
        ],
    )
