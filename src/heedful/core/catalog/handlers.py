"""Catalog use cases: an item upserted or retired, stock changed, the picker's search.

Events (``item.upserted``, ``item.retired``, ``stock.changed``) and imports come through here,
so the catalog and its stock are written by one path whatever fed them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from heedful.core.catalog.model import CatalogItem, ItemKind, check_item, normalise
from heedful.core.catalog.ports import CatalogWork
from heedful.core.catalog.stock import StockLevel, StockMove, level_from, still_needed
from heedful.core.shared.errors import InvalidInput
from heedful.core.shared.importing import Outcome

MAX_RESULTS = 50
IMPORTED = "import"  # the key of the count an imported level stands for
MIN_QUERY = 1


class Stale(Exception):
    """The change is older than what the catalog holds: it was overtaken, and is passed over."""


def _same(a: CatalogItem, b: CatalogItem) -> bool:
    return replace(a, changed_at=b.changed_at) == b


def upsert_item(uow: CatalogWork, item: CatalogItem) -> Outcome:
    """Keeps the item; an older change than the one stored is passed over (``Stale``).

    Raises the first ``InvalidInput`` of ``check_item`` (imports list every one themselves).
    An upsert brings a retired item back, and makes a provisional one real.
    """
    problems = check_item(item)
    if problems:
        raise problems[0]
    with uow:
        stored = uow.catalog.get(item.code)
        if stored is not None and not stored.provisional and stored.changed_at > item.changed_at:
            raise Stale(f"{item.code} changed after {item.changed_at.isoformat()}")
        outcome = Outcome.CREATED
        if stored is not None:
            item.shown_code = stored.shown_code  # the code as first written stays on show
            outcome = Outcome.UNCHANGED if _same(stored, item) else Outcome.UPDATED
        if outcome is not Outcome.UNCHANGED:
            uow.catalog.put(item)
        uow.commit()
    return outcome


def retire_item(uow: CatalogWork, code: str, at: datetime) -> CatalogItem:
    """The business no longer sells it: kept for the wishes and history that name it."""
    with uow:
        item = uow.catalog.get(normalise(code))
        if item is None:
            raise InvalidInput(f"no item {code}", field="code")
        if item.changed_at > at:
            raise Stale(f"{item.code} changed after {at.isoformat()}")
        item.retired_at, item.changed_at = at, at
        uow.catalog.put(item)
        uow.commit()
    return item


@dataclass(frozen=True)
class StockChange:
    item: CatalogItem
    location_id: str
    before: int  # units on hand before this report (0 when never heard)
    after: int

    @property
    def arrived(self) -> int:
        return max(self.after - self.before, 0)


def provisional_item(code: str, at: datetime, kind: ItemKind = ItemKind.PRODUCT) -> CatalogItem:
    return CatalogItem(code=code, kind=kind, changed_at=at, provisional=True)


def record_stock(uow: CatalogWork, move: StockMove) -> StockChange | None:
    """Applies a stock report in its own time; None when it was heard before (a replay).

    An unknown code is kept against a provisional item: the stock system knows the shop's
    shelves better than a catalog not yet imported, and the import later fills the item in.
    """
    code = normalise(move.code)
    if not code:
        raise InvalidInput("name the variant's code", field="code")
    move = replace(move, code=code)
    with uow:
        item = uow.catalog.get(code)
        if item is None:
            item = provisional_item(code, move.at)
            uow.catalog.put(item)
        moves = uow.catalog_stock.moves(code, move.location_id, for_change=True)
        if not uow.catalog_stock.add_move(move):
            uow.commit()
            return None
        current = uow.catalog_stock.level(code, move.location_id)
        before = current.quantity if current is not None else 0
        kept = [*moves, move]
        if current is not None and (not moves or current.as_of > max(m.at for m in moves)):
            # A level newer than every move kept was set by an import (``bulk.py``), which
            # keeps no moves: it stands as a count at its time, so later moves add to it.
            kept.append(StockMove(code, move.location_id, IMPORTED, current.as_of, before))
        after = level_from(kept) or 0
        as_of = max(m.at for m in kept)
        uow.catalog_stock.set_level(StockLevel(code, move.location_id, after, as_of))
        needed = {m.key for m in still_needed(kept)}
        uow.catalog_stock.forget_moves(
            code, move.location_id, [m.key for m in kept if m.key not in needed]
        )
        uow.commit()
    return StockChange(item, move.location_id, before, after)


def search_items(
    uow: CatalogWork, query: str, limit: int = 20, *, kinds: tuple[str, ...] = ()
) -> list[CatalogItem]:
    """The picker's search: every word of the query in the code, a name, brand, size or colour."""
    words = normalise(query).split()
    if not words:
        return []
    with uow:
        return uow.catalog.search(words, min(max(limit, 1), MAX_RESULTS), kinds=kinds)


def find_item(uow: CatalogWork, code: str) -> CatalogItem | None:
    with uow:
        return uow.catalog.get(normalise(code))


def item_stock(uow: CatalogWork, code: str) -> list[StockLevel]:
    with uow:
        return uow.catalog_stock.levels(normalise(code))
