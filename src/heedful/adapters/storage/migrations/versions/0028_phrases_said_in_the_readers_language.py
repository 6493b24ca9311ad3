"""Texts the system writes (task titles and notes, its own promise words, why a message waits)
are kept as a phrase key and its values next to the English, said in the reader's language.

Only new, nullable columns: a row written before has no key and is shown as it was kept (ADR 0047).

Revision ID: 0028
Revises: 0022
Create Date: 2026-12-06 15:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0028"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
_PHRASES = {
    "tasks": ("title", "note"),
    "promises": ("text",),
    "messages": ("reason",),
}


def upgrade() -> None:
    for table, fields in _PHRASES.items():
        with op.batch_alter_table(table) as batch:
            for name in fields:
                batch.add_column(sa.Column(f"{name}_key", sa.String(60), nullable=True))
                batch.add_column(sa.Column(f"{name}_params", _JSON, nullable=True))


def downgrade() -> None:
    for table, fields in _PHRASES.items():
        with op.batch_alter_table(table) as batch:
            for name in reversed(fields):
                batch.drop_column(f"{name}_params")
                batch.drop_column(f"{name}_key")
