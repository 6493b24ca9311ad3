"""The bulk path of catalog and stock imports: rows checked one by one, stored set by set.

``import_catalog`` (``importing.py``) keeps each item through ``upsert_item``, a query and a
savepoint per row: about 400 rows a second, days for a million variants and their stock. Here
every row is still checked on its own (a bad row is set aside with its line and every reason,
and never stops the rows behind it), but the good rows of a batch are handed to storage
together, which writes them with one statement per table (``executemany``, ``COPY`` on
PostgreSQL, then ``INSERT ... ON CONFLICT``). See ADR 0042 and docs/benchmarks.md.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import islice
from typing import Protocol, TypeVar

from heedful.core.catalog.bulk_checks import StockCount, checked_items, checked_stock
from heedful.core.catalog.importing import CatalogRow
from heedful.core.catalog.item_rows import ItemRow
from heedful.core.shared.importing import ImportReport, ProgressCallback
from heedful.core.shared.ports import UnitOfWorkShape

# Tens of thousands per transaction: a commit (a disk flush) and the statements' planning are
# then noise beside the rows, and a batch's rows stay a few megabytes. Smaller batches measured
# slower on both databases (docs/benchmarks.md, catalog_import).
BULK_BATCH = 20_000
STOCK_COLUMNS = ("code", "location", "quantity")

T = TypeVar("T")
# Given the checked batches, yields them in order: the entry point may check the next batch in
# another thread while this one is written (the database's time is then not the reader's).
ReadAhead = Callable[[Iterator[T]], Iterator[T]]


@dataclass(frozen=True, slots=True)
class CameBack:
    """A variant that is on the shelf again at a location where customers wait for it."""

    code: str
    location_id: str
    quantity: int
    product: str  # as waiting promises name it: the parent product, or the code itself
    variant: str
    size: str


class CatalogBulkLoad(Protocol):
    def upsert_items(self, items: Sequence[ItemRow]) -> tuple[int, int]:
        """Keep the items (codes unique within the call); (created, updated) counts.

        As ``upsert_item``: an older change than the one stored is passed over unless the stored
        item is provisional, and the code as first written stays on show.
        """
        ...

    def set_stock(self, counts: Sequence[StockCount], at: datetime) -> list[CameBack]:
        """Set each level to its count as of ``at`` (unless a newer level is kept), making
        provisional items for unknown codes; (code, location) pairs unique within the call.
        No move is kept: ``record_stock`` reads a level newer than every move as a count.

        Returns the pairs whose customers may now be told: in stock now, and someone waits.
        Their back-in-stock level (``StockLevels``) is left for the caller, which tells them
        through ``promises.stock_changed``; every other pair's is set here.
        """
        ...

    def refresh_statistics(self) -> None:
        """After a bulk load: the planner's figures for the tables it grew (``ANALYZE``)."""
        ...


class CatalogBulkWork(UnitOfWorkShape, Protocol):
    @property
    def catalog_bulk(self) -> CatalogBulkLoad: ...


def _batches(rows: Iterable[CatalogRow], size: int) -> Iterator[list[CatalogRow]]:
    if size < 1:
        raise ValueError("batch_size must be at least 1")
    iterator = iter(rows)
    while batch := list(islice(iterator, size)):
        yield batch


def in_order(batches: Iterator[T]) -> Iterator[T]:
    return batches


def import_items_in_bulk(
    rows: Iterable[CatalogRow],
    uow: CatalogBulkWork,
    at: datetime,
    *,
    batch_size: int = BULK_BATCH,
    on_progress: ProgressCallback | None = None,
    read_ahead: ReadAhead[tuple[int, list[ItemRow], int]] = in_order,
) -> ImportReport:
    """The catalog file's items: one transaction and a few statements per batch."""
    report = ImportReport()
    checked = (
        (len(batch), *checked_items(batch, at, report.rejected))
        for batch in _batches(rows, batch_size)
    )
    for size, good, repeated in read_ahead(checked):
        with uow:
            created, updated = uow.catalog_bulk.upsert_items(good)
            uow.commit()
        report.created += created
        report.updated += updated
        report.unchanged += repeated + len(good) - created - updated
        if on_progress is not None:
            on_progress(size)
    with uow:
        uow.catalog_bulk.refresh_statistics()
        uow.commit()
    return report


@dataclass
class StockImport:
    """What a stock import did: the rows' report and the waiting lines it woke."""

    report: ImportReport
    came_back: list[CameBack]


def import_stock_in_bulk(
    rows: Iterable[CatalogRow],
    uow: CatalogBulkWork,
    at: datetime,
    locations: Mapping[str, str],
    *,
    batch_size: int = BULK_BATCH,
    on_progress: ProgressCallback | None = None,
    woken: Callable[[list[CameBack]], None] | None = None,
    read_ahead: ReadAhead[tuple[int, list[StockCount], int]] = in_order,
) -> StockImport:
    """The stock file's counts, batch by batch, each a count as of ``at``.

    The waiting lines are not told here (the catalog sits below promises): the pairs that came
    back are returned for ``engine.stock_imports`` to tell, batch by batch, in the batch's
    transaction when it passes ``woken``.
    """
    done = StockImport(ImportReport(), [])
    checked = (
        (len(batch), *checked_stock(batch, locations, done.report.rejected))
        for batch in _batches(rows, batch_size)
    )
    for size, good, accepted in read_ahead(checked):
        with uow:
            came_back = uow.catalog_bulk.set_stock(good, at)
            if woken is not None:
                woken(came_back)  # in this batch's transaction: the level and who is told
            uow.commit()
        done.came_back += came_back
        done.report.updated += accepted
        if on_progress is not None:
            on_progress(size)
    with uow:
        uow.catalog_bulk.refresh_statistics()
        uow.commit()
    return done
