"""/admin/teams and /admin/sla-policies: who answers the inbox and how fast (admins, managers).

The use cases are the ones the API calls (core/conversations/teams.py, core/sla/handlers.py);
they audit each change and re-target the clocks already counting when a policy changes.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form
from fastapi.responses import Response

from heedful.core.access.model import Permission
from heedful.core.conversations.teams import create_team, list_teams, set_team_members
from heedful.core.shared.errors import HeedfulError, InvalidInput
from heedful.core.shared.phrases import Phrase
from heedful.core.sla.handlers import PolicyIn, create_policy, deactivate_policy, list_policies
from heedful.core.sla.kinds import Channel, Priority
from heedful.core.staff.queries import locations_of
from heedful.entrypoints.console.context import Console, ConsoleRoute, FormState, Staff, blank_form
from heedful.entrypoints.console.forms import Text, choice
from heedful.entrypoints.console.inbox_labels import say

router = APIRouter(prefix="/admin", route_class=ConsoleRoute, include_in_schema=False)
TEAMS = "/admin/teams"
POLICIES = "/admin/sla-policies"
Chosen = Annotated[list[str] | None, Form()]


def _teams_page(console: Console, form: FormState | None = None, status: int = 200) -> Response:
    console.actor.require(Permission.MANAGE_SLA)
    uow = console.container.uow
    mine = locations_of(console.actor, uow(read_only=True))
    with uow(read_only=True) as reading:
        staff = [m for m in reading.staff.list() if m.active]
    first = "" if console.actor.sees_every_location or not mine else mine[0].id
    return console.render(
        "admin/teams.html",
        status=status,
        teams=list_teams(uow(read_only=True), console.actor),
        members=staff,
        locations=mine,
        form=form or blank_form(name="", location_id=first),
    )


@router.get("/teams")
def teams(console: Staff) -> Response:
    return _teams_page(console)


@router.post("/teams")
def add_team(
    console: Staff, name: Text = "", location_id: Text = "", member_ids: Chosen = None
) -> Response:
    form = blank_form(name=name, location_id=location_id)
    try:
        create_team(
            name,
            console.container.uow(),
            console.container.clock,
            console.actor,
            location_id=location_id or None,
            member_ids=[x for x in member_ids or [] if x],
        )
    except HeedfulError as exc:
        return _teams_page(console, console.failed(exc, form), status=422)
    return console.redirect(TEAMS)


@router.post("/teams/{team_id}/members")
def members(console: Staff, team_id: str, member_ids: Chosen = None) -> Response:
    set_team_members(
        team_id,
        [x for x in member_ids or [] if x],
        console.container.uow(),
        console.container.clock,
        console.actor,
    )
    return console.redirect(TEAMS)


def _policies_page(console: Console, form: FormState | None = None, status: int = 200) -> Response:
    console.actor.require(Permission.MANAGE_SLA)
    blank = blank_form(
        name="",
        channel="",
        priority="",
        first_response_minutes="",
        next_response_minutes="",
        resolution_minutes="",
        warning_minutes="30",
    )
    return console.render(
        "admin/sla_policies.html",
        status=status,
        policies=list_policies(console.container.uow(read_only=True), console.actor),
        channels=[(c.value, say(console.ui, c)) for c in Channel],
        priorities=[(p.value, say(console.ui, p)) for p in Priority],
        say=lambda value, kept="": say(console.ui, value, kept),
        form=form or blank,
    )


@router.get("/sla-policies")
def policies(console: Staff) -> Response:
    return _policies_page(console)


def _minutes(text: str, field: str) -> int | None:
    if not text.strip():
        return None
    try:
        return int(text.strip())
    except ValueError:
        raise InvalidInput(
            "give a whole number of minutes", said=Phrase("refusal.give_whole_number"), field=field
        ) from None


@router.post("/sla-policies")
def add_policy(
    console: Staff,
    name: Text = "",
    channel: Text = "",
    priority: Text = "",
    first_response_minutes: Text = "",
    next_response_minutes: Text = "",
    resolution_minutes: Text = "",
    warning_minutes: Text = "30",
) -> Response:
    form = blank_form(
        name=name,
        channel=channel,
        priority=priority,
        first_response_minutes=first_response_minutes,
        next_response_minutes=next_response_minutes,
        resolution_minutes=resolution_minutes,
        warning_minutes=warning_minutes,
    )
    try:
        create_policy(
            PolicyIn(
                name=name,
                channel=choice(Channel, channel, "channel") if channel else None,
                priority=choice(Priority, priority, "priority") if priority else None,
                first_response_minutes=_minutes(first_response_minutes, "first_response_minutes"),
                next_response_minutes=_minutes(next_response_minutes, "next_response_minutes"),
                resolution_minutes=_minutes(resolution_minutes, "resolution_minutes"),
                warning_minutes=_minutes(warning_minutes, "warning_minutes") or 30,
            ),
            console.container.uow(),
            console.container.clock,
            console.actor,
        )
    except HeedfulError as exc:
        return _policies_page(console, console.failed(exc, form), status=422)
    return console.redirect(POLICIES)


@router.post("/sla-policies/{policy_id}/deactivate")
def switch_off(console: Staff, policy_id: str) -> Response:
    deactivate_policy(policy_id, console.container.uow(), console.container.clock, console.actor)
    return console.redirect(POLICIES)
