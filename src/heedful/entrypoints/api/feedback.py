"""/api/v1 surveys, answers, their figures, recoveries, the CX index and churn risk."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response

from heedful.core.feedback import handlers as feedback
from heedful.core.feedback import indices, recovery, surveys
from heedful.core.feedback.churn import ChurnRisk
from heedful.core.feedback.cx_index import ALL, Cell, CxValue
from heedful.core.feedback.loop import RecoveryLoop
from heedful.core.feedback.model import (
    Choice,
    Survey,
    SurveyAnswer,
    SurveyKind,
    SurveyText,
    Touchpoint,
)
from heedful.core.feedback.ports import AnswerFilter
from heedful.core.unit_of_work import UnitOfWork
from heedful.entrypoints.api.auth import Context, get_context
from heedful.entrypoints.api.feedback_schemas import (
    AnswerOut,
    ChurnOut,
    ChurnReasonOut,
    CloseRecoveryIn,
    CxCellIn,
    CxValueOut,
    FigureOut,
    InvitationOut,
    InviteIn,
    RecomputedOut,
    RecoveryOut,
    SurveyIn,
    SurveyOut,
    ThemeOut,
)
from heedful.entrypoints.api.idempotency import write
from heedful.entrypoints.api.promise_schemas import Instant
from heedful.entrypoints.api.schemas import NO_NUL

router = APIRouter()
Ctx = Annotated[Context, Depends(get_context)]
AnId = Annotated[str, Path(min_length=1, max_length=40, pattern=NO_NUL)]
Limit = Annotated[int, Query(ge=1, le=1000)]
Since = Annotated[Instant | None, Query(description="From (inclusive), with its UTC offset")]
Until = Annotated[Instant | None, Query(description="Until (exclusive), with its UTC offset")]


def survey_out(s: Survey) -> SurveyOut:
    return SurveyOut(
        id=s.id,
        name=s.name,
        kind=s.kind,
        touchpoint=s.touchpoint,
        texts={
            lang: {
                "question": t.question,
                "comment_prompt": t.comment_prompt,
                "choices_prompt": t.choices_prompt,
                "thanks": t.thanks,
            }
            for lang, t in s.texts.items()
        },
        ask_comment=s.ask_comment,
        choices=[{"key": c.key, "labels": c.labels} for c in s.choices],
        location_id=s.location_id,
        valid_for_hours=int(s.valid_for.total_seconds() // 3600),
        active=s.active,
        created_at=s.created_at,
        updated_at=s.updated_at,
    )


def _defined(body: SurveyIn) -> surveys.DefineSurvey:
    return surveys.DefineSurvey(
        name=body.name,
        kind=body.kind,
        touchpoint=body.touchpoint,
        texts={
            lang: SurveyText(t.question, t.comment_prompt, t.choices_prompt, t.thanks)
            for lang, t in body.texts.items()
        },
        ask_comment=body.ask_comment,
        choices=tuple(Choice(c.key, dict(c.labels)) for c in body.choices),
        location_id=body.location_id,
        valid_for=timedelta(hours=body.valid_for_hours),
        active=body.active,
    )


@router.post(
    "/surveys",
    status_code=201,
    response_model=SurveyOut,
    tags=["surveys"],
    summary="Define a CSAT, NPS or CES survey for a touchpoint, in the customers' languages",
)
def define(request: Request, ctx: Ctx, body: SurveyIn) -> Response:
    def action(uow: UnitOfWork) -> SurveyOut:
        return survey_out(
            surveys.define_survey(_defined(body), uow, ctx.container.clock, ctx.actor)
        )

    return write(request, ctx, body, 201, action)


@router.get("/surveys", response_model=list[SurveyOut], tags=["surveys"], summary="The surveys")
def list_all(ctx: Ctx) -> list[SurveyOut]:
    return [
        survey_out(s) for s in surveys.list_surveys(ctx.container.uow(read_only=True), ctx.actor)
    ]


@router.put(
    "/surveys/{survey_id}",
    response_model=SurveyOut,
    tags=["surveys"],
    summary="Reword a survey or switch it off; its kind stays",
)
def change(request: Request, ctx: Ctx, survey_id: AnId, body: SurveyIn) -> Response:
    def action(uow: UnitOfWork) -> SurveyOut:
        changed = surveys.change_survey(
            survey_id, _defined(body), uow, ctx.container.clock, ctx.actor
        )
        return survey_out(changed)

    return write(request, ctx, body, 200, action)


@router.post(
    "/surveys/{survey_id}/invitations",
    status_code=201,
    response_model=InvitationOut,
    tags=["surveys"],
    summary="Send the survey to a customer after a touchpoint (consent and cap honoured)",
)
def send(request: Request, ctx: Ctx, survey_id: AnId, body: InviteIn) -> Response:
    def action(uow: UnitOfWork) -> tuple[int, InvitationOut]:
        cmd = feedback.Invite(
            survey_id=survey_id,
            customer_id=body.customer_id,
            location_id=body.location_id,
            staff_id=body.staff_id,
            cause=body.cause,
            touchpoint=body.touchpoint,
        )
        done = feedback.invite(cmd, uow, ctx.container.clock, ctx.actor)
        if done.invitation is None:
            return 200, InvitationOut(
                id=None, survey_id=survey_id, customer_id=body.customer_id, skipped=done.skipped
            )
        made = done.invitation
        return 201, InvitationOut(
            id=made.id,
            survey_id=survey_id,
            customer_id=made.customer_id,
            expires_at=made.expires_at,
            message_id=made.message_id,
        )

    return write(request, ctx, body, 201, action)


def answer_out(a: SurveyAnswer) -> AnswerOut:
    return AnswerOut(
        id=a.id,
        survey_id=a.survey_id,
        kind=a.kind,
        customer_id=a.customer_id,
        score=a.score,
        comment=a.comment,
        choices=list(a.choices),
        language=a.language,
        answered_at=a.answered_at,
        location_id=a.location_id,
        staff_id=a.staff_id,
        staff_label=a.staff_label,
        touchpoint=a.touchpoint,
        segment=a.segment,
        sentiment=a.sentiment.value if a.sentiment else None,
        sentiment_score=a.sentiment_score,
        emotions=a.emotions,
        themes=[
            ThemeOut(theme=t.theme, sentiment=t.sentiment.value, score=t.score, excerpt=t.excerpt)
            for t in a.themes
        ],
    )


def _filter(
    kind: SurveyKind | None,
    since: datetime | None,
    until: datetime | None,
    location_id: str | None,
    touchpoint: Touchpoint | None,
    segment: str | None,
    survey_id: str | None,
) -> AnswerFilter:
    return AnswerFilter(
        since=since,
        until=until,
        kind=kind,
        survey_id=survey_id,
        location_ids=frozenset({location_id}) if location_id else None,
        touchpoint=touchpoint,
        segment=segment,
    )


Kind = Annotated[SurveyKind | None, Query()]
Where = Annotated[str | None, Query(max_length=40, pattern=NO_NUL)]


@router.get(
    "/answers",
    response_model=list[AnswerOut],
    tags=["surveys"],
    summary="Survey answers, newest first, with their comments' readings",
)
def answers(
    ctx: Ctx,
    kind: Kind = None,
    since: Since = None,
    until: Until = None,
    location_id: Where = None,
    touchpoint: Touchpoint | None = None,
    segment: Where = None,
    survey_id: Where = None,
    limit: Limit = 100,
) -> list[AnswerOut]:
    where = _filter(kind, since, until, location_id, touchpoint, segment, survey_id)
    found = feedback.list_answers(ctx.container.uow(read_only=True), ctx.actor, where, limit)
    return [answer_out(a) for a in found]


@router.get(
    "/answers/figures",
    response_model=list[FigureOut],
    tags=["surveys"],
    summary="NPS, CSAT or CES of the answers, with sample size, 95 % interval and definition",
)
def figures(
    ctx: Ctx,
    kind: SurveyKind,
    since: Since = None,
    until: Until = None,
    location_id: Where = None,
    touchpoint: Touchpoint | None = None,
    segment: Where = None,
    survey_id: Where = None,
) -> list[FigureOut]:
    where = _filter(kind, since, until, location_id, touchpoint, segment, survey_id)
    return [
        FigureOut(
            measure=f.measure,
            value=float(f.value) if f.value is not None else None,
            low=float(f.low) if f.low is not None else None,
            high=float(f.high) if f.high is not None else None,
            sample_size=f.sample_size,
            method=f.method,
            definition=f.definition,
        )
        for f in feedback.measure(ctx.container.uow(read_only=True), ctx.actor, where)
    ]


def recovery_out(loop: RecoveryLoop, now: datetime) -> RecoveryOut:
    return RecoveryOut(
        id=loop.id,
        answer_id=loop.answer_id,
        customer_id=loop.customer_id,
        location_id=loop.location_id,
        promise_id=loop.promise_id,
        reasons=[r.value for r in loop.reasons],
        opened_at=loop.opened_at,
        due_at=loop.due_at,
        state=loop.state.value,
        overdue=loop.is_overdue(now),
        closed_at=loop.closed_at,
        closed_in_time=loop.closed_in_time,
        root_cause=loop.root_cause,
        root_cause_note=loop.root_cause_note,
        action_taken=loop.action_taken,
        closed_by=loop.closed_by_label,
    )


@router.get(
    "/recoveries",
    response_model=list[RecoveryOut],
    tags=["surveys"],
    summary="Recoveries opened by unhappy answers: open ones by deadline, else newest first",
)
def recoveries(
    ctx: Ctx, open_only: bool = False, customer_id: Where = None, limit: Limit = 100
) -> list[RecoveryOut]:
    found = recovery.list_recoveries(
        ctx.container.uow(read_only=True),
        ctx.actor,
        open_only=open_only,
        customer_id=customer_id,
        limit=limit,
    )
    now = ctx.container.clock.now()
    return [recovery_out(loop, now) for loop in found]


@router.post(
    "/recoveries/{loop_id}/close",
    response_model=RecoveryOut,
    tags=["surveys"],
    summary="Close a recovery: a root cause and the action taken are required",
)
def close(request: Request, ctx: Ctx, loop_id: AnId, body: CloseRecoveryIn) -> Response:
    def action(uow: UnitOfWork) -> RecoveryOut:
        cmd = recovery.CloseRecovery(
            loop_id, body.root_cause, body.root_cause_note, body.action_taken
        )
        clock = ctx.container.clock
        return recovery_out(recovery.close_recovery(cmd, uow, clock, ctx.actor), clock.now())

    return write(request, ctx, body, 200, action)


def cx_out(v: CxValue) -> CxValueOut:
    return CxValueOut(
        id=v.id,
        period_start=v.cell.period_start,
        period_end=v.cell.period_end,
        touchpoint=v.cell.touchpoint,
        location_id=v.cell.location_id,
        segment=v.cell.segment,
        value=v.value,
        emotion=v.emotion,
        product_value=v.product_value,
        previous_value=v.previous_value,
        trend=v.trend,
        formula_version=v.formula_version,
        inputs=v.inputs,
        computed_at=v.computed_at,
    )


@router.post(
    "/cx-index",
    status_code=201,
    response_model=CxValueOut,
    tags=["surveys"],
    summary="Compute and store the CX index of a period and cell, with inputs and trend",
)
def compute(request: Request, ctx: Ctx, body: CxCellIn) -> Response:
    def action(uow: UnitOfWork) -> CxValueOut:
        cell = Cell(
            body.period_start,
            body.period_end,
            body.touchpoint.value if body.touchpoint else ALL,
            body.location_id or ALL,
            body.segment or ALL,
        )
        [value] = indices.compute_cx_index([cell], uow, ctx.container.clock, ctx.actor)
        return cx_out(value)

    return write(request, ctx, body, 201, action)


@router.get(
    "/cx-index",
    response_model=list[CxValueOut],
    tags=["surveys"],
    summary="Stored CX index values, newest period first",
)
def cx_values(
    ctx: Ctx,
    since: Since = None,
    until: Until = None,
    location_id: Where = None,
    touchpoint: Where = None,
    segment: Where = None,
    limit: Limit = 500,
) -> list[CxValueOut]:
    found = indices.list_cx_values(
        ctx.container.uow(read_only=True),
        ctx.actor,
        since=since,
        until=until,
        location_id=location_id,
        touchpoint=touchpoint,
        segment=segment,
        limit=limit,
    )
    return [cx_out(v) for v in found]


@router.get(
    "/cx-index/{value_id}/recomputed",
    response_model=RecomputedOut,
    tags=["surveys"],
    summary="Recompute a stored value from its inputs and from the data: they agree",
)
def recomputed(ctx: Ctx, value_id: AnId) -> RecomputedOut:
    again = indices.recompute_cx_value(value_id, ctx.container.uow(read_only=True), ctx.actor)
    return RecomputedOut(
        stored=cx_out(again.stored),
        from_inputs=again.from_inputs,
        from_data=again.from_data,
        same_inputs=again.same_inputs,
    )


def churn_out(full_name: str, risk: ChurnRisk) -> ChurnOut:
    return ChurnOut(
        customer_id=risk.customer_id,
        full_name=full_name,
        score=risk.score,
        reasons=[ChurnReasonOut(code=r.code, values=r.values) for r in risk.reasons],
        inputs=risk.inputs,
        computed_at=risk.computed_at,
    )


@router.get(
    "/churn",
    response_model=list[ChurnOut],
    tags=["surveys"],
    summary="Customers most at risk of leaving first, with the reasons",
)
def churn(ctx: Ctx, limit: Annotated[int, Query(ge=1, le=500)] = 50) -> list[ChurnOut]:
    found = indices.list_churn_risks(ctx.container.uow(read_only=True), ctx.actor, limit)
    return [churn_out(r.customer.full_name, r.risk) for r in found]


@router.post(
    "/churn/assessments",
    tags=["surveys"],
    summary="Score every customer's churn risk now from their history and answers",
)
def assess(request: Request, ctx: Ctx) -> Response:
    def action(uow: UnitOfWork) -> dict[str, int]:
        return {"assessed": indices.assess_churn(uow, ctx.container.clock, ctx.actor)}

    return write(request, ctx, {}, 200, action)
