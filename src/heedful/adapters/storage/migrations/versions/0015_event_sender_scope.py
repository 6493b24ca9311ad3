"""Event sender scope: the sending token's locations, kept with each stored event.

Revision ID: 0015
Revises: 0013
Create Date: 2026-12-06 06:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0015"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Nullable, no backfill: events stored before this change were sent by whoever, and the
    # engine has processed them already (NULL reads as "every location", as before).
    op.add_column(
        "events",
        sa.Column(
            "sender_locations",
            sa.JSON().with_variant(postgresql.JSONB(), "postgresql"),
            nullable=True,
        ),
    )


def downgrade() -> None:
    op.drop_column("events", "sender_locations")
