"""/admin/staff: console accounts (admins): invite, role and locations, password, unlock,
deactivate. Each a core use case (core/staff), audited there; the page only reads the form."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form
from fastapi.responses import Response

from heedful.core.access.model import Permission, Role
from heedful.core.customers.model import LANGUAGES
from heedful.core.shared.errors import Forbidden, HeedfulError
from heedful.core.staff.accounts import change_staff_access, reset_staff_password
from heedful.core.staff.handlers import NewStaffMember, create_staff_member
from heedful.core.staff.logins import deactivate_staff_member, is_locked, unlock_staff_member
from heedful.core.staff.queries import all_locations
from heedful.entrypoints.console.context import (
    Console,
    ConsoleRoute,
    FormState,
    Staff,
    blank_form,
    client_address,
)
from heedful.entrypoints.console.forms import Text, choice

router = APIRouter(prefix="/admin", route_class=ConsoleRoute, include_in_schema=False)
Chosen = Annotated[list[str] | None, Form()]


def _require(console: Console) -> None:
    if not console.may(Permission.MANAGE_STAFF):
        raise Forbidden("only admins manage staff accounts")


def _blank() -> FormState:
    return blank_form(login="", full_name="", role=Role.AGENT.value, language="uk", password="")


def _page(
    console: Console,
    form: FormState | None = None,
    chosen: list[str] | None = None,
    status: int = 200,
) -> Response:
    _require(console)
    with console.container.uow(read_only=True) as uow:
        members = uow.staff.list()
    locked = {m.id for m in members if is_locked(m, console.container.uow(read_only=True))}
    return console.render(
        "admin/staff.html",
        status=status,
        members=members,
        locked=locked,
        form=form or _blank(),
        chosen=chosen or [],
        roles=list(Role),
        languages=LANGUAGES,
        locations=all_locations(console.container.uow(read_only=True)),
    )


@router.get("/staff")
def staff_page(console: Staff) -> Response:
    return _page(console)


@router.post("/staff")
def invite(
    console: Staff,
    login: Text = "",
    full_name: Text = "",
    role: Text = "",
    language: Text = "",
    password: Text = "",
    location_ids: Chosen = None,
) -> Response:
    chosen = [x for x in location_ids or [] if x]
    # The password is never sent back into the page.
    form = blank_form(login=login, full_name=full_name, role=role, language=language, password="")
    try:
        create_staff_member(
            NewStaffMember(
                login=login,
                full_name=full_name,
                role=choice(Role, role, "role"),
                password=password,
                language=language,
                location_ids=frozenset(chosen),
            ),
            console.container.uow(),
            console.container.clock,
            console.actor,
        )
    except HeedfulError as exc:
        return _page(console, console.failed(exc, form), chosen, status=422)
    return console.redirect("/admin/staff")


def _member_page(
    console: Console, staff_id: str, form: FormState | None = None, status: int = 200
) -> Response:
    _require(console)
    with console.container.uow(read_only=True) as uow:
        member = uow.staff.get(staff_id)
    if member is None:
        return _page(console)
    return console.render(
        "admin/staff_member.html",
        status=status,
        member=member,
        form=form or blank_form(role=member.role.value, password=""),
        roles=list(Role),
        locations=all_locations(console.container.uow(read_only=True)),
    )


@router.get("/staff/{staff_id}")
def member_page(console: Staff, staff_id: str) -> Response:
    return _member_page(console, staff_id)


@router.post("/staff/{staff_id}/access")
def access(console: Staff, staff_id: str, role: Text = "", location_ids: Chosen = None) -> Response:
    chosen = frozenset(x for x in location_ids or [] if x)
    try:
        change_staff_access(
            staff_id,
            choice(Role, role, "role"),
            chosen,
            console.container.uow(),
            console.container.clock,
            console.actor,
        )
    except HeedfulError as exc:
        failed = console.failed(exc, blank_form(role=role, password="", location_ids=""))
        return _member_page(console, staff_id, failed, status=422)
    return console.redirect("/admin/staff")


@router.post("/staff/{staff_id}/password")
def password(console: Staff, staff_id: str, password: Text = "") -> Response:
    try:
        reset_staff_password(
            staff_id, password, console.container.uow(), console.container.clock, console.actor
        )
    except HeedfulError as exc:
        failed = console.failed(exc, blank_form(role="", password=""))
        return _member_page(console, staff_id, failed, status=422)
    return console.redirect("/admin/staff")


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
