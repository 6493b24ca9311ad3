# ruff: noqa: S608 - statements are made of this module's constants; every value is a bound parameter.
"""The catalog's bulk path on SQLAlchemy: a batch of items or stock counts in a few statements.

Each batch is staged first (``COPY`` into a temporary table on PostgreSQL, ``executemany`` on
SQLite) and then applied with set-based ``INSERT ... SELECT ... ON CONFLICT`` statements, so the
cost per row is the database's, not a round trip's. The per-row path (``catalog_rows.py``) stays
for events, which come one at a time and decide from the moves kept (ADR 0035).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import datetime
from functools import lru_cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from heedful.adapters.storage.catalog_tables import catalog_items
from heedful.adapters.storage.tables import UtcDateTime
from heedful.core.catalog.bulk import CameBack
from heedful.core.catalog.bulk_checks import StockCount
from heedful.core.catalog.item_rows import ItemRow

_ITEM_COLUMNS = (
    "code",
    "kind",
    "shown_code",
    "parent_code",
    "names",
    "brand",
    "size",
    "colour",
    "attributes",
    "search_text",
    "provisional",
    "retired_at",
    "changed_at",
)
# On a code already kept, everything but the code as first written is replaced; an older change
# than the stored one is passed over unless the stored item is provisional (as upsert_item).
_REPLACED = [c for c in _ITEM_COLUMNS if c not in ("code", "shown_code")]

_STAGE_STOCK_PG = (
    "CREATE TEMP TABLE IF NOT EXISTS bulk_stock (code text, location_id text, quantity integer)"
    " ON COMMIT DELETE ROWS"
)
_STAGE_STOCK_SQLITE = (
    "CREATE TEMP TABLE IF NOT EXISTS bulk_stock (code TEXT, location_id TEXT, quantity INTEGER)"
)
_STAGE_ITEMS_PG = (
    "CREATE TEMP TABLE IF NOT EXISTS bulk_items (code text, kind text, shown_code text,"
    " parent_code text, names jsonb, brand text, size text, colour text, attributes jsonb,"
    " search_text text, changed_at timestamptz) ON COMMIT DELETE ROWS"
)
# What waiting promises call a variant: its product (the parent, or itself) and the variant.
_PRODUCT = "CASE WHEN i.parent_code <> '' THEN i.parent_code ELSE i.code END"
_VARIANT = "CASE WHEN i.parent_code <> '' THEN i.code ELSE '' END"
# One look at the partial index of open waits: most imports find none and skip the join.
_ANYONE_WAITING = (
    "SELECT 1 FROM promises WHERE state = 'open' AND kind = 'tell_when_available'"
    " AND notice_message_id IS NULL LIMIT 1"
)
_WAITING = f"""
    SELECT DISTINCT s.code, s.location_id, s.quantity, {_PRODUCT} AS product,
           {_VARIANT} AS variant, i.size AS size
    FROM bulk_stock s
    JOIN catalog_items i ON i.code = s.code
    JOIN promises p ON p.location_id = s.location_id
        AND p.item_product = {_PRODUCT}
        AND p.item_variant IN ('', {_VARIANT})
        AND p.item_size IN ('', i.size)
    WHERE s.quantity > 0 AND p.state = 'open' AND p.kind = 'tell_when_available'
        AND p.notice_message_id IS NULL
"""


# The JSON columns as SQLAlchemy's JSON type writes them on SQLite (ASCII escapes) and as
# PostgreSQL's jsonb reads them (UTF-8); made once, not per value (``json.dumps`` with an option
# builds an encoder per call). Most items have no attributes: "{}" is not encoded again.
_json_sqlite = json.JSONEncoder().encode
_json_pg = json.JSONEncoder(ensure_ascii=False).encode


def _stored_time(conn: Connection) -> Callable[[datetime], Any]:
    """A time as the ``UtcDateTime`` columns store it on this database, for raw statements."""
    convert = UtcDateTime().bind_processor(conn.dialect)

    sqlite = conn.dialect.name == "sqlite"

    @lru_cache(maxsize=16)  # a bulk load stamps every row with the same few times
    def stored(at: datetime) -> Any:
        value = convert(at) if convert is not None else at
        if sqlite and isinstance(value, datetime):
            # As the sqlite3 module's own adapter writes it, once here rather than once a row.
            return value.isoformat(" ")
        return value

    return stored


# SQLite's page cache for a bulk load, per connection (its default is 2 MB): the B-trees of the
# items, the levels and their keys, millions of rows each, are then read back from memory rather
# than from the file each batch. Only an import's connection asks for it.
_SQLITE_BULK_CACHE = "PRAGMA cache_size = -262144"  # KiB: 256 MB at most, taken as pages fill


class SqlCatalogBulk:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self._pg = conn.dialect.name == "postgresql"

    def _loading(self) -> None:
        if not self._pg and not self._conn.info.get(_SQLITE_BULK_CACHE):
            self._conn.exec_driver_sql(_SQLITE_BULK_CACHE)
            self._conn.info[_SQLITE_BULK_CACHE] = True

    # ---- items ----

    def upsert_items(self, items: Sequence[ItemRow]) -> tuple[int, int]:
        if not items:
            return 0, 0
        self._loading()
        if self._pg:
            return self._upsert_items_pg(items)
        return self._upsert_items_sqlite(items)

    def _upsert_items_sqlite(self, items: Sequence[ItemRow]) -> tuple[int, int]:
        codes = [item.code for item in items]
        kept = self._conn.scalar(sa.select(sa.func.count()).where(catalog_items.c.code.in_(codes)))
        # Plain tuples through the driver: SQLAlchemy's per-row parameter handling cost more
        # than SQLite's insert itself. The time is stored as SQLAlchemy stores it (one format,
        # compared as text), converted once per distinct value.
        stored_at = _stored_time(self._conn)
        replaced = ", ".join(f"{name} = excluded.{name}" for name in _REPLACED)
        self._conn.exec_driver_sql(
            "INSERT INTO catalog_items (code, kind, shown_code, parent_code, names, brand, size,"
            " colour, attributes, search_text, provisional, retired_at, changed_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, NULL, ?)"
            f" ON CONFLICT (code) DO UPDATE SET {replaced}"
            " WHERE catalog_items.changed_at <= excluded.changed_at OR catalog_items.provisional",
            [
                (
                    item.code,
                    item.kind.value,
                    item.shown_code,
                    item.parent_code,
                    _json_sqlite(item.names),
                    item.brand,
                    item.size,
                    item.colour,
                    _json_sqlite(item.attributes) if item.attributes else "{}",
                    item.search_text,
                    stored_at(item.changed_at),
                )
                for item in items
            ],
        )
        created = len(items) - int(kept or 0)
        return created, len(items) - created

    def _upsert_items_pg(self, items: Sequence[ItemRow]) -> tuple[int, int]:
        self._conn.exec_driver_sql(_STAGE_ITEMS_PG)
        cursor: Any = self._conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        columns = (
            "code, kind, shown_code, parent_code, names, brand, size, colour, attributes,"
            " search_text, changed_at"
        )
        with cursor.copy(f"COPY bulk_items ({columns}) FROM STDIN") as copy:
            write = copy.write_row
            for item in items:
                write(
                    (
                        item.code,
                        item.kind.value,
                        item.shown_code,
                        item.parent_code,
                        _json_pg(item.names),
                        item.brand,
                        item.size,
                        item.colour,
                        _json_pg(item.attributes) if item.attributes else "{}",
                        item.search_text,
                        item.changed_at,
                    )
                )
        replaced = ", ".join(f"{name} = excluded.{name}" for name in _REPLACED)
        rows = self._conn.exec_driver_sql(
            "INSERT INTO catalog_items (code, kind, shown_code, parent_code, names, brand, size,"
            " colour, attributes, search_text, provisional, retired_at, changed_at)"
            " SELECT code, kind, shown_code, parent_code, names, brand, size, colour, attributes,"
            " search_text, false, NULL, changed_at FROM bulk_items"
            f" ON CONFLICT (code) DO UPDATE SET {replaced}"
            " WHERE catalog_items.changed_at <= excluded.changed_at OR catalog_items.provisional"
            " RETURNING (xmax = 0)"  # true for a row inserted, false for one updated
        ).all()
        self._conn.exec_driver_sql("TRUNCATE bulk_items")
        created = sum(1 for (inserted,) in rows if inserted)
        return created, len(rows) - created

    def refresh_statistics(self) -> None:
        # A table that grew from nothing to millions of rows in one go is planned as if it were
        # still small until autovacuum (PostgreSQL) or never (SQLite) analyses it: the card's and
        # the item page's reads would scan. A sample is enough for the planner.
        if self._pg:
            self._conn.exec_driver_sql("ANALYZE catalog_items, catalog_stock, stock_levels")
            return
        self._conn.exec_driver_sql("PRAGMA analysis_limit = 1000")
        for table in ("catalog_items", "catalog_stock", "stock_levels"):
            self._conn.exec_driver_sql(f"ANALYZE {table}")

    # ---- stock ----

    def _stage_stock(self, counts: Sequence[StockCount]) -> None:
        self._loading()
        if self._pg:
            self._conn.exec_driver_sql(_STAGE_STOCK_PG)
            cursor: Any = self._conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
            with cursor.copy("COPY bulk_stock (code, location_id, quantity) FROM STDIN") as copy:
                write = copy.write_row
                for count in counts:
                    write(count)
            # A temporary table is never analysed by autovacuum: without it the joins below
            # are planned for an empty table. Once a batch: analysing once a connection measured
            # slower at ten million rows (docs/benchmarks.md, ADR 0062).
            self._conn.exec_driver_sql("ANALYZE bulk_stock")
            return
        self._conn.exec_driver_sql(_STAGE_STOCK_SQLITE)
        self._conn.exec_driver_sql("DELETE FROM bulk_stock")
        # A count is a (code, location_id, quantity) tuple already: no copy per row.
        self._conn.exec_driver_sql(
            "INSERT INTO bulk_stock (code, location_id, quantity) VALUES (?, ?, ?)", list(counts)
        )

    def set_stock(self, counts: Sequence[StockCount], at: datetime) -> list[CameBack]:
        if not counts:
            return []
        self._stage_stock(counts)
        true, json_empty = ("true", "'{}'::jsonb") if self._pg else ("1", "'{}'")
        where_true = "" if self._pg else " WHERE true"  # SQLite's parser needs it before ON
        params = {"at": at}
        at_type = sa.bindparam("at", type_=UtcDateTime)

        def run(sql: str, **more: str) -> Any:
            statement = sa.text(sql)
            if ":at" in sql:
                statement = statement.bindparams(at_type)
            values = {k: v for k, v in params.items() if f":{k}" in sql}
            return self._conn.execute(statement, values | more)

        # A code the catalog does not know yet is kept against a provisional item (ADR 0035).
        run(
            "INSERT INTO catalog_items (code, kind, shown_code, parent_code, names, brand, size,"
            " colour, attributes, search_text, provisional, changed_at)"
            f" SELECT DISTINCT code, 'product', code, '', {json_empty}, '', '', '', {json_empty},"
            f" code, {true}, :at FROM bulk_stock{where_true} ON CONFLICT (code) DO NOTHING"
        )
        # The level is a count as of ``at``; no move is kept for it (a move per row would double
        # the writes): ``record_stock`` reads a level newer than every move as that count.
        run(
            "INSERT INTO catalog_stock (code, location_id, quantity, as_of)"
            f" SELECT code, location_id, quantity, :at FROM bulk_stock{where_true}"
            " ON CONFLICT (code, location_id) DO UPDATE SET quantity = excluded.quantity,"
            " as_of = excluded.as_of WHERE catalog_stock.as_of <= excluded.as_of"
        )
        came_back: list[CameBack] = []
        if self._conn.scalar(sa.text(_ANYONE_WAITING)):
            came_back = [
                CameBack(
                    row.code, row.location_id, row.quantity, row.product, row.variant, row.size
                )
                for row in run(_WAITING)
            ]
        # Every other pair's back-in-stock level; the woken ones are set by who tells them.
        for back in came_back:
            run(
                "DELETE FROM bulk_stock WHERE code = :code AND location_id = :location",
                code=back.code,
                location=back.location_id,
            )
        run(
            "INSERT INTO stock_levels (product, variant, size, location_id, quantity, updated_at)"
            # One row per pair: a variant's code is its own, a product's is its own too.
            f" SELECT {_PRODUCT}, {_VARIANT}, i.size, s.location_id, s.quantity, :at"
            " FROM bulk_stock s JOIN catalog_items i ON i.code = s.code"
            f"{'' if self._pg else ' WHERE true'}"
            " ON CONFLICT (product, variant, size, location_id) DO UPDATE"
            " SET quantity = excluded.quantity, updated_at = excluded.updated_at"
        )
        if self._pg:
            self._conn.exec_driver_sql("TRUNCATE bulk_stock")
        return came_back
