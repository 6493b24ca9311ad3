"""An admin changes a member's role and locations, resets a password, edits a location."""

from __future__ import annotations

from datetime import date

import pytest
from builders import Shop

from heedful.core.access.model import Role
from heedful.core.shared.errors import InvalidInput
from heedful.core.sla.calendar_days import calendar_year
from heedful.core.staff.accounts import (
    LocationDetails,
    change_location,
    change_staff_access,
    reset_staff_password,
)
from heedful.core.staff.handlers import (
    NewLocation,
    NewStaffMember,
    authenticate_staff,
    create_location,
    create_staff_member,
)
from heedful.core.staff.model import LocationKind


def _agent(shop: Shop) -> str:
    member = create_staff_member(
        NewStaffMember(
            "iryna", "Iryna", Role.AGENT, "first-password", "uk", frozenset({shop.kyiv.id})
        ),
        shop.uow,
        shop.clock,
        shop.admin,
    )
    return member.id


def test_a_new_role_and_locations_are_kept_and_audited(shop: Shop) -> None:
    staff_id = _agent(shop)

    change_staff_access(
        staff_id,
        Role.MANAGER,
        frozenset({shop.kyiv.id, shop.lviv.id}),
        shop.uow,
        shop.clock,
        shop.admin,
    )

    member = shop.uow.staff.get(staff_id)
    assert member is not None
    assert (member.role, member.location_ids) == (
        Role.MANAGER,
        frozenset({shop.kyiv.id, shop.lviv.id}),
    )
    entries = [e for e in shop.uow.audit_entries() if e.entity_id == staff_id]
    assert [e.action for e in entries] == ["staff.created", "staff.access_changed"]
    assert entries[-1].before == {"role": "agent", "location_ids": [shop.kyiv.id]}


def test_an_agent_without_a_location_is_refused(shop: Shop) -> None:
    staff_id = _agent(shop)
    with pytest.raises(InvalidInput) as refused:
        change_staff_access(staff_id, Role.AGENT, frozenset(), shop.uow, shop.clock, shop.admin)
    assert refused.value.field == "location_ids"


def test_a_reset_password_works_the_old_one_does_not_and_sessions_end(shop: Shop) -> None:
    staff_id = _agent(shop)
    epoch = shop.uow.staff.get(staff_id).session_epoch  # type: ignore[union-attr]

    reset_staff_password(staff_id, "second-password", shop.uow, shop.clock, shop.admin)

    assert authenticate_staff("iryna", "first-password", shop.uow) is None
    assert authenticate_staff("iryna", "second-password", shop.uow) is not None
    assert shop.uow.staff.get(staff_id).session_epoch == epoch + 1  # type: ignore[union-attr]
    with pytest.raises(InvalidInput):
        reset_staff_password(staff_id, "short", shop.uow, shop.clock, shop.admin)


def test_a_location_s_address_country_and_zone_change(shop: Shop) -> None:
    change_location(
        shop.kyiv.id,
        LocationDetails("Podil", "Kyiv", "Sahaidachnoho 1", "ua", "Europe/Kyiv"),
        shop.uow,
        shop.clock,
        shop.admin,
    )
    location = shop.uow.locations.get(shop.kyiv.id)
    assert location is not None
    assert (location.name, location.address, location.country) == (
        "Podil",
        "Sahaidachnoho 1",
        "UA",
    )
    with pytest.raises(InvalidInput) as refused:
        change_location(
            shop.kyiv.id,
            LocationDetails("Podil", "Kyiv", "", "UA", "Mars/Olympus"),
            shop.uow,
            shop.clock,
            shop.admin,
        )
    assert refused.value.field == "time_zone"


def test_a_location_s_holidays_are_named_in_the_reader_s_language_where_known(
    shop: Shop,
) -> None:
    warsaw = create_location(
        NewLocation("Nowy Świat", LocationKind.SHOP, "Warsaw", "PL", "Europe/Warsaw"),
        shop.uow,
        shop.clock,
        shop.admin,
    )

    in_ukrainian = dict(calendar_year(warsaw.id, 2026, shop.uow, shop.admin, "uk").holidays)
    in_english = dict(calendar_year(warsaw.id, 2026, shop.uow, shop.admin, "en").holidays)
    # Russian the package does not speak for Poland: the country's own names, never nothing.
    in_russian = dict(calendar_year(warsaw.id, 2026, shop.uow, shop.admin, "ru").holidays)

    easter_monday = date(2026, 4, 6)
    assert in_ukrainian[easter_monday] == "Великодній понеділок"
    assert in_english[easter_monday] == "Easter Monday"
    assert in_russian[easter_monday] == "Poniedziałek Wielkanocny"
