"""Which events are handled one after another: the ordering key (ADR 61)."""

from __future__ import annotations

from typing import Any

import pytest

from heedful.core.events.model import BusinessEvent
from heedful.core.events.ordering import KEY_LENGTH, ordering_key, ordering_name


def _event(type_: str, data: dict[str, Any], subject: str | None = None) -> BusinessEvent:
    return BusinessEvent(source="urn:shop", id="e-1", type=type_, data=data, subject=subject)


@pytest.mark.parametrize(
    ("data", "key"),
    [
        ({"customer": {"id": "cus_1"}, "order_ref": "1042"}, "customer:id:cus_1"),
        # Her id wins over her identities; an e-mail is folded as the engine looks it up.
        ({"customer": {"id": "cus_1", "email": "a@b.ua"}}, "customer:id:cus_1"),
        ({"customer": {"email": " Anna@Example.COM "}}, "customer:email:anna@example.com"),
        ({"code": "selene-black", "location": "kyiv", "quantity": 1}, "item:selene-black"),
        # A bag named as a product by a system without codes is the same bag.
        ({"product": "selene-black", "location": "kyiv", "delta": -1}, "item:selene-black"),
        ({"location": "kyiv", "booking": "B-7"}, "dealing:kyiv/B-7"),
        ({"note": "nothing named"}, None),
    ],
)
def test_an_event_is_ordered_by_the_customer_else_the_item_else_the_dealing_it_names(
    data: dict[str, Any], key: str | None
) -> None:
    assert ordering_name(_event("heedful.any.happened", data)) == key


def test_an_event_that_names_nothing_is_ordered_by_its_subject_if_it_has_one() -> None:
    assert ordering_name(_event("shop.door.opened", {}, subject="door-3")) == "subject:door-3"


def test_the_stored_key_keeps_the_order_but_not_her_address() -> None:
    anna = ordering_key(_event("heedful.any.happened", {"customer": {"email": "anna@ex.ua"}}))
    again = ordering_key(_event("heedful.other", {"customer": {"email": " ANNA@ex.ua"}}))
    boris = ordering_key(_event("heedful.any.happened", {"customer": {"email": "boris@ex.ua"}}))
    assert anna is not None
    assert anna.startswith("customer:")
    assert "anna" not in anna
    assert "ex.ua" not in anna
    assert anna == again  # the same customer, however the sender spells her address
    assert anna != boris


def test_a_customer_before_the_item_a_long_key_cut_to_the_column() -> None:
    # Her purchase of a bag stays in line with her other events, not with the bag's.
    bought = _event("heedful.purchase.made", {"customer": {"phone": "x"}, "code": "bag"})
    assert ordering_name(bought) == "customer:phone:x"
    long = ordering_key(_event("heedful.any.happened", {"code": "b" * 5000}))
    assert long is not None
    assert long.startswith("item:")
    assert len(long) <= KEY_LENGTH
