"""Preference attributes: a preference may name attributes ("brand X in size M").

Revision ID: 0030
Revises: 0028
Create Date: 2026-12-06 16:00:00

A preference matches every catalog variant whose attributes fit, existing or added later, so
the attributes are kept with the preference, not a list of variants (ADR 0049). Existing
preferences name none.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0030"
down_revision: str | None = "0028"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


# Plain ALTER TABLE, not a batch: SQLite adds and drops a column in place (3.35+), and a batch's
# copy of the table would lose the expression index ix_preferences_standing_subject.
def upgrade() -> None:
    op.add_column(
        "preferences", sa.Column("attributes", _JSON, nullable=False, server_default="{}")
    )


def downgrade() -> None:
    op.drop_column("preferences", "attributes")
