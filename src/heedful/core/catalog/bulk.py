"""The bulk path of catalog and stock imports: rows checked one by one, stored set by set.

``import_catalog`` (``importing.py``) keeps each item through ``upsert_item``, a query and a
savepoint per row: about 400 rows a second, days for a million variants and their stock. Here
every row is still checked on its own (a bad row is set aside with its line and every reason,
and never stops the rows behind it), but the good rows of a batch are handed to storage
together, which writes them with one statement per table (``executemany``, ``COPY`` on
PostgreSQL, then ``INSERT ... ON CONFLICT``). See ADR 0042 and docs/benchmarks.md.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import islice
from typing import Protocol

from heedful.core.catalog.importing import CatalogRow, RowProblems, item_from_row
from heedful.core.catalog.model import MAX_CODE, CatalogItem, normalise
from heedful.core.catalog.stock import MAX_LEVEL
from heedful.core.shared.errors import InvalidInput
from heedful.core.shared.importing import ImportReport, ProgressCallback
from heedful.core.shared.ports import UnitOfWorkShape

# Thousands per statement: large enough that a round trip is noise, small enough that a batch's
# rows and its transaction stay a few megabytes.
BULK_BATCH = 5000
STOCK_COLUMNS = ("code", "location", "quantity")


@dataclass(frozen=True, slots=True)
class StockCount:
    """A stock file's row: units on hand of a variant at a location, counted when imported."""

    code: str
    location_id: str
    quantity: int


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
    def upsert_items(self, items: Sequence[CatalogItem]) -> tuple[int, int]:
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


class CatalogBulkWork(UnitOfWorkShape, Protocol):
    @property
    def catalog_bulk(self) -> CatalogBulkLoad: ...


def _batches(rows: Iterable[CatalogRow], size: int) -> Iterator[list[CatalogRow]]:
    if size < 1:
        raise ValueError("batch_size must be at least 1")
    iterator = iter(rows)
    while batch := list(islice(iterator, size)):
        yield batch


def import_items_in_bulk(
    rows: Iterable[CatalogRow],
    uow: CatalogBulkWork,
    at: datetime,
    *,
    batch_size: int = BULK_BATCH,
    on_progress: ProgressCallback | None = None,
) -> ImportReport:
    """The catalog file's items: one transaction and a few statements per batch."""
    report = ImportReport()
    for batch in _batches(rows, batch_size):
        good: dict[str, CatalogItem] = {}
        for number, row in batch:
            item, problems = item_from_row(row, at)
            if item is None:
                report.rejected.append(RowProblems(problems).rejection(number))
                continue
            if item.code in good:
                report.unchanged += 1  # said twice in one batch: the later row stands
            good[item.code] = item
        with uow:
            created, updated = uow.catalog_bulk.upsert_items(list(good.values()))
            uow.commit()
        report.created += created
        report.updated += updated
        report.unchanged += len(good) - created - updated
        if on_progress is not None:
            on_progress(len(batch))
    return report


def _quantity(value: object) -> int | None:
    if type(value) is str and value.isdigit():
        return int(value)  # nearly every cell of a stock file: the quick way first
    if isinstance(value, str):
        try:
            value = float(value.strip().replace(",", "."))
        except ValueError:
            return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if isinstance(value, float) and not (math.isfinite(value) and value.is_integer()):
        return None
    return int(value)


def stock_from_row(
    row: Mapping[str, object], locations: Mapping[str, str]
) -> tuple[StockCount | None, list[InvalidInput]]:
    """The count a stock row gives, and every reason it cannot be kept.

    ``locations``: every location's id and the business's own code for it (lowercase) -> id.
    """
    problems: list[InvalidInput] = []
    code = normalise(str(row.get("code") or ""))
    if not code:
        problems.append(InvalidInput("name the variant's code", field="code"))
    elif len(code) > MAX_CODE or "\x00" in code:
        problems.append(InvalidInput(f"a code is at most {MAX_CODE} characters", field="code"))
    where = str(row.get("location") or "").strip()
    location_id = locations.get(where) or locations.get(where.lower())
    if location_id is None:
        problems.append(InvalidInput(f"no location {where[:40]!r}", field="location"))
    quantity = _quantity(row.get("quantity"))
    if quantity is None:
        problems.append(InvalidInput("the units on hand, a whole number", field="quantity"))
    elif not 0 <= quantity <= MAX_LEVEL:
        problems.append(InvalidInput(f"between 0 and {MAX_LEVEL:,}", field="quantity"))
    if problems or location_id is None or quantity is None:
        return None, problems
    return StockCount(code, location_id, quantity), []


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
) -> StockImport:
    """The stock file's counts, batch by batch, each a count as of ``at``.

    The waiting lines are not told here (the catalog sits below promises): the pairs that came
    back are returned for ``engine.stock_imports`` to tell, batch by batch, in the batch's
    transaction when it passes ``woken``.
    """
    done = StockImport(ImportReport(), [])
    for batch in _batches(rows, batch_size):
        good: dict[tuple[str, str], StockCount] = {}
        accepted = 0
        for number, row in batch:
            count, problems = stock_from_row(row, locations)
            if count is None:
                done.report.rejected.append(RowProblems(problems).rejection(number))
                continue
            accepted += 1
            good[(count.code, count.location_id)] = count  # said twice: the later row stands
        with uow:
            came_back = uow.catalog_bulk.set_stock(list(good.values()), at)
            if woken is not None:
                woken(came_back)  # in this batch's transaction: the level and who is told
            uow.commit()
        done.came_back += came_back
        done.report.updated += accepted
        if on_progress is not None:
            on_progress(len(batch))
    return done
