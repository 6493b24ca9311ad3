"""Event types a business registers itself: a name, a JSON Schema, the state it updates (ADR 42).

Revision ID: 0025
Revises: 0026
Create Date: 2026-12-06 11:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0025"
down_revision: str | None = "0026"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
_WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "event_types",
        sa.Column("name", sa.String(200), primary_key=True),
        sa.Column("description", sa.String(1000), nullable=False),
        sa.Column("schema", _JSON, nullable=False),
        sa.Column("acts_as", sa.String(200), nullable=True),
        sa.Column("created_at", _WHEN, nullable=False),
        sa.Column("changed_at", _WHEN, nullable=False),
        sa.Column("changed_by_label", sa.String(200), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("event_types")
