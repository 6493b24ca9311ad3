"""A use case lands whole or not at all, and waits for an enclosing block's commit."""

from __future__ import annotations

from copy import deepcopy

import pytest
from builders import Shop

from heedful.core.customers.commands import CreateCustomer
from heedful.core.customers.handlers import create_customer
from heedful.core.preferences.handlers import RecordPreference, record_preference
from heedful.core.preferences.model import Polarity
from heedful.core.shared.errors import InvalidInput
from heedful.core.shared.scope import CustomerScope


def test_record_preference_rolls_back_everything_if_it_raises(shop: Shop) -> None:
    anna = shop.customer()
    before, committed = deepcopy(shop.uow.state), shop.uow.committed

    with pytest.raises(InvalidInput) as raised:
        record_preference(
            RecordPreference(anna.id, Polarity.NEVER, "sparkling water", location_id="loc_nowhere"),
            shop.uow,
            shop.clock,
            shop.admin,
        )

    assert raised.value.field == "location_id"
    assert shop.uow.state == before
    assert shop.uow.committed == committed


def test_the_same_wish_said_twice_is_one_preference(shop: Shop) -> None:
    anna = shop.customer()
    first = shop.preference(anna, Polarity.NEVER, "sparkling water")
    committed = shop.uow.committed

    again = shop.preference(anna, Polarity.NEVER, "Sparkling  Water")

    assert again.id == first.id
    assert [p.id for p in shop.uow.preferences.list_for(anna.id)] == [first.id]
    assert shop.uow.committed == committed


def test_a_use_case_inside_an_outer_block_lands_only_with_the_outer_commit(shop: Shop) -> None:
    committed = shop.uow.committed

    with shop.uow:
        anna = create_customer(CreateCustomer("Anna"), shop.uow, shop.clock, shop.admin)
        assert shop.uow.customers.get(anna.id) is not None
    assert shop.uow.customers.get(anna.id) is None
    assert shop.uow.committed == committed

    with shop.uow:
        boris = create_customer(CreateCustomer("Boris"), shop.uow, shop.clock, shop.admin)
        shop.uow.commit()
    assert shop.uow.customers.get(boris.id) is not None
    assert shop.uow.committed == committed + 1


def test_an_inner_block_left_without_commit_takes_back_only_its_own_changes(shop: Shop) -> None:
    with shop.uow:
        anna = create_customer(CreateCustomer("Anna"), shop.uow, shop.clock, shop.admin)
        with shop.uow:
            # Boris's own commit only hands his rows to this block, which then drops them.
            create_customer(CreateCustomer("Boris"), shop.uow, shop.clock, shop.admin)
        shop.uow.commit()

    assert [c.full_name for c in shop.uow.customers.list(_everyone(), 10, None).items] == ["Anna"]
    assert shop.uow.customers.get(anna.id) is not None


def test_a_loaded_customer_changed_without_update_is_not_stored(shop: Shop) -> None:
    anna = shop.customer("Anna")

    with shop.uow:
        loaded = shop.uow.customers.get(anna.id)
        assert loaded is not None
        loaded.full_name = "Someone else"
        shop.uow.commit()

    assert shop.uow.customers.get(anna.id) == anna


def _everyone() -> CustomerScope:
    return CustomerScope(None)
