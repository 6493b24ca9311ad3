"""A preference may name attributes ("brand X in size M") and fits every variant that has them,
those the catalog has and those it gets later (ADR 0049), on the fakes."""

from __future__ import annotations

import pytest
from builders import Shop

from heedful.core.catalog import CatalogItem, ItemKind, upsert_item
from heedful.core.preferences.fitting import variants_for_preference
from heedful.core.preferences.handlers import RecordPreference, record_preference
from heedful.core.preferences.model import Category, Polarity
from heedful.core.shared.errors import InvalidInput


def _item(shop: Shop, code: str, kind: ItemKind, **fields: object) -> None:
    upsert_item(shop.uow, CatalogItem(code, kind, shop.clock.now(), **fields))  # type: ignore[arg-type]


def test_brand_x_in_size_m_fits_every_such_variant_including_one_added_later(shop: Shop) -> None:
    _item(shop, "LYPKY-TOTE", ItemKind.PRODUCT, brand="Lypky ", names={"en": "Tote"})
    _item(shop, "LYPKY-TOTE-M", ItemKind.VARIANT, parent_code="LYPKY-TOTE", size="M")
    _item(shop, "LYPKY-TOTE-S", ItemKind.VARIANT, parent_code="LYPKY-TOTE", size="S")
    _item(shop, "OTHER-BAG", ItemKind.PRODUCT, brand="Other")
    _item(shop, "OTHER-M", ItemKind.VARIANT, parent_code="OTHER-BAG", size="m")
    anna = shop.customer("Anna Kovalenko", at=shop.kyiv)
    said = RecordPreference(
        anna.id,
        Polarity.LIKE,
        "Lypky in size M",
        Category.BRAND,
        attributes={"Brand": "LYPKY", "size": " m"},
    )
    preference = record_preference(said, shop.uow, shop.clock, shop.admin)
    assert preference.attributes == {"brand": "lypky", "size": "m"}

    _, fitting = variants_for_preference(shop.uow, shop.admin, anna.id, preference.id)
    assert [item.code for item in fitting] == ["lypky-tote-m"]

    # A new product of the brand arrives in the catalog after she said it: it fits too.
    _item(shop, "LYPKY-BELT", ItemKind.PRODUCT, brand="lypky")
    _item(shop, "LYPKY-BELT-M", ItemKind.VARIANT, parent_code="LYPKY-BELT", size="M")
    _, fitting = variants_for_preference(shop.uow, shop.admin, anna.id, preference.id)
    assert [item.code for item in fitting] == ["lypky-belt-m", "lypky-tote-m"]


def test_an_attribute_without_a_value_is_refused_naming_the_field(shop: Shop) -> None:
    anna = shop.customer("Anna Kovalenko", at=shop.kyiv)
    said = RecordPreference(
        anna.id, Polarity.LIKE, "Lypky", attributes={"brand": "lypky", "size": " "}
    )
    with pytest.raises(InvalidInput) as refused:
        record_preference(said, shop.uow, shop.clock, shop.admin)
    assert refused.value.field == "attributes"
