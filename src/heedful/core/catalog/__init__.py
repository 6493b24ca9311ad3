"""The business's catalog: items per business and their stock per location, kept by events."""

from heedful.core.catalog.bulk import (
    BULK_BATCH,
    CameBack,
    CatalogBulkLoad,
    ReadAhead,
    StockImport,
    import_items_in_bulk,
    import_stock_in_bulk,
    in_order,
)
from heedful.core.catalog.bulk_checks import StockCount
from heedful.core.catalog.handlers import (
    Stale,
    StockChange,
    find_item,
    item_stock,
    provisional_item,
    record_stock,
    retire_item,
    search_items,
    upsert_item,
)
from heedful.core.catalog.model import (
    NAME_LANGUAGES,
    CatalogItem,
    ItemKind,
    check_item,
    item_kind,
    names_from,
    normalise,
)
from heedful.core.catalog.ports import CatalogRepository, CatalogWork, StockRepository
from heedful.core.catalog.stock import StockLevel, StockMove, level_from

__all__ = [
    "BULK_BATCH",
    "NAME_LANGUAGES",
    "CameBack",
    "CatalogBulkLoad",
    "CatalogItem",
    "CatalogRepository",
    "CatalogWork",
    "ItemKind",
    "ReadAhead",
    "Stale",
    "StockChange",
    "StockCount",
    "StockImport",
    "StockLevel",
    "StockMove",
    "StockRepository",
    "check_item",
    "find_item",
    "import_items_in_bulk",
    "import_stock_in_bulk",
    "in_order",
    "item_kind",
    "item_stock",
    "level_from",
    "names_from",
    "normalise",
    "provisional_item",
    "record_stock",
    "retire_item",
    "search_items",
    "upsert_item",
]
