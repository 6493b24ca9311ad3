"""/api/v1 SLA policies and teams: managers say how fast each kind of conversation is answered."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request, Response

from heedful.core.conversations import handlers as conversations
from heedful.core.sla import calendar_days
from heedful.core.sla import handlers as sla
from heedful.core.unit_of_work import UnitOfWork
from heedful.entrypoints.api.auth import Context, get_context
from heedful.entrypoints.api.conversation_schemas import (
    CalendarDayIn,
    CalendarDayOut,
    CalendarYearOut,
    HolidayOut,
    MembersIn,
    PolicyIn,
    PolicyOut,
    TeamIn,
    TeamOut,
    calendar_day_out,
    policy_out,
    team_out,
)
from heedful.entrypoints.api.idempotency import write
from heedful.entrypoints.api.schemas import NO_NUL

router = APIRouter(tags=["SLA policies"])
Ctx = Annotated[Context, Depends(get_context)]
AnId = Annotated[str, Path(min_length=1, max_length=40, pattern=NO_NUL)]


def _command(body: PolicyIn) -> sla.PolicyIn:
    return sla.PolicyIn(**body.model_dump())


@router.get("/sla-policies", response_model=list[PolicyOut])
def policies(ctx: Ctx) -> list[PolicyOut]:
    return [policy_out(p) for p in sla.list_policies(ctx.container.uow(read_only=True), ctx.actor)]


@router.post(
    "/sla-policies",
    status_code=201,
    response_model=PolicyOut,
    summary="A policy for a channel, priority and segment (blank: any); the most specific wins",
)
def create(request: Request, ctx: Ctx, body: PolicyIn) -> Response:
    def action(uow: UnitOfWork) -> PolicyOut:
        return policy_out(sla.create_policy(_command(body), uow, ctx.container.clock, ctx.actor))

    return write(request, ctx, body, 201, action)


@router.get("/sla-policies/{policy_id}", response_model=PolicyOut)
def get(ctx: Ctx, policy_id: AnId) -> PolicyOut:
    return policy_out(sla.get_policy(policy_id, ctx.container.uow(read_only=True), ctx.actor))


@router.put(
    "/sla-policies/{policy_id}",
    response_model=PolicyOut,
    summary="Change a policy: clocks already counting take the new targets, time spent is kept",
)
def update(request: Request, ctx: Ctx, policy_id: AnId, body: PolicyIn) -> Response:
    def action(uow: UnitOfWork) -> PolicyOut:
        changed = sla.update_policy(policy_id, _command(body), uow, ctx.container.clock, ctx.actor)
        return policy_out(changed)

    return write(request, ctx, body, 200, action)


@router.delete(
    "/sla-policies/{policy_id}",
    response_model=PolicyOut,
    summary="Switch a policy off; it is kept, and clocks it started keep counting",
)
def deactivate(request: Request, ctx: Ctx, policy_id: AnId) -> Response:
    def action(uow: UnitOfWork) -> PolicyOut:
        return policy_out(sla.deactivate_policy(policy_id, uow, ctx.container.clock, ctx.actor))

    return write(request, ctx, None, 200, action)


@router.get("/teams", response_model=list[TeamOut], tags=["teams"])
def teams(ctx: Ctx) -> list[TeamOut]:
    return [
        team_out(t) for t in conversations.list_teams(ctx.container.uow(read_only=True), ctx.actor)
    ]


@router.post("/teams", status_code=201, response_model=TeamOut, tags=["teams"])
def create_team(request: Request, ctx: Ctx, body: TeamIn) -> Response:
    def action(uow: UnitOfWork) -> TeamOut:
        team = conversations.create_team(
            body.name,
            uow,
            ctx.container.clock,
            ctx.actor,
            location_id=body.location_id,
            member_ids=body.member_ids,
        )
        return team_out(team)

    return write(request, ctx, body, 201, action)


@router.put("/teams/{team_id}/members", response_model=TeamOut, tags=["teams"])
def set_members(request: Request, ctx: Ctx, team_id: AnId, body: MembersIn) -> Response:
    def action(uow: UnitOfWork) -> TeamOut:
        team = conversations.set_team_members(
            team_id, body.member_ids, uow, ctx.container.clock, ctx.actor
        )
        return team_out(team)

    return write(request, ctx, body, 200, action)


@router.get(
    "/locations/{location_id}/calendar/{year}",
    response_model=CalendarYearOut,
    tags=["business calendar"],
    summary="A location's public holidays and own dates for a year; provisional if unpublished",
)
def calendar(
    ctx: Ctx, location_id: AnId, year: Annotated[int, Path(ge=1900, le=2200)]
) -> CalendarYearOut:
    found = calendar_days.calendar_year(
        location_id, year, ctx.container.uow(read_only=True), ctx.actor
    )
    return CalendarYearOut(
        location_id=found.location_id,
        year=found.year,
        provisional=found.provisional,
        holidays=[HolidayOut(day=day, name=name) for day, name in found.holidays],
        days=[calendar_day_out(d) for d in found.days],
    )


@router.put(
    "/locations/{location_id}/calendar-days/{day}",
    response_model=CalendarDayOut,
    tags=["business calendar"],
    summary="An extra working day, a shortened day, or a closure (no hours) at one location",
)
def put_day(
    request: Request, ctx: Ctx, location_id: AnId, day: date, body: CalendarDayIn
) -> Response:
    def action(uow: UnitOfWork) -> CalendarDayOut:
        saved = calendar_days.set_calendar_day(
            location_id, day, body.hours, body.reason, uow, ctx.container.clock, ctx.actor
        )
        return calendar_day_out(saved)

    return write(request, ctx, body, 200, action)


@router.delete(
    "/locations/{location_id}/calendar-days/{day}", status_code=204, tags=["business calendar"]
)
def delete_day(request: Request, ctx: Ctx, location_id: AnId, day: date) -> Response:
    def action(uow: UnitOfWork) -> tuple[int, None]:
        calendar_days.remove_calendar_day(location_id, day, uow, ctx.container.clock, ctx.actor)
        return 204, None

    return write(request, ctx, None, 204, action)
