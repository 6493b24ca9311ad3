"""A playbook on a stock event that fires only for customers whose stated preference ("Lypky in
size M") fits the item the event names, on SQLite and PostgreSQL (ADR 0056)."""

from __future__ import annotations

from typing import Any

import pytest
from promise_world import build_world
from test_playbooks import Bank

from heedful.bootstrap import Container
from heedful.core.catalog import import_items_in_bulk
from heedful.core.customers.model import Customer
from heedful.core.preferences.handlers import RecordPreference, record_preference
from heedful.core.preferences.model import Category, Polarity
from heedful.core.shared.clock import FrozenClock
from heedful.core.shared.errors import InvalidInput

FITS_HER: dict[str, Any] = {
    "name": "Her brand, her size: back in stock",
    "trigger": {
        "event": "heedful.stock.changed",
        "where": [{"field": "data.quantity", "op": ">", "value": 0}],
    },
    "audience": {"preference": {"category": "brand", "subject_of": "data.brand"}},
    "customer": {"preference": {"fits_item_of": "data.variant"}},
    "actions": [{"do": "send_message", "template": "liked_item_in_stock", "purpose": "service"}],
    "once_per_customer": "P30D",
}


@pytest.fixture
def bank(container: Container, clock: FrozenClock) -> Bank:
    # The shop's own staff play no part here: the admin records and the playbook tells.
    world = build_world(container, clock)
    return Bank(world, taras=world.assistant)


def _states(bank: Bank, customer: Customer, attributes: dict[str, str]) -> None:
    record_preference(
        RecordPreference(
            customer.id, Polarity.LIKE, "Lypky", Category.BRAND, attributes=attributes
        ),
        bank.world.uow,
        bank.clock,
        bank.world.admin,
    )


def _catalog(bank: Bank) -> None:
    rows: list[tuple[int, dict[str, object]]] = [
        (2, {"code": "LB-205", "name_en": "Lypky tote", "brand": "Lypky"}),
        (3, {"code": "LB-205-M", "kind": "variant", "parent_code": "lb-205", "size": "M"}),
        (4, {"code": "LB-205-L", "kind": "variant", "parent_code": "lb-205", "size": "L"}),
    ]
    import_items_in_bulk(rows, bank.world.uow, bank.clock.now())


def _restock(bank: Bank, variant: str) -> None:
    bank.send(
        "heedful.stock.changed",
        product="lb-205",
        variant=variant,
        location=bank.world.kyiv.id,
        quantity=3,
        brand="Lypky",
    )


def test_only_customers_whose_preference_fits_the_item_are_told(bank: Bank) -> None:
    _catalog(bank)
    size_m, size_l = bank.client("Оксана Мельник"), bank.client("Ірина Шевчук")
    just_the_brand = bank.client("Марта Коваль")
    _states(bank, size_m, {"brand": "Lypky", "size": "M"})
    _states(bank, size_l, {"brand": "LYPKY", "size": " l "})  # normalised where it enters
    _states(bank, just_the_brand, {})  # likes the brand, names no attributes: fits no item
    bank.playbook(FITS_HER)

    _restock(bank, "lb-205-m")
    assert bank.run() == 1
    assert [m.template_key for m in bank.messages_for(size_m)] == ["liked_item_in_stock"]
    assert bank.messages_for(size_l) == []
    assert bank.messages_for(just_the_brand) == []

    _restock(bank, "LB-205-L ")  # the stock system's spelling of the code
    bank.run()
    assert len(bank.messages_for(size_l)) == 1
    assert len(bank.messages_for(size_m)) == 1  # size L does not fit her


def test_an_item_the_catalog_does_not_know_fits_nobody(bank: Bank) -> None:
    _catalog(bank)
    size_m = bank.client("Оксана Мельник")
    _states(bank, size_m, {"brand": "Lypky", "size": "M"})
    bank.playbook(FITS_HER)
    _restock(bank, "lb-999-m")
    assert bank.run() == 0
    assert bank.messages_for(size_m) == []


def test_fits_item_of_chooses_no_audience_and_names_an_event_field(bank: Bank) -> None:
    by_fit = {**FITS_HER, "audience": {"preference": {"fits_item_of": "data.variant"}}}
    with pytest.raises(InvalidInput) as refused:
        bank.playbook(by_fit)
    assert refused.value.field == "audience.preference.fits_item_of"
    not_a_field = {**FITS_HER, "customer": {"preference": {"fits_item_of": "variant"}}}
    with pytest.raises(InvalidInput) as refused:
        bank.playbook(not_a_field)
    assert refused.value.field == "customer.preference.fits_item_of"
