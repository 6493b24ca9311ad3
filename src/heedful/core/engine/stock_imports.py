"""A stock file imported in bulk, and the waiting lines it wakes, in each batch's transaction.

The catalog stores the counts set by set (``catalog.import_stock_in_bulk``) and names the few
variants that are on the shelf again where customers wait; each of those goes through
``promises.stock_changed``, the one home of who is told, as a ``stock.changed`` event would.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from heedful.core.catalog import (
    BULK_BATCH,
    CameBack,
    ReadAhead,
    StockCount,
    StockImport,
    import_stock_in_bulk,
    in_order,
)
from heedful.core.promises import DEFAULT_TELL_PER_UNIT, WantedItem, stock_changed
from heedful.core.shared.clock import Clock
from heedful.core.shared.importing import ProgressCallback
from heedful.core.unit_of_work import UnitOfWork


@dataclass
class StockFileImport:
    imported: StockImport
    told: list[str] = field(default_factory=list)  # promises whose customers are told now


def location_keys(uow: UnitOfWork) -> dict[str, str]:
    """Every location by its id and by the business's own code for it (lowercase)."""
    with uow:
        found = uow.locations.list()
    keys = {location.id: location.id for location in found}
    keys.update({location.code.lower(): location.id for location in found if location.code})
    return keys


def import_stock(
    rows: Iterable[tuple[int, Mapping[str, object]]],
    uow: UnitOfWork,
    clock: Clock,
    *,
    batch_size: int = BULK_BATCH,
    on_progress: ProgressCallback | None = None,
    tell_per_unit: int = DEFAULT_TELL_PER_UNIT,
    read_ahead: ReadAhead[tuple[int, list[StockCount], int]] = in_order,
) -> StockFileImport:
    """Every row a count as of now; the lines of variants back in stock are told at once."""
    now = clock.now()
    cause = f"import:{now.isoformat()}"
    told: list[str] = []

    def wake(came_back: list[CameBack]) -> None:
        for back in came_back:
            wanted = WantedItem(back.product, back.location_id, back.variant, back.size)
            restock = stock_changed(
                uow, now, wanted, back.quantity, tell_per_unit=tell_per_unit, cause=cause
            )
            told.extend(restock.told)

    imported = import_stock_in_bulk(
        rows,
        uow,
        now,
        location_keys(uow),
        batch_size=batch_size,
        on_progress=on_progress,
        woken=wake,
        read_ahead=read_ahead,
    )
    return StockFileImport(imported, told)
