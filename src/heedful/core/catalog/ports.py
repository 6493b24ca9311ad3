"""What the catalog needs stored: its items, their stock levels and the moves behind them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from heedful.core.catalog.model import CatalogItem
from heedful.core.catalog.stock import StockLevel, StockMove
from heedful.core.shared.ports import UnitOfWorkShape


class CatalogRepository(Protocol):
    def get(self, code: str) -> CatalogItem | None:
        """The item with this normalised code, retired or not."""
        ...

    def get_many(self, codes: Sequence[str]) -> list[CatalogItem]:
        """Those of the normalised ``codes`` that exist, retired or not, in one read."""
        ...

    def put(self, item: CatalogItem) -> None:
        """Stores the item, replacing the one with its code."""
        ...

    def search(
        self, words: Sequence[str], limit: int, *, kinds: Sequence[str] = ()
    ) -> list[CatalogItem]:
        """Items not retired whose code, names, brand, size or colour hold every word.

        Exact codes first, then by code.
        """
        ...

    def children(self, parent_code: str, limit: int) -> list[CatalogItem]: ...
    def provisional(self, limit: int) -> list[CatalogItem]: ...


class StockRepository(Protocol):
    def moves(self, code: str, location_id: str, *, for_change: bool = False) -> list[StockMove]:
        """The moves kept for this variant at this location (locked on PostgreSQL)."""
        ...

    def lock(self, places: Sequence[tuple[str, str]]) -> None:
        """Locks the levels of these (code, location id) places, in one stable order, for the
        rest of the transaction (PostgreSQL; one writer needs none). A place with no level yet
        is not locked: its first report still meets others at its insert."""
        ...

    def add_move(self, move: StockMove) -> bool:
        """Keeps the move; False when one with its key was kept already (a replay)."""
        ...

    def forget_moves(self, code: str, location_id: str, keys: Sequence[str]) -> None: ...
    def level(self, code: str, location_id: str) -> StockLevel | None: ...
    def set_level(self, level: StockLevel) -> None: ...
    def levels(self, code: str) -> list[StockLevel]:
        """The item's level at every location that reported it."""
        ...


class CatalogWork(UnitOfWorkShape, Protocol):
    """The part of the unit of work the catalog uses (ADR 0030)."""

    @property
    def catalog(self) -> CatalogRepository: ...
    @property
    def catalog_stock(self) -> StockRepository: ...
