"""Which stock level, and so which waiting line, a stock report names: one rule.

Three places ask it: the reaction that writes the level and tells the line
(``catalog_reactions``), the lock a batch takes ahead of its writes (``batch_locks``), and the
lines a batch reads ahead (``batch_reads``). Were they to answer differently, a batch would lock
one level and write another, or read ahead a line nobody then looks at.

A report names its variant by ``code``, or by a ``variant`` the catalog knows; the level is
then the catalog item's (its parent product, its own code as the variant, its size). A code the
catalog does not know yet is kept against a provisional item: the code alone. A report with no
code the catalog knows names ``product``, ``variant`` and ``size`` as the stock system sent them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from heedful.core.catalog import CatalogItem, normalise
from heedful.core.promises import WantedItem

Known = Callable[[str], CatalogItem | None]  # the catalog item of a code, if the catalog has it


def report_code(data: Mapping[str, Any], known: Known) -> str | None:
    """The variant code the report names: ``code``, or a ``variant`` the catalog knows."""
    if data.get("code") is not None:
        return str(data["code"])
    variant = data.get("variant")
    if variant is not None and known(str(variant)) is not None:
        return str(variant)
    return None


def level_of(item: CatalogItem, location_id: str) -> WantedItem:
    """The level a catalog item's stock is kept at: its product's line, its own variant."""
    if item.parent_code:
        return WantedItem(item.parent_code, location_id, item.code, item.size)
    return WantedItem(item.code, location_id, "", item.size)


def uncatalogued_level(data: Mapping[str, Any], location_id: str) -> WantedItem:
    """A report the catalog cannot place: the level it names in its own words."""
    return WantedItem(
        str(data["product"]),
        location_id,
        str(data.get("variant") or ""),
        str(data.get("size") or ""),
    )


def named_level(
    data: Mapping[str, Any], location_id: str, known: Known
) -> tuple[str | None, WantedItem]:
    """The catalog code (None when it names none) and the level the report will write.

    Raises ``KeyError`` or ``InvalidInput`` for a report that names no product at all; the
    reaction then says so, for that event alone.
    """
    code = report_code(data, known)
    if code is None:
        return None, uncatalogued_level(data, location_id)
    folded = normalise(code)
    item = known(folded)
    return folded, level_of(item, location_id) if item else WantedItem(folded, location_id)
