"""Fakes for the catalog's storage: items and stock, answering as ``catalog_rows.py`` does."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from fakes._base import Repository, copy
from heedful.core.catalog.bulk import CameBack
from heedful.core.catalog.bulk_checks import StockCount
from heedful.core.catalog.item_rows import ItemRow
from heedful.core.catalog.model import CatalogItem, ItemKind
from heedful.core.catalog.stock import StockLevel, StockMove
from heedful.core.promises import WantedItem

Place = tuple[str, str]  # code, location


@dataclass
class CatalogState:
    items: dict[str, CatalogItem] = field(default_factory=dict)
    levels: dict[Place, StockLevel] = field(default_factory=dict)
    moves: dict[Place, dict[str, StockMove]] = field(default_factory=dict)


class FakeCatalog(Repository):
    def get(self, code: str) -> CatalogItem | None:
        return copy(self._state.catalog.items.get(code))

    def get_many(self, codes: Sequence[str]) -> list[CatalogItem]:
        items = self._state.catalog.items
        return [copy(items[code]) for code in codes if code in items]

    def put(self, item: CatalogItem) -> None:
        self._writing().catalog.items[item.code] = copy(item)

    def search(
        self, words: Sequence[str], limit: int, *, kinds: Sequence[str] = ()
    ) -> list[CatalogItem]:
        found = [
            item
            for item in self._state.catalog.items.values()
            if item.retired_at is None
            and all(word in item.search_text() for word in words)
            and (not kinds or item.kind.value in kinds)
        ]
        exact = " ".join(words)
        found.sort(key=lambda item: (item.code != exact, item.code))
        return copy(found[:limit])

    def children(self, parent_code: str, limit: int) -> list[CatalogItem]:
        found = [i for i in self._state.catalog.items.values() if i.parent_code == parent_code]
        return copy(sorted(found, key=lambda item: item.code)[:limit])

    def provisional(self, limit: int) -> list[CatalogItem]:
        found = [i for i in self._state.catalog.items.values() if i.provisional]
        return copy(sorted(found, key=lambda item: item.code)[:limit])


class FakeCatalogStock(Repository):
    def moves(
        self,
        code: str,
        location_id: str,
        *,
        for_change: bool = False,  # noqa: ARG002 - locking is the database's
    ) -> list[StockMove]:
        return list(self._state.catalog.moves.get((code, location_id), {}).values())

    def lock(self, places: Sequence[tuple[str, str]]) -> None:
        pass  # locking is the database's

    def add_move(self, move: StockMove) -> bool:
        place = self._state.catalog.moves.get((move.code, move.location_id), {})
        if move.key in place:
            return False
        self._writing().catalog.moves.setdefault((move.code, move.location_id), {})[move.key] = move
        return True

    def forget_moves(self, code: str, location_id: str, keys: Sequence[str]) -> None:
        if keys:
            place = self._writing().catalog.moves.get((code, location_id), {})
            for key in keys:
                place.pop(key, None)

    def level(self, code: str, location_id: str) -> StockLevel | None:
        return self._state.catalog.levels.get((code, location_id))

    def set_level(self, level: StockLevel) -> None:
        self._writing().catalog.levels[(level.code, level.location_id)] = level

    def levels(self, code: str) -> list[StockLevel]:
        found = [level for (c, _), level in self._state.catalog.levels.items() if c == code]
        return sorted(found, key=lambda level: level.location_id)


class FakeCatalogBulk(Repository):
    """The bulk path row by row, answering as ``catalog_bulk.py`` does."""

    def upsert_items(self, items: Sequence[ItemRow]) -> tuple[int, int]:
        created = updated = 0
        state = self._writing().catalog
        for row in items:
            item = CatalogItem(
                code=row.code,
                kind=row.kind,
                changed_at=row.changed_at,
                names=dict(row.names),
                shown_code=row.shown_code,
                parent_code=row.parent_code,
                brand=row.brand,
                size=row.size,
                colour=row.colour,
                attributes=dict(row.attributes),
            )
            stored = state.items.get(item.code)
            if stored is None:
                created += 1
            elif stored.provisional or stored.changed_at <= item.changed_at:
                updated += 1
            else:
                continue
            shown = stored.shown_code if stored is not None else item.shown_code
            state.items[item.code] = copy(replace(item, shown_code=shown))
        return created, updated

    def refresh_statistics(self) -> None:
        pass  # nothing to plan in memory

    def set_stock(self, counts: Sequence[StockCount], at: datetime) -> list[CameBack]:
        state = self._writing()
        came_back: list[CameBack] = []
        for count in counts:
            place = (count.code, count.location_id)
            item = state.catalog.items.setdefault(
                count.code,
                CatalogItem(
                    code=count.code, kind=ItemKind.PRODUCT, changed_at=at, provisional=True
                ),
            )
            level = state.catalog.levels.get(place)
            if level is None or level.as_of <= at:
                state.catalog.levels[place] = StockLevel(*place, count.quantity, at)
            product, variant = (
                (item.parent_code, item.code) if item.parent_code else (item.code, "")
            )
            wanted = WantedItem(product, count.location_id, variant, item.size)
            if count.quantity > 0 and self._uow.promises.waiting_for(wanted, limit=1):
                came_back.append(CameBack(*place, count.quantity, product, variant, item.size))
            else:
                self._uow.stock.set(wanted, count.quantity, at)
        return came_back
