"""What an admin changes on an account or a location after it exists, each change audited.

A new role or set of locations takes effect at the member's next click (the console reads the
member on every request); a new password ends every session of theirs at once, as logging out
everywhere does, so whoever knew the old one is out.
"""

from __future__ import annotations

from dataclasses import dataclass

from heedful.core.access import Actor, Permission, Role
from heedful.core.customers import audit, check_time_zone
from heedful.core.shared.clock import Clock
from heedful.core.shared.errors import InvalidInput, NotFound
from heedful.core.shared.phrases import Phrase
from heedful.core.shared.text import refuse_hidden_characters
from heedful.core.staff.handlers import hash_password
from heedful.core.staff.model import Location, StaffMember
from heedful.core.unit_of_work import UnitOfWork

MIN_PASSWORD = 8
MAX_ADDRESS = 300


def change_staff_access(
    staff_id: str,
    role: Role,
    location_ids: frozenset[str],
    uow: UnitOfWork,
    clock: Clock,
    actor: Actor,
) -> StaffMember:
    actor.require(Permission.MANAGE_STAFF)
    if role in (Role.MANAGER, Role.AGENT) and not location_ids:
        raise InvalidInput(
            "managers and agents work at one or more locations",
            said=Phrase("refusal.staff_locations"),
            field="location_ids",
        )
    now = clock.now()
    with uow:
        member = _member(uow, staff_id)
        if member.id == actor.id and role is not Role.ADMIN:
            # The last door out of administration must not close behind the one holding it.
            raise InvalidInput(
                "you cannot take your own admin role away",
                said=Phrase("refusal.own_admin_role"),
                field="role",
            )
        for location_id in location_ids:
            if uow.locations.get(location_id) is None:
                raise InvalidInput(
                    f"no location {location_id}",
                    said=Phrase("refusal.no_location"),
                    field="location_ids",
                )
        before = _access(member)
        member.role = role
        member.location_ids = None if role is Role.ADMIN else frozenset(location_ids)
        uow.staff.update(member)
        audit(
            uow,
            actor,
            now,
            "staff.access_changed",
            customer_id=None,
            entity="staff",
            entity_id=member.id,
            before=before,
            after=_access(member),
        )
        uow.commit()
    return member


def reset_staff_password(
    staff_id: str, password: str, uow: UnitOfWork, clock: Clock, actor: Actor
) -> StaffMember:
    """A new password set by an admin; every session of the member ends now."""
    actor.require(Permission.MANAGE_STAFF)
    if len(password) < MIN_PASSWORD:
        raise InvalidInput(
            "a password is at least 8 characters",
            said=Phrase("refusal.password_length"),
            field="password",
        )
    password_hash = hash_password(password)  # scrypt, outside the transaction
    now = clock.now()
    with uow:
        member = _member(uow, staff_id)
        member.password_hash = password_hash
        member.session_epoch += 1
        uow.staff.update(member)
        audit(
            uow,
            actor,
            now,
            "staff.password_reset",
            customer_id=None,
            entity="staff",
            entity_id=member.id,
        )
        uow.commit()
    return member


@dataclass(frozen=True)
class LocationDetails:
    name: str
    city: str
    address: str
    country: str
    time_zone: str


def change_location(
    location_id: str, details: LocationDetails, uow: UnitOfWork, clock: Clock, actor: Actor
) -> Location:
    """Name, address, country (its public holidays) and time zone of a location."""
    actor.require(Permission.MANAGE_STAFF)
    for field, value in (("name", details.name), ("city", details.city)):
        refuse_hidden_characters(value, field=field)
    refuse_hidden_characters(details.address, field="address")
    if not details.name.strip():
        raise InvalidInput(
            "a location needs a name", said=Phrase("refusal.location_name"), field="name"
        )
    if len(details.address) > MAX_ADDRESS:
        raise InvalidInput(f"an address is at most {MAX_ADDRESS} characters", field="address")
    if len(details.country) != 2 or not details.country.isalpha():
        raise InvalidInput(
            "country is an ISO 3166 two-letter code",
            said=Phrase("refusal.country"),
            field="country",
        )
    zone = check_time_zone(details.time_zone)
    now = clock.now()
    with uow:
        location = uow.locations.get(location_id)
        if location is None:
            raise NotFound(f"no location {location_id}", said=Phrase("refusal.no_location"))
        before = _place(location)
        location.name = details.name.strip()
        location.city = details.city.strip()
        location.address = " ".join(details.address.split())
        location.country = details.country.upper()
        location.time_zone = zone
        uow.locations.update(location)
        after = _place(location)
        audit(
            uow,
            actor,
            now,
            "location.changed",
            customer_id=None,
            entity="location",
            entity_id=location.id,
            before={k: v for k, v in before.items() if after[k] != v},
            after={k: v for k, v in after.items() if before[k] != v},
        )
        uow.commit()
    return location


def _member(uow: UnitOfWork, staff_id: str) -> StaffMember:
    member = uow.staff.get(staff_id)
    if member is None:
        raise NotFound(f"no staff member {staff_id}")
    return member


def _access(member: StaffMember) -> dict[str, object]:
    ids = None if member.location_ids is None else sorted(member.location_ids)
    return {"role": member.role.value, "location_ids": ids}


def _place(location: Location) -> dict[str, str]:
    return {
        "name": location.name,
        "city": location.city,
        "address": location.address,
        "country": location.country,
        "time_zone": location.time_zone,
    }
