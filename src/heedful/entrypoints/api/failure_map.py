"""GET /api/v1/reports/failure-map: where service fails, and what became of each failure."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import Field

from heedful.core.failures import (
    Case,
    Cell,
    FailureAsk,
    FailureKind,
    Outcome,
    Touchpoint,
    failure_map,
    map_csv,
)
from heedful.entrypoints.api.auth import Context, get_context
from heedful.entrypoints.api.schemas import NO_NUL, Out

router = APIRouter()
Ctx = Annotated[Context, Depends(get_context)]
CSV = "text/csv"

DEFINITION = (
    "Failures felt in the period, by touchpoint and kind (ADR 0050). pre_empted: a look-ahead "
    "playbook acted on it, or the record was put right, before the customer would have felt it; "
    "rescued: put right after (the record's own repair, or goodwill given to the customer at that "
    "location within 7 days); open: its moment or deadline is still ahead; unhandled: the rest. "
    "recovery_median_minutes: the rescued ones, from failure to repair. next_emotion_mean: the "
    "emotion (0-100, as in the CX index) of each customer's next survey answer within 30 days."
)


class CellOut(Out):
    touchpoint: Touchpoint
    kind: FailureKind
    count: int
    pre_empted: int
    rescued: int
    unhandled: int
    open: int = Field(description="Its moment or deadline is still ahead")
    recovery_median_minutes: float | None = Field(description="Rescued ones; null if none")
    with_next_feedback: int = Field(description="Failures followed by a survey answer")
    next_emotion_mean: float | None = Field(description="0-100; null if none answered")


class CaseOut(Out):
    touchpoint: Touchpoint
    kind: FailureKind
    at: datetime = Field(description="When the customer felt it, or would have")
    outcome: Outcome
    location_id: str
    customer_id: str
    ref: str = Field(description="The record behind it: order:…, promise:…, clock:…, answer:…")
    label: str
    recovery_minutes: float | None
    next_emotion: float | None


class FailureMapOut(Out):
    since: date
    until: date
    time_zone: str
    definition: str
    total: int
    truncated: bool = Field(description="A kind had more failures than one map reads")
    cells: list[CellOut] = Field(description="Every touchpoint x kind, empty ones too")
    cases: list[CaseOut] = Field(description="With touchpoint and kind: that cell's, newest first")


def _cell(c: Cell) -> CellOut:
    return CellOut(
        touchpoint=c.touchpoint,
        kind=c.kind,
        count=c.count,
        pre_empted=c.pre_empted,
        rescued=c.rescued,
        unhandled=c.unhandled,
        open=c.open,
        recovery_median_minutes=c.recovery_median_minutes,
        with_next_feedback=c.with_next_feedback,
        next_emotion_mean=c.next_emotion_mean,
    )


def _case(c: Case) -> CaseOut:
    f = c.failure
    return CaseOut(
        touchpoint=f.touchpoint,
        kind=f.kind,
        at=f.at,
        outcome=c.outcome,
        location_id=f.location_id,
        customer_id=f.customer_id,
        ref=f.ref,
        label=f.label,
        recovery_minutes=c.recovery_minutes,
        next_emotion=c.next_emotion,
    )


@router.get(
    "/reports/failure-map",
    response_model=FailureMapOut,
    responses={200: {"content": {CSV: {"schema": {"type": "string"}}}}},
    tags=["reports"],
    summary="Touchpoints x failure kinds: pre-empted, rescued, unhandled, recovery, emotion",
)
def read_failure_map(
    request: Request,
    ctx: Ctx,
    since: Annotated[date | None, Query(description="First day; default 12 ISO weeks back")] = None,
    until: Annotated[date | None, Query(description="Last day included; default today")] = None,
    location_id: Annotated[str | None, Query(max_length=40, pattern=NO_NUL)] = None,
    touchpoint: Annotated[
        Touchpoint | None, Query(description="With kind: list that cell's cases")
    ] = None,
    kind: Annotated[FailureKind | None, Query(description="With touchpoint")] = None,
    format: Annotated[
        Literal["json", "csv"] | None, Query(description="Or send Accept: text/csv")
    ] = None,
) -> Response | FailureMapOut:
    ask = FailureAsk(since, until, location_id, touchpoint, kind)
    found = failure_map(ctx.container.uow(read_only=True), ctx.container.clock, ctx.actor, ask)
    if format == "csv" or (format is None and CSV in request.headers.get("accept", "")):
        return Response(map_csv(found), media_type=f"{CSV}; charset=utf-8")
    return FailureMapOut(
        since=found.first_day,
        until=found.last_day,
        time_zone=found.time_zone,
        definition=DEFINITION,
        total=found.total,
        truncated=found.truncated,
        cells=[_cell(c) for c in found.cells],
        cases=[_case(c) for c in found.cases],
    )
