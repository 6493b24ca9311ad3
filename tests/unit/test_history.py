"""Purchases and visits pushed by tills and booking systems."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from builders import Shop

from heedful.core.card import customer_card
from heedful.core.history.handlers import RecordHistory, record_history
from heedful.core.history.model import HistoryKind, Item
from heedful.core.shared.errors import Conflict, InvalidInput


def test_the_same_receipt_sent_twice_is_stored_once(shop: Shop) -> None:
    anna = shop.customer()
    receipt = RecordHistory(
        anna.id,
        HistoryKind.PURCHASE,
        shop.clock.now(),
        location_id=shop.kyiv.id,
        items=(Item({"drink": "flat white"}, amount_minor=9000),),
        amount_minor=9000,
        currency="uah",
        external_ref="KYIV-0001",
    )

    first, first_is_new = record_history(receipt, shop.uow, shop.clock, shop.admin)
    shop.clock.advance(timedelta(minutes=5))
    again, again_is_new = record_history(receipt, shop.uow, shop.clock, shop.admin)

    assert (first_is_new, again_is_new) == (True, False)
    assert again == first
    assert first.currency == "UAH"
    card = customer_card(anna.id, shop.uow, shop.clock, shop.admin)
    assert card.history_count == 1
    assert [e.external_ref for e in card.recent_history] == ["KYIV-0001"]


def test_a_receipt_already_recorded_for_another_customer_is_a_conflict(shop: Shop) -> None:
    anna, boris = shop.customer("Anna"), shop.customer("Boris")
    shop.purchase(anna, ref="KYIV-0001", drink="flat white")

    with pytest.raises(Conflict) as raised:
        shop.purchase(boris, ref="KYIV-0001", drink="espresso")

    assert raised.value.field == "external_ref"
    assert shop.uow.history.count_for(boris.id) == 0


def test_a_purchase_dated_in_the_future_is_invalid_input_naming_occurred_at(shop: Shop) -> None:
    anna = shop.customer()
    tomorrow = shop.clock.now() + timedelta(days=1)

    with pytest.raises(InvalidInput) as raised:
        record_history(
            RecordHistory(anna.id, HistoryKind.PURCHASE, tomorrow), shop.uow, shop.clock, shop.admin
        )

    assert raised.value.field == "occurred_at"
    assert shop.uow.history.count_for(anna.id) == 0


def test_a_till_clock_a_few_minutes_fast_is_accepted(shop: Shop) -> None:
    anna = shop.customer()
    soon = shop.clock.now() + timedelta(minutes=5)

    entry, is_new = record_history(
        RecordHistory(anna.id, HistoryKind.PURCHASE, soon), shop.uow, shop.clock, shop.admin
    )

    assert is_new
    assert entry.occurred_at == soon


def test_a_time_without_its_utc_offset_is_refused(shop: Shop) -> None:
    anna = shop.customer()
    naive = datetime(2026, 3, 1, 12, 0)  # noqa: DTZ001 - the mistake under test

    with pytest.raises(InvalidInput) as raised:
        record_history(
            RecordHistory(anna.id, HistoryKind.VISIT, naive), shop.uow, shop.clock, shop.admin
        )

    assert raised.value.field == "occurred_at"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"location_id": "loc_nowhere"}, "location_id"),
        ({"currency": "hryvnia"}, "currency"),
        ({"items": (Item({"size": "38"}, quantity=0),)}, "items[0].quantity"),
    ],
)
def test_a_malformed_entry_is_invalid_input_naming_the_field_and_writes_nothing(
    shop: Shop, change: dict[str, object], field: str
) -> None:
    anna = shop.customer()
    fields: dict[str, object] = {
        "customer_id": anna.id,
        "kind": HistoryKind.PURCHASE,
        "occurred_at": shop.clock.now(),
        **change,
    }

    with pytest.raises(InvalidInput) as raised:
        record_history(RecordHistory(**fields), shop.uow, shop.clock, shop.admin)  # type: ignore[arg-type]

    assert raised.value.field == field
    assert shop.uow.history.count_for(anna.id) == 0
