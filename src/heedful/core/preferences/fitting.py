"""A preference that names attributes fits every variant that has them (ADR 0049).

"Brand X in size M" is kept as attributes, not as a list of items: it fits the variants the
catalog has today and those it gets later, read when asked. A variant's own value counts, else
its product's (the brand is usually said once, on the product).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from heedful.core.access import Actor, Permission, load_customer
from heedful.core.catalog import CatalogItem, ItemKind, normalise
from heedful.core.preferences.model import Preference
from heedful.core.shared.errors import NotFound
from heedful.core.shared.phrases import Phrase
from heedful.core.unit_of_work import UnitOfWork

# Items read per attribute value when looking for candidates; what fits is then checked exactly.
_CANDIDATES = 500


def value_of(item: CatalogItem, name: str) -> str:
    """The item's value of an attribute, normalised: brand, size and colour are its own fields."""
    if name == "brand":
        return normalise(item.brand)
    if name == "size":
        return item.size
    if name in ("colour", "color"):
        return item.colour
    return item.attributes.get(name, "")


def fits(item: CatalogItem, attributes: Mapping[str, str], parent: CatalogItem | None) -> bool:
    """Every attribute the preference names, on the item or else on its product."""
    if not attributes:
        return False
    for name, wanted in attributes.items():
        value = value_of(item, name) or (value_of(parent, name) if parent else "")
        if value != wanted:
            return False
    return True


@dataclass(frozen=True)
class ItemToFit:
    """An item as a preference is fitted to it: the item and, for a variant, its product."""

    item: CatalogItem
    product: CatalogItem | None


def item_to_fit(uow: UnitOfWork, code: str) -> ItemToFit | None:
    """The catalog's item of this code (normalised as it enters), with its product; None when
    the catalog does not know it or it is retired: nothing fits what is not sold."""
    item = uow.catalog.get(normalise(code)) if code.strip() else None
    if item is None or item.is_retired:
        return None
    product = uow.catalog.get(item.parent_code) if item.parent_code else None
    return ItemToFit(item, product)


def preference_fits(preference: Preference, target: ItemToFit) -> bool:
    """Her standing preference names attributes and the item has every one of them."""
    return preference.is_standing and fits(target.item, preference.attributes, target.product)


def fitting_variants(
    uow: UnitOfWork, attributes: Mapping[str, str], limit: int = 100
) -> list[CatalogItem]:
    """The variants not retired that fit, by code; read from the catalog as it is now."""
    if not attributes:
        return []
    candidates: dict[str, CatalogItem] = {}
    for value in sorted(set(attributes.values())):
        for item in uow.catalog.search([value], _CANDIDATES):
            if item.kind is ItemKind.PRODUCT:
                for child in uow.catalog.children(item.code, _CANDIDATES):
                    candidates.setdefault(child.code, child)
            elif item.kind is ItemKind.VARIANT:
                candidates.setdefault(item.code, item)
    parents: dict[str, CatalogItem | None] = {}
    found = []
    for code in sorted(candidates):
        item = candidates[code]
        if item.kind is not ItemKind.VARIANT or item.is_retired:
            continue
        if item.parent_code not in parents:
            parents[item.parent_code] = uow.catalog.get(item.parent_code)
        if fits(item, attributes, parents[item.parent_code]):
            found.append(item)
    return found[:limit]


def variants_for_preference(
    uow: UnitOfWork, actor: Actor, customer_id: str, preference_id: str, limit: int = 100
) -> tuple[Preference, list[CatalogItem]]:
    """The customer's preference and every variant it fits today."""
    actor.require(Permission.VIEW_CUSTOMERS)
    with uow:
        customer = load_customer(uow, actor, customer_id)
        preference = uow.preferences.get(preference_id)
        if preference is None or preference.customer_id != customer.id:
            raise NotFound(
                f"no preference {preference_id} on this customer",
                said=Phrase("refusal.preference_gone"),
            )
        return preference, fitting_variants(uow, preference.attributes, limit)
