"""Audience subject index: standing preferences by lower(subject), in customer id order.

A playbook audience ("customers who like brand X") filters on lower(subject); without an index
that folds case the query read every preference. With it, a page of the audience is a range.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06 08:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_NAME = "ix_preferences_standing_subject"


def upgrade() -> None:
    op.create_index(
        _NAME,
        "preferences",
        [sa.text("lower(subject)"), "polarity", "customer_id", "category"],
        sqlite_where=sa.text("retracted_at IS NULL"),
        postgresql_where=sa.text("retracted_at IS NULL"),
    )


def downgrade() -> None:
    op.drop_index(_NAME, table_name="preferences")
