"""/admin/staff: console accounts, with the unlock and deactivate buttons (admins)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from heedful.core.access.model import Permission
from heedful.core.shared.errors import Forbidden
from heedful.core.staff.logins import deactivate_staff_member, is_locked, unlock_staff_member
from heedful.entrypoints.console.context import ConsoleRoute, Staff, client_address

router = APIRouter(prefix="/admin", route_class=ConsoleRoute, include_in_schema=False)


@router.get("/staff")
def staff_page(console: Staff) -> Response:
    if not console.may(Permission.MANAGE_STAFF):
        raise Forbidden("only admins manage staff accounts")
    with console.container.uow() as uow:
        members = uow.staff.list()
    locked = {m.id for m in members if is_locked(m, console.container.uow())}
    return console.render("admin/staff.html", members=members, locked=locked)


@router.post("/staff/{staff_id}/unlock")
def unlock(console: Staff, staff_id: str) -> Response:
    unlock_staff_member(
        staff_id,
        client_address(console.request),
        console.container.uow(),
        console.container.clock,
        console.actor,
    )
    return console.redirect("/admin/staff")


@router.post("/staff/{staff_id}/deactivate")
def deactivate(console: Staff, staff_id: str) -> Response:
    _, revoked = deactivate_staff_member(
        staff_id,
        client_address(console.request),
        console.container.uow(),
        console.container.clock,
        console.actor,
    )
    for token_id in revoked:
        console.request.app.state.token_cache.forget(token_id)
    return console.redirect("/admin/staff")
