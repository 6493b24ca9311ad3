"""A recovery opened from the churn list has no survey answer behind it.

Revision ID: 0034
Revises: 0032
Create Date: 2026-12-06 16:15:00

`recovery_loops.answer_id` may be empty: staff open a recovery for a customer the churn score
puts at risk (ADR 0053). Still unique: an answer opens at most one recovery.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0034"
down_revision: str | None = "0032"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("recovery_loops", schema=None) as batch_op:
        batch_op.alter_column("answer_id", existing_type=sa.String(40), nullable=True)


def downgrade() -> None:
    op.execute("DELETE FROM recovery_loops WHERE answer_id IS NULL")
    with op.batch_alter_table("recovery_loops", schema=None) as batch_op:
        batch_op.alter_column("answer_id", existing_type=sa.String(40), nullable=False)
