"""A playbook on a stock event that fires only for customers whose stated preference ("Lypky in
size M") fits the item the event names, on SQLite and PostgreSQL (ADR 0056)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from promise_world import PromiseWorld, build_world

from heedful.bootstrap import Container
from heedful.core.catalog import import_items_in_bulk
from heedful.core.customers.model import Customer
from heedful.core.engine.reactions import process_events
from heedful.core.events.model import BusinessEvent
from heedful.core.playbooks import handlers as playbooks
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


@dataclass
class Shop:
    """The boutique of seed 000 with its stock system sending events."""

    world: PromiseWorld
    sent: int = 0
    clients: int = 0

    @property
    def clock(self) -> FrozenClock:
        return self.world.clock

    def client(self, name: str) -> Customer:
        self.clients += 1
        return self.world.customer(name, email=f"client-{self.clients}@example.com")

    def send(self, event_type: str, **data: Any) -> None:
        self.sent += 1
        event = BusinessEvent(source="stock", id=f"evt-{self.sent}", type=event_type, data=data)
        with self.world.uow as uow:
            uow.events.accept([event], received_at=self.clock.now())
            uow.commit()

    def run(self) -> int:
        return process_events(self.world.container.uow, self.clock).fired

    def playbook(self, source: dict[str, Any]) -> None:
        made = playbooks.create_playbook(source, self.world.uow, self.clock, self.world.admin)
        playbooks.set_enabled(made.id, True, self.world.uow, self.clock, self.world.admin)

    def messages_for(self, customer: Customer) -> list[Any]:
        with self.world.uow as uow:
            return uow.outbox.list_for_customer(customer.id, 50)


@pytest.fixture
def shop(container: Container, clock: FrozenClock) -> Shop:
    return Shop(build_world(container, clock))


def _states(shop: Shop, customer: Customer, attributes: dict[str, str]) -> None:
    record_preference(
        RecordPreference(
            customer.id, Polarity.LIKE, "Lypky", Category.BRAND, attributes=attributes
        ),
        shop.world.uow,
        shop.clock,
        shop.world.admin,
    )


def _catalog(shop: Shop) -> None:
    rows: list[tuple[int, dict[str, object]]] = [
        (2, {"code": "LB-205", "name_en": "Lypky tote", "brand": "Lypky"}),
        (3, {"code": "LB-205-M", "kind": "variant", "parent_code": "lb-205", "size": "M"}),
        (4, {"code": "LB-205-L", "kind": "variant", "parent_code": "lb-205", "size": "L"}),
    ]
    import_items_in_bulk(rows, shop.world.uow, shop.clock.now())


def _restock(shop: Shop, variant: str) -> None:
    shop.send(
        "heedful.stock.changed",
        product="lb-205",
        variant=variant,
        location=shop.world.kyiv.id,
        quantity=3,
        brand="Lypky",
    )


def test_only_customers_whose_preference_fits_the_item_are_told(shop: Shop) -> None:
    _catalog(shop)
    size_m, size_l = shop.client("Оксана Мельник"), shop.client("Ірина Шевчук")
    just_the_brand = shop.client("Марта Коваль")
    _states(shop, size_m, {"brand": "Lypky", "size": "M"})
    _states(shop, size_l, {"brand": "LYPKY", "size": " l "})  # normalised where it enters
    _states(shop, just_the_brand, {})  # likes the brand, names no attributes: fits no item
    shop.playbook(FITS_HER)

    _restock(shop, "lb-205-m")
    assert shop.run() == 1
    assert [m.template_key for m in shop.messages_for(size_m)] == ["liked_item_in_stock"]
    assert shop.messages_for(size_l) == []
    assert shop.messages_for(just_the_brand) == []

    _restock(shop, "LB-205-L ")  # the stock system's spelling of the code
    shop.run()
    assert len(shop.messages_for(size_l)) == 1
    assert len(shop.messages_for(size_m)) == 1  # size L does not fit her


def test_an_item_the_catalog_does_not_know_fits_nobody(shop: Shop) -> None:
    _catalog(shop)
    size_m = shop.client("Оксана Мельник")
    _states(shop, size_m, {"brand": "Lypky", "size": "M"})
    shop.playbook(FITS_HER)
    _restock(shop, "lb-999-m")
    assert shop.run() == 0
    assert shop.messages_for(size_m) == []


def test_fits_item_of_chooses_no_audience_and_names_an_event_field(shop: Shop) -> None:
    by_fit = {**FITS_HER, "audience": {"preference": {"fits_item_of": "data.variant"}}}
    with pytest.raises(InvalidInput) as refused:
        shop.playbook(by_fit)
    assert refused.value.field == "audience.preference.fits_item_of"
    not_a_field = {**FITS_HER, "customer": {"preference": {"fits_item_of": "variant"}}}
    with pytest.raises(InvalidInput) as refused:
        shop.playbook(not_a_field)
    assert refused.value.field == "customer.preference.fits_item_of"
