"""Goodwill: allowances staff give from at their discretion, every spend drawn on them; a task's
outcome note.

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-06 11:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0024"
down_revision: str | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_WHEN = sa.DateTime(timezone=True)
_AWAITING = sa.text("state = 'awaiting_approval'")


def upgrade() -> None:
    op.create_table(
        "goodwill_allowances",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("location_id", sa.String(length=40), nullable=False),
        sa.Column("staff_id", sa.String(length=40), nullable=True),
        sa.Column("role", sa.String(length=20), nullable=True),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("label", sa.String(length=100), server_default="", nullable=False),
        sa.Column("amount", sa.Numeric(14, 2), nullable=False),
        sa.Column("currency", sa.String(length=3), server_default="", nullable=False),
        sa.Column("period", sa.String(length=10), nullable=False),
        sa.Column("approval_above", sa.Numeric(14, 2), nullable=True),
        sa.Column("set_at", _WHEN, nullable=False),
        sa.Column("set_by_label", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["location_id"],
            ["locations.id"],
            name=op.f("fk_goodwill_allowances_location_id_locations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_goodwill_allowances")),
    )
    with op.batch_alter_table("goodwill_allowances", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_goodwill_allowances_location_id_kind"), ["location_id", "kind"]
        )

    op.create_table(
        "goodwill_spends",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("customer_id", sa.String(length=40), nullable=False),
        sa.Column("location_id", sa.String(length=40), nullable=False),
        sa.Column("allowance_id", sa.String(length=40), nullable=True),
        sa.Column("task_id", sa.String(length=40), nullable=True),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("amount", sa.Numeric(14, 2), nullable=False),
        sa.Column("currency", sa.String(length=3), server_default="", nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("surprise", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("staff_id", sa.String(length=40), nullable=False),
        sa.Column("staff_label", sa.String(length=200), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("created_at", _WHEN, nullable=False),
        sa.Column("decided_at", _WHEN, nullable=True),
        sa.Column("decided_by_label", sa.String(length=200), server_default="", nullable=False),
        sa.Column("decision_note", sa.Text(), server_default="", nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name=op.f("fk_goodwill_spends_customer_id_customers")
        ),
        sa.ForeignKeyConstraint(
            ["location_id"], ["locations.id"], name=op.f("fk_goodwill_spends_location_id_locations")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_goodwill_spends")),
    )
    with op.batch_alter_table("goodwill_spends", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_goodwill_spends_customer_id_created_at"), ["customer_id", "created_at"]
        )
        batch_op.create_index(
            batch_op.f("ix_goodwill_spends_location_id_created_at"), ["location_id", "created_at"]
        )
        batch_op.create_index(
            batch_op.f("ix_goodwill_spends_allowance_id_staff_id_created_at"),
            ["allowance_id", "staff_id", "created_at"],
        )
        batch_op.create_index(
            "ix_goodwill_spends_awaiting",
            ["location_id", "created_at"],
            sqlite_where=_AWAITING,
            postgresql_where=_AWAITING,
        )


    # A task is closed with what was done (issue 15's task queue).
    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.add_column(sa.Column("outcome", sa.Text(), server_default="", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.drop_column("outcome")
    op.drop_table("goodwill_spends")
    op.drop_table("goodwill_allowances")
