"""/api/v1 promises, the staff's tasks and the outbox: the ledger's face for integrators."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from pydantic import Field

from heedful.core.calendar import LocationBusinessHours
from heedful.core.outreach.handlers import list_customer_messages, list_messages, retry_message
from heedful.core.outreach.outbox import MessageStatus
from heedful.core.promises import handlers as promises
from heedful.core.promises.model import PromiseKind, PromiseState, WantedItem
from heedful.core.promises.report import (
    DEFINITION,
    GroupBy,
    ReportAsk,
    Tally,
    promise_report,
    report_csv,
)
from heedful.core.tasks.handlers import (
    NewTask,
    complete_task,
    create_task,
    list_open_tasks,
    reassign_task,
)
from heedful.core.unit_of_work import UnitOfWork
from heedful.entrypoints.api.auth import Context, get_context
from heedful.entrypoints.api.idempotency import write
from heedful.entrypoints.api.promise_present import message_out, promise_out, task_out
from heedful.entrypoints.api.promise_schemas import (
    CancelIn,
    Instant,
    KeepIn,
    MessageOut,
    PromiseIn,
    PromiseOut,
    TaskAssignmentIn,
    TaskDoneIn,
    TaskIn,
    TaskOut,
    WithdrawIn,
)
from heedful.entrypoints.api.schemas import NO_NUL, Out

router = APIRouter()
Ctx = Annotated[Context, Depends(get_context)]
AnId = Annotated[str, Path(min_length=1, max_length=40, pattern=NO_NUL)]
States = Annotated[
    list[PromiseState] | None, Query(description="Any of these states; repeat for several")
]
Limit = Annotated[int, Query(ge=1, le=500)]


def _made(body: PromiseIn, customer_id: str) -> promises.MakePromise:
    item = None
    if body.item is not None:
        # The item is waited for where the promise was made: one field, never two that disagree.
        item = WantedItem(
            product=body.item.product,
            location_id=body.location_id,
            variant=body.item.variant,
            size=body.item.size,
        )
    return promises.MakePromise(
        customer_id=customer_id,
        kind=body.kind,
        location_id=body.location_id,
        text=body.text,
        due_at=body.due_at,
        due_in_business_minutes=body.due_in_business_minutes,
        item=item,
        owner_id=body.owner_id,
        reference=body.reference,
    )


@router.post(
    "/customers/{customer_id}/promises",
    status_code=201,
    response_model=PromiseOut,
    tags=["promises"],
    summary="Make a promise to the customer: a call-back, a refund, tell when an item is back",
)
def make(request: Request, ctx: Ctx, customer_id: AnId, body: PromiseIn) -> Response:
    def action(uow: UnitOfWork) -> PromiseOut:
        clock = ctx.container.clock
        made = promises.make_promise(_made(body, customer_id), uow, clock, ctx.actor)
        return promise_out(made, clock.now(), ctx.gettext)

    return write(request, ctx, body, 201, action)


@router.get(
    "/customers/{customer_id}/promises",
    response_model=list[PromiseOut],
    tags=["promises"],
    summary="The customer's promises made at your locations, newest first",
)
def customer_promises(
    ctx: Ctx, customer_id: AnId, state: States = None, limit: Limit = 100
) -> list[PromiseOut]:
    found = promises.list_promises(
        ctx.container.uow(read_only=True),
        ctx.actor,
        customer_id=customer_id,
        states=frozenset(state) if state else None,
        limit=limit,
    )
    now = ctx.container.clock.now()
    return [promise_out(p, now, ctx.gettext) for p in found]


@router.get(
    "/promises",
    response_model=list[PromiseOut],
    tags=["promises"],
    summary="The board: with `due_before`, promises due by then, overdue first; else newest first",
)
def board(
    ctx: Ctx,
    state: States = None,
    due_before: Annotated[Instant | None, Query(description="With its UTC offset")] = None,
    limit: Limit = 100,
) -> list[PromiseOut]:
    found = promises.list_promises(
        ctx.container.uow(read_only=True),
        ctx.actor,
        states=frozenset(state) if state else None,
        due_before=due_before,
        limit=limit,
    )
    now = ctx.container.clock.now()
    return [promise_out(p, now, ctx.gettext) for p in found]


@router.get("/promises/{promise_id}", response_model=PromiseOut, tags=["promises"])
def get(ctx: Ctx, promise_id: AnId) -> PromiseOut:
    found = promises.get_promise(promise_id, ctx.container.uow(read_only=True), ctx.actor)
    return promise_out(found, ctx.container.clock.now(), ctx.gettext)


@router.post(
    "/promises/{promise_id}/keep",
    response_model=PromiseOut,
    tags=["promises"],
    summary="Record that it was done; kept late if after the deadline",
)
def keep(request: Request, ctx: Ctx, promise_id: AnId, body: KeepIn | None = None) -> Response:
    def action(uow: UnitOfWork) -> PromiseOut:
        clock = ctx.container.clock
        note = body.note if body else ""
        kept = promises.keep_promise(promise_id, note, uow, clock, ctx.actor)
        return promise_out(kept, clock.now(), ctx.gettext)

    return write(request, ctx, body, 200, action)


@router.post(
    "/promises/{promise_id}/cancel",
    response_model=PromiseOut,
    tags=["promises"],
    summary="The business calls it off, saying why",
)
def cancel(request: Request, ctx: Ctx, promise_id: AnId, body: CancelIn) -> Response:
    def action(uow: UnitOfWork) -> PromiseOut:
        clock = ctx.container.clock
        cancelled = promises.cancel_promise(promise_id, body.reason, uow, clock, ctx.actor)
        return promise_out(cancelled, clock.now(), ctx.gettext)

    return write(request, ctx, body, 200, action)


@router.post(
    "/promises/{promise_id}/withdraw",
    response_model=PromiseOut,
    tags=["promises"],
    summary="The customer no longer wants it (not counted as broken)",
)
def withdraw(
    request: Request, ctx: Ctx, promise_id: AnId, body: WithdrawIn | None = None
) -> Response:
    def action(uow: UnitOfWork) -> PromiseOut:
        clock = ctx.container.clock
        note = body.note if body else ""
        withdrawn = promises.withdraw_promise(promise_id, note, uow, clock, ctx.actor)
        return promise_out(withdrawn, clock.now(), ctx.gettext)

    return write(request, ctx, body, 200, action)


@router.get(
    "/tasks",
    response_model=list[TaskOut],
    tags=["tasks"],
    summary="Your open tasks and your role's at your locations, the earliest deadline first",
)
def tasks(ctx: Ctx, limit: Limit = 100) -> list[TaskOut]:
    return [
        task_out(t, ctx.gettext)
        for t in list_open_tasks(ctx.container.uow(read_only=True), ctx.actor, limit)
    ]


@router.post(
    "/tasks/{task_id}/done", response_model=TaskOut, tags=["tasks"], summary="Mark a task done"
)
def done(request: Request, ctx: Ctx, task_id: AnId, body: TaskDoneIn | None = None) -> Response:
    def action(uow: UnitOfWork) -> TaskOut:
        outcome = body.outcome if body else ""
        return task_out(
            complete_task(task_id, uow, ctx.container.clock, ctx.actor, outcome), ctx.gettext
        )

    return write(request, ctx, body, 200, action)


@router.post(
    "/tasks",
    status_code=201,
    response_model=TaskOut,
    tags=["tasks"],
    summary="Make a task by hand: for a person or a role, due at a time or in business minutes",
)
def create(request: Request, ctx: Ctx, body: TaskIn) -> Response:
    def action(uow: UnitOfWork) -> TaskOut:
        cmd = NewTask(
            title=body.title,
            location_id=body.location_id,
            customer_id=body.customer_id,
            note=body.note,
            assignee_id=body.assignee_id,
            assignee_role=body.assignee_role,
            team_id=body.team_id,
            due_at=body.due_at,
            due_in_business_minutes=body.due_in_business_minutes,
        )
        hours = LocationBusinessHours(uow)
        return task_out(create_task(cmd, uow, ctx.container.clock, ctx.actor, hours), ctx.gettext)

    return write(request, ctx, body, 201, action)


@router.post(
    "/tasks/{task_id}/assignment",
    response_model=TaskOut,
    tags=["tasks"],
    summary="Hand the task to a person, a team, the customer's owner, or everyone of a role",
)
def reassign(request: Request, ctx: Ctx, task_id: AnId, body: TaskAssignmentIn) -> Response:
    def action(uow: UnitOfWork) -> TaskOut:
        clock = ctx.container.clock
        moved = reassign_task(
            task_id,
            uow,
            clock,
            ctx.actor,
            assignee_id=body.assignee_id,
            assignee_role=body.assignee_role,
            team_id=body.team_id,
            to_owner=body.to_owner,
        )
        return task_out(moved, ctx.gettext)

    return write(request, ctx, body, 200, action)


@router.get(
    "/customers/{customer_id}/messages",
    response_model=list[MessageOut],
    tags=["outbox"],
    summary="What the outbox holds for the customer and how each message ended, newest first",
)
def customer_messages(ctx: Ctx, customer_id: AnId, limit: Limit = 50) -> list[MessageOut]:
    found = list_customer_messages(customer_id, ctx.container.uow(read_only=True), ctx.actor, limit)
    return [message_out(m, ctx.gettext) for m in found]


@router.get(
    "/messages",
    response_model=list[MessageOut],
    tags=["outbox"],
    summary="The outbox by status (by default the dead letters), newest first",
)
def messages(
    ctx: Ctx, status: MessageStatus = MessageStatus.DEAD, limit: Limit = 100
) -> list[MessageOut]:
    found = list_messages(ctx.container.uow(read_only=True), ctx.actor, frozenset({status}), limit)
    return [message_out(m, ctx.gettext) for m in found]


@router.post(
    "/messages/{message_id}/retry",
    response_model=MessageOut,
    tags=["outbox"],
    summary="Send a dead message again",
)
def retry(request: Request, ctx: Ctx, message_id: AnId) -> Response:
    def action(uow: UnitOfWork) -> MessageOut:
        return message_out(
            retry_message(message_id, uow, ctx.container.clock, ctx.actor), ctx.gettext
        )

    return write(request, ctx, None, 200, action)


class TallyOut(Out):
    made: int
    counted: int = Field(description="The sample: kept, kept late, broken and overdue")
    kept: int
    kept_late: int
    broken: int
    overdue: int = Field(description="Still open past the deadline: counted as broken so far")
    waiting: int = Field(description="Open and not yet due, or with no deadline: not counted")
    cancelled: int = Field(description="Not counted")
    withdrawn: int = Field(description="Not counted")
    kept_rate: float | None = Field(description="(kept + kept_late) / counted; null if none")
    on_time_share: float | None
    late_share: float | None
    broken_share: float | None = Field(description="(broken + overdue) / counted")


class ReportGroupOut(TallyOut):
    key: str = Field(description="2026-W10, a kind, a location's id or the maker's id")
    label: str
    first_day: date | None = Field(description="Weeks: the week's first day in the period")


class TimeToKeepOut(Out):
    kind: PromiseKind
    kept: int = Field(description="Promises of this kind kept (on time or late) in the period")
    median_minutes: float = Field(description="From made to kept; a refund_by is time-to-refund")
    p90_minutes: float


class PromiseReportOut(Out):
    since: date
    until: date
    time_zone: str
    definition: str
    group_by: GroupBy
    total: TallyOut
    groups: list[ReportGroupOut]
    time_to_keep: list[TimeToKeepOut] = Field(
        default_factory=list, description="By kind: how long the kept ones took (ADR 0041)"
    )


def _tally(t: Tally) -> dict[str, int | float | None]:
    counts = ("kept", "kept_late", "broken", "overdue", "waiting", "cancelled", "withdrawn")
    derived = ("made", "counted", "kept_rate", "on_time_share", "late_share", "broken_share")
    return {name: getattr(t, name) for name in (*counts, *derived)}


CSV = "text/csv"


@router.get(
    "/reports/promises",
    response_model=PromiseReportOut,
    responses={200: {"content": {CSV: {"schema": {"type": "string"}}}}},
    tags=["reports"],
    summary="The promise-kept rate by week, kind, location or staff member (JSON or CSV)",
)
def promise_rates(
    request: Request,
    ctx: Ctx,
    since: Annotated[date | None, Query(description="First day; default 12 ISO weeks back")] = None,
    until: Annotated[date | None, Query(description="Last day included; default today")] = None,
    location_id: Annotated[str | None, Query(max_length=40, pattern=NO_NUL)] = None,
    kind: PromiseKind | None = None,
    made_by: Annotated[str | None, Query(max_length=40, pattern=NO_NUL)] = None,
    group_by: GroupBy = GroupBy.WEEK,
    format: Annotated[
        Literal["json", "csv"] | None, Query(description="Or send Accept: text/csv")
    ] = None,
) -> Response | PromiseReportOut:
    ask = ReportAsk(since, until, location_id, kind, made_by)
    found = promise_report(ask, ctx.container.uow(read_only=True), ctx.container.clock, ctx.actor)
    if format == "csv" or (format is None and CSV in request.headers.get("accept", "")):
        # One grouping per request, as in JSON; the console's download has all four.
        return Response(report_csv(found, [group_by]), media_type=f"{CSV}; charset=utf-8")
    groups = [
        ReportGroupOut(key=g.key, label=g.label, first_day=g.first_day, **_tally(g.tally))
        for g in found.groups(group_by)
    ]
    return PromiseReportOut(
        since=found.period.since,
        until=found.period.until,
        time_zone=found.period.time_zone,
        definition=DEFINITION,
        group_by=group_by,
        total=TallyOut(**_tally(found.total)),
        groups=groups,
        time_to_keep=[
            TimeToKeepOut(
                kind=t.kind,
                kept=t.kept,
                median_minutes=t.median_minutes,
                p90_minutes=t.p90_minutes,
            )
            for t in found.time_to_keep
        ],
    )
