"""The catalog's items and stock on SQLAlchemy Core."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, RowMapping

from heedful.adapters.storage.catalog_tables import (
    catalog_items,
    catalog_stock,
    catalog_stock_moves,
)
from heedful.adapters.storage.claiming import lock_in_order
from heedful.core.catalog.model import CatalogItem, ItemKind
from heedful.core.catalog.stock import StockLevel, StockMove


def _item(row: RowMapping) -> CatalogItem:
    return CatalogItem(
        code=row["code"],
        kind=ItemKind(row["kind"]),
        changed_at=row["changed_at"],
        names=dict(row["names"] or {}),
        shown_code=row["shown_code"],
        parent_code=row["parent_code"],
        brand=row["brand"],
        size=row["size"],
        colour=row["colour"],
        attributes=dict(row["attributes"] or {}),
        provisional=bool(row["provisional"]),
        retired_at=row["retired_at"],
    )


def _values(item: CatalogItem) -> dict[str, Any]:
    return {
        "kind": item.kind.value,
        "shown_code": item.shown_code,
        "parent_code": item.parent_code,
        "names": item.names,
        "brand": item.brand,
        "size": item.size,
        "colour": item.colour,
        "attributes": item.attributes,
        "search_text": item.search_text(),
        "provisional": item.provisional,
        "retired_at": item.retired_at,
        "changed_at": item.changed_at,
    }


def _like(word: str) -> str:
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


# Built once: a stock report may ask for its item (issue 18's profile found the building dear).
_ITEM = sa.select(catalog_items).where(catalog_items.c.code == sa.bindparam("code"))


class SqlCatalog:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def get(self, code: str) -> CatalogItem | None:
        row = self._conn.execute(_ITEM, {"code": code}).mappings().first()
        return _item(row) if row is not None else None

    def get_many(self, codes: Sequence[str]) -> list[CatalogItem]:
        if not codes:
            return []
        query = sa.select(catalog_items).where(catalog_items.c.code.in_(list(codes)))
        return [_item(row) for row in self._conn.execute(query).mappings()]

    def put(self, item: CatalogItem) -> None:
        values = _values(item)
        updated = self._conn.execute(
            catalog_items.update().where(catalog_items.c.code == item.code).values(**values)
        )
        if updated.rowcount == 0:
            self._conn.execute(catalog_items.insert().values(code=item.code, **values))

    def search(
        self, words: Sequence[str], limit: int, *, kinds: Sequence[str] = ()
    ) -> list[CatalogItem]:
        exact = sa.case((catalog_items.c.code == " ".join(words), 0), else_=1)
        query = (
            sa.select(catalog_items)
            .where(catalog_items.c.retired_at.is_(None))
            .where(*(catalog_items.c.search_text.like(_like(w), escape="\\") for w in words))
            .order_by(exact, catalog_items.c.code)
            .limit(limit)
        )
        if kinds:
            query = query.where(catalog_items.c.kind.in_(list(kinds)))
        return [_item(row) for row in self._conn.execute(query).mappings()]

    def children(self, parent_code: str, limit: int) -> list[CatalogItem]:
        query = (
            sa.select(catalog_items)
            .where(catalog_items.c.parent_code == parent_code)
            .order_by(catalog_items.c.code)
            .limit(limit)
        )
        return [_item(row) for row in self._conn.execute(query).mappings()]

    def provisional(self, limit: int) -> list[CatalogItem]:
        query = (
            sa.select(catalog_items)
            .where(catalog_items.c.provisional)
            .order_by(catalog_items.c.code)
            .limit(limit)
        )
        return [_item(row) for row in self._conn.execute(query).mappings()]


def _move(row: RowMapping) -> StockMove:
    return StockMove(
        code=row["code"],
        location_id=row["location_id"],
        key=row["key"],
        at=row["at"],
        level=row["level"],
        delta=row["delta"],
    )


class SqlCatalogStock:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def moves(self, code: str, location_id: str, *, for_change: bool = False) -> list[StockMove]:
        if for_change and self._conn.dialect.name == "postgresql":
            # The level row is the lock: two workers on one variant take turns, never both
            # reading the same moves. A first report has no row yet; the moves' key decides.
            self._conn.execute(
                sa.select(catalog_stock.c.code)
                .where(catalog_stock.c.code == code, catalog_stock.c.location_id == location_id)
                .with_for_update()
            )
        query = sa.select(catalog_stock_moves).where(
            catalog_stock_moves.c.code == code, catalog_stock_moves.c.location_id == location_id
        )
        return [_move(row) for row in self._conn.execute(query).mappings()]

    def lock(self, places: Sequence[tuple[str, str]]) -> None:
        lock_in_order(self._conn, catalog_stock, ("code", "location_id"), places)

    def add_move(self, move: StockMove) -> bool:
        seen = self._conn.scalar(
            sa.select(sa.func.count())
            .select_from(catalog_stock_moves)
            .where(
                catalog_stock_moves.c.code == move.code,
                catalog_stock_moves.c.location_id == move.location_id,
                catalog_stock_moves.c.key == move.key,
            )
        )
        if seen:
            return False
        self._conn.execute(
            catalog_stock_moves.insert().values(
                code=move.code,
                location_id=move.location_id,
                key=move.key,
                at=move.at,
                level=move.level,
                delta=move.delta,
            )
        )
        return True

    def forget_moves(self, code: str, location_id: str, keys: Sequence[str]) -> None:
        if keys:
            self._conn.execute(
                catalog_stock_moves.delete().where(
                    catalog_stock_moves.c.code == code,
                    catalog_stock_moves.c.location_id == location_id,
                    catalog_stock_moves.c.key.in_(list(keys)),
                )
            )

    def level(self, code: str, location_id: str) -> StockLevel | None:
        row = (
            self._conn.execute(
                sa.select(catalog_stock).where(
                    catalog_stock.c.code == code, catalog_stock.c.location_id == location_id
                )
            )
            .mappings()
            .first()
        )
        if row is None:
            return None
        return StockLevel(row["code"], row["location_id"], row["quantity"], row["as_of"])

    def set_level(self, level: StockLevel) -> None:
        updated = self._conn.execute(
            catalog_stock.update()
            .where(
                catalog_stock.c.code == level.code,
                catalog_stock.c.location_id == level.location_id,
            )
            .values(quantity=level.quantity, as_of=level.as_of)
        )
        if updated.rowcount == 0:
            self._conn.execute(
                catalog_stock.insert().values(
                    code=level.code,
                    location_id=level.location_id,
                    quantity=level.quantity,
                    as_of=level.as_of,
                )
            )

    def levels(self, code: str) -> list[StockLevel]:
        query = (
            sa.select(catalog_stock)
            .where(catalog_stock.c.code == code)
            .order_by(catalog_stock.c.location_id)
        )
        return [
            StockLevel(row["code"], row["location_id"], row["quantity"], row["as_of"])
            for row in self._conn.execute(query).mappings()
        ]
