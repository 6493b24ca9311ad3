"""Identities: one person however they write their phone, and never two people with one phone."""

from __future__ import annotations

import pytest
from builders import Shop

from heedful.core.customers.commands import NewIdentity
from heedful.core.customers.handlers import add_identity, look_up, search_customers
from heedful.core.customers.identities import IdentityKind
from heedful.core.shared.errors import Conflict, InvalidInput


def test_identities_are_normalised(shop: Shop) -> None:
    anna = shop.customer("Anna Kovalenko", phone="+38 (067) 123-45-67", email="Anna.K@Example.COM")
    boris = shop.customer("Boris Smirnov", phone="8 916 123 45 67")

    for typed in ("+38 (067) 123-45-67", "0671234567", "380671234567", "+380671234567"):
        assert look_up(IdentityKind.PHONE, typed, shop.uow, shop.admin).id == anna.id
    assert look_up(IdentityKind.EMAIL, "anna.k@example.com", shop.uow, shop.admin).id == anna.id
    assert look_up(IdentityKind.PHONE, "+7 916 123-45-67", shop.uow, shop.admin).id == boris.id
    stored = {(i.kind, i.value) for i in shop.uow.identities.list_for(anna.id)}
    assert stored == {
        (IdentityKind.PHONE, "+380671234567"),
        (IdentityKind.EMAIL, "anna.k@example.com"),
    }
    assert [i.value for i in shop.uow.identities.list_for(boris.id)] == ["+79161234567"]


def test_a_loyalty_card_is_found_whatever_the_spacing_and_case(shop: Shop) -> None:
    anna = shop.customer()
    add_identity(
        anna.id,
        NewIdentity(IdentityKind.LOYALTY_CARD, "ab-1234 5678"),
        shop.uow,
        shop.clock,
        shop.admin,
    )

    assert look_up(IdentityKind.LOYALTY_CARD, "AB12345678", shop.uow, shop.admin).id == anna.id


def test_an_identity_taken_by_another_customer_is_a_conflict_naming_the_field(shop: Shop) -> None:
    anna = shop.customer("Anna Kovalenko", phone="+380671234567")
    boris = shop.customer("Boris Smirnov")

    with pytest.raises(Conflict) as raised:
        add_identity(
            boris.id,
            NewIdentity(IdentityKind.PHONE, "067 123 45 67"),
            shop.uow,
            shop.clock,
            shop.admin,
        )

    assert raised.value.field == "value"
    assert raised.value.existing_id == anna.id
    assert shop.uow.identities.list_for(boris.id) == []


def test_a_new_customer_whose_phone_is_taken_is_not_created_at_all(shop: Shop) -> None:
    anna = shop.customer("Anna Kovalenko", phone="+380671234567")
    committed = shop.uow.committed

    with pytest.raises(Conflict) as raised:
        shop.customer("Anna K.", email="anna@example.com", phone="0671234567")

    # The customer row and the e-mail were written before the phone clashed: all of it is gone.
    assert raised.value.field == "identities[0].value"
    assert raised.value.existing_id == anna.id
    assert search_customers("Anna", shop.uow, shop.admin) == [anna]
    assert shop.uow.identities.find(IdentityKind.EMAIL, "anna@example.com") is None
    assert shop.uow.committed == committed


def test_adding_an_identity_the_customer_already_has_changes_nothing(shop: Shop) -> None:
    anna = shop.customer(phone="+380671234567")

    again = add_identity(
        anna.id, NewIdentity(IdentityKind.PHONE, "0671234567"), shop.uow, shop.clock, shop.admin
    )

    assert [i.id for i in shop.uow.identities.list_for(anna.id)] == [again.id]


@pytest.mark.parametrize(
    ("kind", "typed"),
    [
        (IdentityKind.PHONE, "12-34"),
        (IdentityKind.EMAIL, "anna at example"),
        (IdentityKind.PHONE, " "),
    ],
)
def test_a_malformed_identity_is_invalid_input_naming_the_field(
    shop: Shop, kind: IdentityKind, typed: str
) -> None:
    anna = shop.customer()

    with pytest.raises(InvalidInput) as raised:
        add_identity(anna.id, NewIdentity(kind, typed), shop.uow, shop.clock, shop.admin)

    assert raised.value.field == "value"


def test_staff_find_a_customer_by_whatever_the_guest_hands_over(shop: Shop) -> None:
    anna = shop.customer("Анна Коваленко", phone="+380671234567", email="anna@example.com")
    shop.customer("Олена Коваль")

    assert search_customers("067 123 45 67", shop.uow, shop.admin) == [anna]
    assert search_customers("ANNA@example.com", shop.uow, shop.admin) == [anna]
    assert search_customers("анна", shop.uow, shop.admin) == [anna]
    assert {c.full_name for c in search_customers("Ковал", shop.uow, shop.admin)} == {
        "Анна Коваленко",
        "Олена Коваль",
    }
    assert search_customers("a", shop.uow, shop.admin) == []
