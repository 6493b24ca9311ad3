"""/api/v1/staff: console accounts, their deactivation and unlock; the security events log."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response

from heedful.core.access.model import Permission
from heedful.core.staff.logins import deactivate_staff_member, is_locked, unlock_staff_member
from heedful.core.staff.model import SecurityEventKind, StaffMember
from heedful.core.unit_of_work import UnitOfWork
from heedful.entrypoints.api.auth import Context, get_context
from heedful.entrypoints.api.idempotency import write
from heedful.entrypoints.api.schemas import NO_NUL, SecurityEventOut, StaffOut

router = APIRouter(tags=["staff"])
Ctx = Annotated[Context, Depends(get_context)]
AnId = Annotated[str, Path(min_length=1, max_length=40, pattern=NO_NUL)]


def staff_out(member: StaffMember, uow: UnitOfWork) -> StaffOut:
    ids = member.location_ids
    return StaffOut(
        id=member.id,
        login=member.login,
        full_name=member.full_name,
        role=member.role,
        language=member.language,
        location_ids=sorted(ids) if ids is not None else None,
        active=member.active,
        locked=is_locked(member, uow),
        created_at=member.created_at,
    )


def _address(request: Request) -> str:
    return request.client.host if request.client is not None else "unknown"


@router.get("/staff", response_model=list[StaffOut], summary="Console accounts (admins)")
def list_staff(ctx: Ctx) -> list[StaffOut]:
    ctx.actor.require(Permission.MANAGE_STAFF)
    with ctx.container.uow(read_only=True) as uow:
        return [staff_out(member, uow) for member in uow.staff.list()]


@router.post(
    "/staff/{staff_id}/deactivate",
    response_model=StaffOut,
    summary="Deactivate an account: no more logins, its sessions and tokens end now (admins)",
)
def deactivate(request: Request, ctx: Ctx, staff_id: AnId) -> Response:
    revoked: list[str] = []

    def action(uow: UnitOfWork) -> StaffOut:
        member, ended = deactivate_staff_member(
            staff_id, _address(request), uow, ctx.container.clock, ctx.actor
        )
        revoked.extend(ended)
        return staff_out(member, uow)

    response = write(request, ctx, None, 200, action)
    for token_id in revoked:
        request.app.state.token_cache.forget(token_id)
    return response


@router.post(
    "/staff/{staff_id}/unlock",
    response_model=StaffOut,
    summary="Unlock an account locked after failed logins; recorded as a security event (admins)",
)
def unlock(request: Request, ctx: Ctx, staff_id: AnId) -> Response:
    def action(uow: UnitOfWork) -> StaffOut:
        member = unlock_staff_member(
            staff_id, _address(request), uow, ctx.container.clock, ctx.actor
        )
        return staff_out(member, uow)

    return write(request, ctx, None, 200, action)


@router.get(
    "/security-events",
    response_model=list[SecurityEventOut],
    summary="Logins, lockouts, unlocks, logouts and deactivations, newest first (admins)",
)
def security_events(
    ctx: Ctx,
    since: Annotated[datetime | None, Query()] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    kind: Annotated[SecurityEventKind | None, Query()] = None,
    login: Annotated[str, Query(max_length=100, pattern=NO_NUL)] = "",
) -> list[SecurityEventOut]:
    ctx.actor.require(Permission.MANAGE_STAFF)
    kinds = frozenset({kind}) if kind is not None else frozenset()
    with ctx.container.uow(read_only=True) as uow:
        return [
            SecurityEventOut.model_validate(event)
            for event in uow.security_events.list(
                since=since, limit=limit, kinds=kinds, login=login.strip()
            )
        ]
