"""Checking a bulk file's rows a batch at a time: the good rows kept, every bad one with reasons.

A stock file is ten rows per variant: at a million variants, ten million rows, so the check of a
row is the import's cost floor on the Python side. Nearly every row of a real export is plain (a
code, a known location, a whole number), so each row first tries the quick way, which accepts
only what the full check would accept unchanged; anything else goes through the full check
(``stock_from_row``, ``item_from_row``), which names every reason.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import NamedTuple

from heedful.core.catalog.importing import CatalogRow, RowProblems, item_from_row
from heedful.core.catalog.item_rows import ItemRow, quick_item
from heedful.core.catalog.model import MAX_CODE, normalise
from heedful.core.catalog.stock import MAX_LEVEL
from heedful.core.shared.errors import InvalidInput
from heedful.core.shared.importing import Rejection
from heedful.core.shared.phrases import Phrase


class StockCount(NamedTuple):
    """A stock file's row: units on hand of a variant at a location, counted when imported.

    A tuple, so storage writes it as it is (``COPY``, ``executemany``) with no copy per row.
    """

    code: str
    location_id: str
    quantity: int


def _quantity(value: object) -> int | None:
    if type(value) is str and value.isascii() and value.isdigit():
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
        problems.append(
            InvalidInput(
                f"no location {where[:40]!r}", said=Phrase("refusal.no_location"), field="location"
            )
        )
    quantity = _quantity(row.get("quantity"))
    if quantity is None:
        problems.append(InvalidInput("the units on hand, a whole number", field="quantity"))
    elif not 0 <= quantity <= MAX_LEVEL:
        problems.append(InvalidInput(f"between 0 and {MAX_LEVEL:,}", field="quantity"))
    if problems or location_id is None or quantity is None:
        return None, problems
    return StockCount(code, location_id, quantity), []


_QUICK_DIGITS = len(str(MAX_LEVEL)) - 1  # fewer digits than the limit: always within it


def checked_stock(
    batch: Sequence[CatalogRow], locations: Mapping[str, str], rejected: list[Rejection]
) -> tuple[list[StockCount], int]:
    """The batch's good counts, one per (code, location), the later row standing; and how many
    rows were good. Bad rows go to ``rejected`` with every reason."""
    good: dict[tuple[str, str], StockCount] = {}
    accepted = 0
    for number, row in batch:
        code, where, units = row.get("code"), row.get("location"), row.get("quantity")
        if type(code) is str and type(where) is str and type(units) is str:
            folded = " ".join(code.split()).casefold()
            location_id = locations.get(where)
            if (
                folded
                and location_id is not None
                and units.isascii()
                and units.isdigit()
                and len(units) <= _QUICK_DIGITS
                and len(folded) <= MAX_CODE
                and "\x00" not in folded
            ):
                accepted += 1
                good[folded, location_id] = StockCount(folded, location_id, int(units))
                continue
        count, problems = stock_from_row(row, locations)
        if count is None:
            rejected.append(RowProblems(problems).rejection(number))
            continue
        accepted += 1
        good[count.code, count.location_id] = count
    return list(good.values()), accepted


def checked_items(
    batch: Sequence[CatalogRow], at: datetime, rejected: list[Rejection]
) -> tuple[list[ItemRow], int]:
    """The batch's good items, one per code (the later row stands), and how many rows said a
    code twice. Bad rows go to ``rejected`` with every reason."""
    good: dict[str, ItemRow] = {}
    repeated = 0
    for number, row in batch:
        kept = quick_item(row, at)  # a plain row: the quick way (item_rows.py)
        if kept is None:
            item, problems = item_from_row(row, at)
            if item is None:
                rejected.append(RowProblems(problems).rejection(number))
                continue
            kept = ItemRow.of(item)
        if kept.code in good:
            repeated += 1  # said twice in one batch: the later row stands
        good[kept.code] = kept
    return list(good.values()), repeated
