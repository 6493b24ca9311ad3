"""Dead letters: failed records kept with their error; events can wait out a retry or be set aside.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06 05:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_WAITING = "processed_at IS NULL AND dead_at IS NULL"
_OPEN = "state <> 'discarded'"


def upgrade() -> None:
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("retry_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("dead_at", sa.DateTime(timezone=True), nullable=True))
    # The waiting events' index leaves out dead letters, so they cost the queue nothing.
    op.drop_index("ix_events_unprocessed", table_name="events")
    op.create_index(
        "ix_events_unprocessed",
        "events",
        ["sequence"],
        postgresql_where=sa.text(_WAITING),
        sqlite_where=sa.text(_WAITING),
    )
    op.create_table(
        "dead_letters",
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("ref", sa.String(length=200), nullable=False),
        sa.Column("what", sa.String(length=500), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("error", sa.String(length=1000), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("first_failed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_failed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("next_try_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "payload",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_by", sa.String(length=200), server_default="", nullable=False),
        sa.PrimaryKeyConstraint("kind", "ref", name=op.f("pk_dead_letters")),
    )
    op.create_index(
        "ix_dead_letters_open",
        "dead_letters",
        ["last_failed_at"],
        postgresql_where=sa.text(_OPEN),
        sqlite_where=sa.text(_OPEN),
    )


def downgrade() -> None:
    op.drop_index("ix_dead_letters_open", table_name="dead_letters")
    op.drop_table("dead_letters")
    op.drop_index("ix_events_unprocessed", table_name="events")
    op.create_index(
        "ix_events_unprocessed",
        "events",
        ["sequence"],
        postgresql_where=sa.text("processed_at IS NULL"),
        sqlite_where=sa.text("processed_at IS NULL"),
    )
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_column("dead_at")
        batch_op.drop_column("retry_at")
