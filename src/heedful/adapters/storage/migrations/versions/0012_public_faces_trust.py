"""Public faces: rate-limit windows shared by web workers; threads say if the sender is verified.

Revision ID: 0012
Revises: 0010
Create Date: 2026-12-06 05:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "rate_limit_windows",
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("hits", sa.Integer(), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_rate_limit_windows")),
    )
    op.create_index(
        op.f("ix_rate_limit_windows_ends_at"), "rate_limit_windows", ["ends_at"], unique=False
    )
    # Threads that existed before were filed as they always were: they stay as verified.
    with op.batch_alter_table("threads") as batch:
        batch.add_column(
            sa.Column("sender_verified", sa.Boolean(), server_default=sa.true(), nullable=False)
        )
        batch.add_column(
            sa.Column("sender_proof", sa.String(length=20), server_default="", nullable=False)
        )
    with op.batch_alter_table("thread_messages") as batch:
        batch.add_column(
            sa.Column("authentication", sa.String(length=500), server_default="", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("thread_messages") as batch:
        batch.drop_column("authentication")
    with op.batch_alter_table("threads") as batch:
        batch.drop_column("sender_proof")
        batch.drop_column("sender_verified")
    op.drop_index(op.f("ix_rate_limit_windows_ends_at"), table_name="rate_limit_windows")
    op.drop_table("rate_limit_windows")
