"""/api/v1 goodwill: allowances, spends from the card or a task, approvals, and their effect."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from pydantic import Field, StrictBool

from heedful.core import goodwill
from heedful.core.access.model import Role
from heedful.core.unit_of_work import UnitOfWork
from heedful.entrypoints.api.auth import Context, get_context
from heedful.entrypoints.api.idempotency import write
from heedful.entrypoints.api.schemas import NO_NUL, Id, In, Out

router = APIRouter()
Ctx = Annotated[Context, Depends(get_context)]
AnId = Annotated[str, Path(min_length=1, max_length=40, pattern=NO_NUL)]
# A decimal as a string, so that 150.10 stays 150.10 (no binary float on the way).
Amount = Annotated[
    str,
    Field(
        pattern=r"^\d{1,7}(\.\d{1,2})?$", examples=["150.00", "1"], description="Money or a count"
    ),
]
Kind = Annotated[str, Field(min_length=2, max_length=40, examples=["dessert", "money"])]


class AllowanceIn(In):
    location_id: Id
    kind: Kind
    amount: Amount
    currency: Annotated[str, Field(max_length=3)] = ""
    period: goodwill.Period = goodwill.Period.MONTH
    staff_id: Id | None = None
    role: Role | None = None
    approval_above: Amount | None = Field(
        default=None, description="Spends above this wait for a manager's approval"
    )
    label: Annotated[str, Field(max_length=100)] = ""


class AllowanceOut(Out):
    id: str
    location_id: str
    kind: str
    label: str
    amount: str
    currency: str
    period: goodwill.Period
    staff_id: str | None
    role: Role | None
    approval_above: str | None
    set_at: datetime
    set_by_label: str


class RemainingOut(Out):
    allowance: AllowanceOut
    spent: str
    left: str


class SpendIn(In):
    location_id: Id
    kind: Kind
    amount: Amount = "1"
    currency: Annotated[str, Field(max_length=3)] = ""
    reason: Annotated[str, Field(min_length=1, max_length=500)]
    task_id: Id | None = None
    surprise: StrictBool = Field(default=False, description="An unexpected personal gesture")


class DecisionIn(In):
    note: Annotated[str, Field(max_length=500)] = ""


class SpendOut(Out):
    id: str
    customer_id: str
    location_id: str
    kind: str
    amount: str
    currency: str
    reason: str
    surprise: bool
    state: goodwill.SpendState
    staff_id: str
    staff_label: str
    created_at: datetime
    allowance_id: str | None
    task_id: str | None
    decided_at: datetime | None
    decided_by_label: str
    decision_note: str


class EffectOut(Out):
    customers: int
    with_feedback: int
    feedback_mean: float | None = Field(description="The next answer's score, 0-100")
    feedback_share: float | None
    returned: int
    return_share: float | None


class GoodwillReportOut(Out):
    since: datetime
    until: datetime
    within_days: int
    given: int
    awaiting: int
    declined: int
    surprises: int
    money: dict[str, str]
    items: dict[str, str]
    with_goodwill: EffectOut
    with_surprise: EffectOut
    without: EffectOut


def allowance_out(a: goodwill.Allowance) -> AllowanceOut:
    return AllowanceOut(
        id=a.id,
        location_id=a.location_id,
        kind=a.kind,
        label=a.label,
        amount=str(a.amount),
        currency=a.currency,
        period=a.period,
        staff_id=a.staff_id,
        role=a.role,
        approval_above=None if a.approval_above is None else str(a.approval_above),
        set_at=a.set_at,
        set_by_label=a.set_by_label,
    )


def spend_out(s: goodwill.Spend) -> SpendOut:
    fields = {k: getattr(s, k) for k in SpendOut.model_fields if k != "amount"}
    return SpendOut(amount=str(s.amount), **fields)


def _effect(e: goodwill.Effect) -> EffectOut:
    return EffectOut(
        customers=e.customers,
        with_feedback=e.with_feedback,
        feedback_mean=e.feedback_mean,
        feedback_share=e.feedback_share,
        returned=e.returned,
        return_share=e.return_share,
    )


@router.get(
    "/goodwill/allowances",
    response_model=list[AllowanceOut],
    tags=["goodwill"],
    summary="Who may give what, where, per week or month",
)
def allowances(ctx: Ctx) -> list[AllowanceOut]:
    found = goodwill.list_allowances(ctx.container.uow(read_only=True), ctx.actor)
    return [allowance_out(a) for a in found]


@router.post(
    "/goodwill/allowances",
    status_code=201,
    response_model=AllowanceOut,
    tags=["goodwill"],
    summary="Set an allowance for a staff member or a role at a location (replaces the same one)",
)
def set_allowance(request: Request, ctx: Ctx, body: AllowanceIn) -> Response:
    def action(uow: UnitOfWork) -> AllowanceOut:
        cmd = goodwill.SetAllowance(
            location_id=body.location_id,
            kind=body.kind,
            amount=Decimal(body.amount),
            period=body.period,
            currency=body.currency,
            staff_id=body.staff_id,
            role=body.role,
            approval_above=None if body.approval_above is None else Decimal(body.approval_above),
            label=body.label,
        )
        return allowance_out(goodwill.set_allowance(cmd, uow, ctx.container.clock, ctx.actor))

    return write(request, ctx, body, 201, action)


@router.delete(
    "/goodwill/allowances/{allowance_id}",
    status_code=204,
    tags=["goodwill"],
    summary="Withdraw an allowance (what was given from it stays recorded)",
)
def remove_allowance(request: Request, ctx: Ctx, allowance_id: AnId) -> Response:
    def action(uow: UnitOfWork) -> None:
        goodwill.remove_allowance(allowance_id, uow, ctx.container.clock, ctx.actor)

    return write(request, ctx, None, 204, action)


@router.get(
    "/goodwill/allowances/mine",
    response_model=list[RemainingOut],
    tags=["goodwill"],
    summary="What you may still give at a location this week or month, kind by kind",
)
def mine(
    ctx: Ctx, location_id: Annotated[str, Query(min_length=1, max_length=40, pattern=NO_NUL)]
) -> list[RemainingOut]:
    found = goodwill.my_allowances(
        ctx.container.uow(read_only=True), ctx.container.clock, ctx.actor, location_id
    )
    return [
        RemainingOut(allowance=allowance_out(r.allowance), spent=str(r.spent), left=str(r.left))
        for r in found
    ]


@router.post(
    "/customers/{customer_id}/goodwill",
    status_code=201,
    response_model=SpendOut,
    tags=["goodwill"],
    summary="Give goodwill from your allowance, with a reason; above the threshold it waits",
)
def give(request: Request, ctx: Ctx, customer_id: AnId, body: SpendIn) -> Response:
    def action(uow: UnitOfWork) -> SpendOut:
        cmd = goodwill.GiveGoodwill(
            customer_id=customer_id,
            location_id=body.location_id,
            kind=body.kind,
            amount=Decimal(body.amount),
            reason=body.reason,
            currency=body.currency,
            task_id=body.task_id,
            surprise=body.surprise,
        )
        return spend_out(goodwill.give_goodwill(cmd, uow, ctx.container.clock, ctx.actor))

    return write(request, ctx, body, 201, action)


@router.get(
    "/customers/{customer_id}/goodwill",
    response_model=list[SpendOut],
    tags=["goodwill"],
    summary="The goodwill she was given at your locations, newest first",
)
def customer_goodwill(ctx: Ctx, customer_id: AnId) -> list[SpendOut]:
    found = goodwill.customer_spends(ctx.container.uow(read_only=True), ctx.actor, customer_id)
    return [spend_out(s) for s in found]


@router.get(
    "/goodwill/approvals",
    response_model=list[SpendOut],
    tags=["goodwill"],
    summary="Spends waiting for a manager's approval at your locations, oldest first",
)
def approvals(ctx: Ctx) -> list[SpendOut]:
    return [
        spend_out(s)
        for s in goodwill.awaiting_approval(ctx.container.uow(read_only=True), ctx.actor)
    ]


def _decide(
    request: Request, ctx: Context, spend_id: str, approve: bool, body: DecisionIn | None
) -> Response:
    def action(uow: UnitOfWork) -> SpendOut:
        note = body.note if body else ""
        decided = goodwill.decide_spend(
            spend_id, approve, note, uow, ctx.container.clock, ctx.actor
        )
        return spend_out(decided)

    return write(request, ctx, body, 200, action)


@router.post(
    "/goodwill/spends/{spend_id}/approve",
    response_model=SpendOut,
    tags=["goodwill"],
    summary="Approve a spend waiting above the threshold (never your own)",
)
def approve(request: Request, ctx: Ctx, spend_id: AnId, body: DecisionIn | None = None) -> Response:
    return _decide(request, ctx, spend_id, True, body)


@router.post(
    "/goodwill/spends/{spend_id}/decline",
    response_model=SpendOut,
    tags=["goodwill"],
    summary="Decline a spend waiting above the threshold; its share of the allowance is freed",
)
def decline(request: Request, ctx: Ctx, spend_id: AnId, body: DecisionIn | None = None) -> Response:
    return _decide(request, ctx, spend_id, False, body)


@router.get(
    "/reports/goodwill",
    response_model=GoodwillReportOut,
    tags=["reports"],
    summary="What was given, and the next feedback and return of those given it against others",
)
def report(
    ctx: Ctx,
    since: Annotated[
        date | None, Query(description="First day (UTC); default 30 days back")
    ] = None,
    until: Annotated[date | None, Query(description="Last day included; default today")] = None,
    within_days: Annotated[int, Query(ge=1, le=365)] = 30,
    location_id: Annotated[str | None, Query(max_length=40, pattern=NO_NUL)] = None,
) -> GoodwillReportOut:
    today = ctx.container.clock.now().date()
    last = until or today
    first = since or last - timedelta(days=29)
    found = goodwill.goodwill_report(
        ctx.container.uow(read_only=True),
        ctx.actor,
        datetime.combine(first, time(), UTC),
        datetime.combine(last + timedelta(days=1), time(), UTC),
        within_days=within_days,
        location_id=location_id,
    )
    return GoodwillReportOut(
        since=found.since,
        until=found.until,
        within_days=found.within_days,
        given=found.given,
        awaiting=found.awaiting,
        declined=found.declined,
        surprises=found.surprises,
        money={k: str(v) for k, v in found.money.items()},
        items={k: str(v) for k, v in found.items.items()},
        with_goodwill=_effect(found.with_goodwill),
        with_surprise=_effect(found.with_surprise),
        without=_effect(found.without),
    )
