"""Read-only questions the staff console asks about staff, locations and tokens."""

from __future__ import annotations

from heedful.core.access import Actor, Permission
from heedful.core.staff.model import ApiToken, Location, StaffMember
from heedful.core.unit_of_work import UnitOfWork


def active_staff_member(staff_id: str, uow: UnitOfWork) -> StaffMember | None:
    """The staff member behind a console session, or None once they are deactivated.

    Sessions outlive account changes: checking on every request makes a deactivation take effect
    at the next click, not when the cookie expires.
    """
    with uow:
        member = uow.staff.get(staff_id)
    return member if member is not None and member.active else None


def all_locations(uow: UnitOfWork) -> dict[str, Location]:
    """Every location by id: the card names where a preference or visit was recorded.

    Location names are not personal data; staff of one hotel may read that a guest's wish was
    noted at another.
    """
    with uow:
        return {location.id: location for location in uow.locations.list()}


def locations_of(actor: Actor, uow: UnitOfWork) -> list[Location]:
    """The locations an actor works at, by name: where they may record what they hear."""
    with uow:
        locations = uow.locations.list()
    if actor.sees_every_location:
        return locations
    return [location for location in locations if actor.may_act_at(location.id)]


def list_tokens(uow: UnitOfWork, actor: Actor) -> list[ApiToken]:
    """Every API token, newest first; only the prefix of each secret is known."""
    actor.require(Permission.MANAGE_TOKENS)
    with uow:
        tokens = uow.tokens.list()
    return sorted(tokens, key=lambda token: (token.created_at, token.id), reverse=True)
