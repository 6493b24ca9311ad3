"""How far each JetStream stream is stored in the inbox.

Revision ID: 0038
Revises: 0037
Create Date: 2026-12-07 00:50:00

Workers store a stream single-file from this position, in the transaction that stores its
events (ADR 68). A stream with no row starts where the shared consumer of earlier versions had
acknowledged it, or at its beginning.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0038"
down_revision: str | None = "0037"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "stream_positions",
        sa.Column("stream", sa.String(200), primary_key=True),
        sa.Column("stored_through", sa.BigInteger(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("stream_positions")
