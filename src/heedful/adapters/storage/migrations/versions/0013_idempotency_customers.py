"""Idempotency customers: which customers each stored idempotency answer names, for erasure.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 05:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "idempotency_customers",
        sa.Column("scope", sa.String(length=40), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("customer_id", sa.String(length=40), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint(
            "scope", "key", "customer_id", name=op.f("pk_idempotency_customers")
        ),
    )
    op.create_index(
        op.f("ix_idempotency_customers_created_at"),
        "idempotency_customers",
        ["created_at"],
        unique=False,
    )
    op.create_index(
        op.f("ix_idempotency_customers_customer_id"),
        "idempotency_customers",
        ["customer_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(
        op.f("ix_idempotency_customers_customer_id"), table_name="idempotency_customers"
    )
    op.drop_index(op.f("ix_idempotency_customers_created_at"), table_name="idempotency_customers")
    op.drop_table("idempotency_customers")
