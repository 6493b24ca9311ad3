"""Tables of the catalog: items, stock per variant and location, and the moves behind it."""

from __future__ import annotations

import sqlalchemy as sa

from heedful.adapters.storage.tables import Id, Json, UtcDateTime, metadata

Code = sa.String(200)

catalog_items = sa.Table(
    "catalog_items",
    metadata,
    sa.Column("code", Code, primary_key=True),  # normalised: case folded, spaces collapsed
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("shown_code", Code, nullable=False),
    sa.Column("parent_code", Code, nullable=False, server_default="", index=True),
    sa.Column("names", Json, nullable=False),
    sa.Column("brand", sa.String(200), nullable=False, server_default=""),
    sa.Column("size", sa.String(200), nullable=False, server_default=""),
    sa.Column("colour", sa.String(200), nullable=False, server_default=""),
    sa.Column("attributes", Json, nullable=False),
    # Code, names, brand, size and colour folded into one text the picker's words are found in.
    sa.Column("search_text", sa.Text, nullable=False, server_default=""),
    sa.Column("provisional", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("retired_at", UtcDateTime, nullable=True),
    sa.Column("changed_at", UtcDateTime, nullable=False),
    sa.Index(
        "ix_catalog_items_provisional",
        "code",
        sqlite_where=sa.text("provisional"),
        postgresql_where=sa.text("provisional"),
    ),
)

catalog_stock = sa.Table(
    "catalog_stock",
    metadata,
    sa.Column("code", Code, primary_key=True),
    sa.Column("location_id", Id, primary_key=True),
    sa.Column("quantity", sa.Integer, nullable=False),
    sa.Column("as_of", UtcDateTime, nullable=False),
)

catalog_stock_moves = sa.Table(
    "catalog_stock_moves",
    metadata,
    sa.Column("code", Code, primary_key=True),
    sa.Column("location_id", Id, primary_key=True),
    sa.Column("key", sa.String(600), primary_key=True),  # the event's source/id
    sa.Column("at", UtcDateTime, nullable=False),
    sa.Column("level", sa.Integer, nullable=True),
    sa.Column("delta", sa.Integer, nullable=True),
)
