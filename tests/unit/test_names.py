"""Names that people read refuse characters that hide or turn text around (core/shared/text.py)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from builders import Shop

from heedful.core.access.model import Role
from heedful.core.conversations.teams import create_team
from heedful.core.customers.commands import NewIdentity, UpdateCustomer
from heedful.core.customers.handlers import add_identity, update_customer
from heedful.core.customers.identities import IdentityKind
from heedful.core.preferences.model import Polarity
from heedful.core.shared.errors import InvalidInput
from heedful.core.shared.text import hidden_character, without_hidden_characters
from heedful.core.staff.handlers import (
    NewLocation,
    NewStaffMember,
    NewToken,
    create_location,
    create_staff_member,
    create_token,
)
from heedful.core.staff.model import LocationKind

HIDDEN = {
    "right-to-left override": "\u202e",
    "left-to-right embedding": "\u202a",
    "first strong isolate": "\u2068",
    "pop directional isolate": "\u2069",
    "right-to-left mark": "\u200f",
    "zero-width space": "\u200b",
    "zero-width joiner": "\u200d",
    "word joiner": "\u2060",
    "byte order mark": "\ufeff",
    "soft hyphen": "\u00ad",
    "bell": "\x07",
    "escape": "\x1b",
    "line separator": "\u2028",
}

FINE = ["Анна Коваленко", "Ївга Ґудзь-Щербань", "O'Brien", "José Müller", "李小龙", "Émilie Zoë"]


@pytest.mark.parametrize("name", FINE)
def test_names_in_any_script_have_no_hidden_character(name: str) -> None:
    assert hidden_character(name) is None


@pytest.mark.parametrize("character", HIDDEN.values(), ids=HIDDEN.keys())
def test_every_hidden_character_is_found(character: str) -> None:
    assert hidden_character(f"Anna{character}Kovalenko") == character
    assert without_hidden_characters(f"Anna{character}Kovalenko") == "AnnaKovalenko"


def _customer_name(shop: Shop, name: str) -> object:
    return shop.customer(name, at=shop.kyiv)


def _rename(shop: Shop, name: str) -> object:
    anna = shop.customer("Anna", at=shop.kyiv)
    rename = UpdateCustomer(anna.id, full_name=name)
    return update_customer(rename, shop.uow, shop.clock, shop.admin)


def _identity_label(shop: Shop, name: str) -> object:
    anna = shop.customer("Anna", at=shop.kyiv)
    new = NewIdentity(IdentityKind.PHONE, "+380671234567", label=name)
    return add_identity(anna.id, new, shop.uow, shop.clock, shop.admin)


def _email(shop: Shop, name: str) -> object:
    anna = shop.customer("Anna", at=shop.kyiv)
    new = NewIdentity(IdentityKind.EMAIL, f"{name}@example.com")
    return add_identity(anna.id, new, shop.uow, shop.clock, shop.admin)


def _preference(shop: Shop, name: str) -> object:
    anna = shop.customer("Anna", at=shop.kyiv)
    return shop.preference(anna, Polarity.NEVER, name)


def _location(shop: Shop, name: str) -> object:
    where = NewLocation(name, LocationKind.BOUTIQUE, "Kyiv", "UA", "Europe/Kyiv")
    return create_location(where, shop.uow, shop.clock, shop.admin)


def _staff(shop: Shop, name: str) -> object:
    who = NewStaffMember(login="iryna", full_name=name, role=Role.ADMIN, password="long enough")
    return create_staff_member(who, shop.uow, shop.clock, shop.admin)


def _token(shop: Shop, name: str) -> object:
    return create_token(NewToken(name=name, role=Role.ADMIN), shop.uow, shop.clock, shop.admin)


def _team(shop: Shop, name: str) -> object:
    return create_team(name, shop.uow, shop.clock, shop.admin)


ENTRIES: dict[str, tuple[Callable[[Shop, str], object], str]] = {
    "customer": (_customer_name, "full_name"),
    "rename": (_rename, "full_name"),
    "contact label": (_identity_label, "label"),
    "e-mail": (_email, "value"),
    "preference": (_preference, "subject"),
    "location": (_location, "name"),
    "staff member": (_staff, "full_name"),
    "token": (_token, "name"),
    "team": (_team, "name"),
}


@pytest.mark.parametrize(("enter", "field"), ENTRIES.values(), ids=ENTRIES.keys())
@pytest.mark.parametrize("character", ["\u202e", "\u200b", "\ufeff", "\x07"])
def test_every_place_a_name_enters_refuses_hidden_characters_naming_the_field(
    shop: Shop, enter: Callable[[Shop, str], object], field: str, character: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        enter(shop, f"anna{character}txt")

    assert refused.value.field == field
    assert f"U+{ord(character):04X}" in refused.value.message


# The fakes hold no teams; the integration tests store them.
STORED = {name: entry for name, entry in ENTRIES.items() if name != "team"}


@pytest.mark.parametrize(("enter", "field"), STORED.values(), ids=STORED.keys())
def test_ordinary_names_still_enter_everywhere(
    shop: Shop, enter: Callable[[Shop, str], object], field: str
) -> None:
    assert enter(shop, "olena-kovalenko") is not None, field
