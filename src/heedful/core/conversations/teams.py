"""Teams: named groups of staff a conversation can be handed to ("returns", "VIP desk")."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from heedful.core.access import Actor, Permission
from heedful.core.conversations.model import Team
from heedful.core.customers import audit
from heedful.core.shared.clock import Clock
from heedful.core.shared.errors import Forbidden, InvalidInput, NotFound
from heedful.core.shared.ids import new_id
from heedful.core.shared.phrases import Phrase
from heedful.core.shared.text import refuse_hidden_characters
from heedful.core.unit_of_work import UnitOfWork

MAX_NAME = 200


def create_team(
    name: str,
    uow: UnitOfWork,
    clock: Clock,
    actor: Actor,
    *,
    location_id: str | None = None,
    member_ids: Iterable[str] = (),
) -> Team:
    actor.require(Permission.MANAGE_SLA)
    name = refuse_hidden_characters(" ".join(name.split()), field="name")
    if not name or len(name) > MAX_NAME:
        raise InvalidInput(
            f"a team has a name of 1 to {MAX_NAME} characters",
            said=Phrase("refusal.name_required"),
            field="name",
        )
    if location_id is None and not actor.sees_every_location:
        raise InvalidInput("say at which of your locations the team works", field="location_id")
    if not actor.may_act_at(location_id):
        raise Forbidden(
            "you do not work at that location",
            said=Phrase("refusal.not_your_location"),
            field="location_id",
        )
    with uow:
        if location_id is not None and uow.locations.get(location_id) is None:
            raise InvalidInput(
                f"no location {location_id}",
                said=Phrase("refusal.no_location"),
                field="location_id",
            )
        team = Team(new_id("tm_"), name, clock.now(), location_id, _members(uow, member_ids))
        uow.teams.add(team)
        _audit(uow, actor, team.created_at, "team.created", team)
        uow.commit()
    return team


def set_team_members(
    team_id: str, member_ids: Iterable[str], uow: UnitOfWork, clock: Clock, actor: Actor
) -> Team:
    actor.require(Permission.MANAGE_SLA)
    with uow:
        team = uow.teams.get(team_id)
        if team is None or not actor.may_act_at(team.location_id):
            raise NotFound(f"no team {team_id}")
        team.member_ids = _members(uow, member_ids)
        uow.teams.update(team)
        _audit(uow, actor, clock.now(), "team.members_changed", team)
        uow.commit()
    return team


def list_teams(uow: UnitOfWork, actor: Actor) -> list[Team]:
    actor.require(Permission.ANSWER_CONVERSATIONS)
    with uow:
        return [team for team in uow.teams.list() if actor.may_act_at(team.location_id)]


def _members(uow: UnitOfWork, member_ids: Iterable[str]) -> frozenset[str]:
    members = frozenset(member_ids)
    for index, staff_id in enumerate(sorted(members)):
        if uow.staff.get(staff_id) is None:
            raise InvalidInput(f"no staff member {staff_id}", field=f"member_ids[{index}]")
    return members


def _audit(uow: UnitOfWork, actor: Actor, now: datetime, action: str, team: Team) -> None:
    after = {"name": team.name, "location_id": team.location_id, "members": sorted(team.member_ids)}
    audit(uow, actor, now, action, customer_id=None, entity="team", entity_id=team.id, after=after)
