"""Catalog: items per business, stock per variant and location, the stock moves behind it.

Also normalises the codes already stored on waiting promises and stock levels (case, spaces), so
that a promise recorded as "Black " before this change matches the stock system's "black".

Revision ID: 0018
Revises: 0016
Create Date: 2026-12-06 08:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0018"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
_WHEN = sa.DateTime(timezone=True)


def _normal(value: str | None) -> str | None:
    return None if value is None else " ".join(value.split()).casefold()


def upgrade() -> None:
    op.create_table(
        "catalog_items",
        sa.Column("code", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("shown_code", sa.String(200), nullable=False),
        sa.Column("parent_code", sa.String(200), nullable=False, server_default=""),
        sa.Column("names", _JSON, nullable=False),
        sa.Column("brand", sa.String(200), nullable=False, server_default=""),
        sa.Column("size", sa.String(200), nullable=False, server_default=""),
        sa.Column("colour", sa.String(200), nullable=False, server_default=""),
        sa.Column("attributes", _JSON, nullable=False),
        sa.Column("search_text", sa.Text(), nullable=False, server_default=""),
        sa.Column("provisional", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("retired_at", _WHEN, nullable=True),
        sa.Column("changed_at", _WHEN, nullable=False),
        sa.PrimaryKeyConstraint("code", name="pk_catalog_items"),
    )
    op.create_index("ix_catalog_items_parent_code", "catalog_items", ["parent_code"])
    op.create_index(
        "ix_catalog_items_provisional",
        "catalog_items",
        ["code"],
        sqlite_where=sa.text("provisional"),
        postgresql_where=sa.text("provisional"),
    )
    op.create_table(
        "catalog_stock",
        sa.Column("code", sa.String(200), nullable=False),
        sa.Column("location_id", sa.String(40), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("as_of", _WHEN, nullable=False),
        sa.PrimaryKeyConstraint("code", "location_id", name="pk_catalog_stock"),
    )
    op.create_table(
        "catalog_stock_moves",
        sa.Column("code", sa.String(200), nullable=False),
        sa.Column("location_id", sa.String(40), nullable=False),
        sa.Column("key", sa.String(600), nullable=False),
        sa.Column("at", _WHEN, nullable=False),
        sa.Column("level", sa.Integer(), nullable=True),
        sa.Column("delta", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("code", "location_id", "key", name="pk_catalog_stock_moves"),
    )
    _normalise_stored_codes()


def _normalise_stored_codes() -> None:
    # In Python, not SQL: collapsing inner spaces differs between SQLite and PostgreSQL.
    conn = op.get_bind()
    promises = sa.table(
        "promises",
        sa.column("id", sa.String),
        sa.column("item_product", sa.String),
        sa.column("item_variant", sa.String),
        sa.column("item_size", sa.String),
    )
    rows = conn.execute(
        sa.select(promises).where(promises.c.item_product.is_not(None))
    ).mappings()
    for row in list(rows):
        normal = {
            name: _normal(row[name]) for name in ("item_product", "item_variant", "item_size")
        }
        if any(normal[name] != row[name] for name in normal):
            conn.execute(promises.update().where(promises.c.id == row["id"]).values(**normal))
    stock = sa.table(
        "stock_levels",
        sa.column("product", sa.String),
        sa.column("variant", sa.String),
        sa.column("size", sa.String),
        sa.column("location_id", sa.String),
        sa.column("quantity", sa.Integer),
        sa.column("updated_at", _WHEN),
    )
    kept: dict[tuple[str | None, ...], dict[str, object]] = {}
    changed = False
    for row in conn.execute(sa.select(stock).order_by(stock.c.updated_at)).mappings():
        key = (
            _normal(row["product"]),
            _normal(row["variant"]),
            _normal(row["size"]),
            row["location_id"],
        )
        changed = changed or key != (row["product"], row["variant"], row["size"], row["location_id"])
        kept[key] = dict(row)  # the latest count of spellings of one item wins
    if changed:
        conn.execute(stock.delete())
        for (product, variant, size, location_id), row in kept.items():
            conn.execute(
                stock.insert().values(
                    product=product,
                    variant=variant,
                    size=size,
                    location_id=location_id,
                    quantity=row["quantity"],
                    updated_at=row["updated_at"],
                )
            )


def downgrade() -> None:
    op.drop_table("catalog_stock_moves")
    op.drop_table("catalog_stock")
    op.drop_index("ix_catalog_items_provisional", table_name="catalog_items")
    op.drop_index("ix_catalog_items_parent_code", table_name="catalog_items")
    op.drop_table("catalog_items")
