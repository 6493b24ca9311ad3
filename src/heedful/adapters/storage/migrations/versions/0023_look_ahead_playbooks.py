"""Look-ahead playbooks: relationship owners, and index ranges for charges and promised days.

Revision ID: 0023
Revises: 0025
Create Date: 2026-12-06 11:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0023"
down_revision: str | None = "0025"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "customer_owners",
        sa.Column("customer_id", sa.String(length=40), nullable=False),
        sa.Column("location_id", sa.String(length=40), nullable=False),
        sa.Column("staff_id", sa.String(length=40), nullable=False),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("set_by_label", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name=op.f("fk_customer_owners_customer_id_customers")
        ),
        sa.ForeignKeyConstraint(
            ["location_id"], ["locations.id"], name=op.f("fk_customer_owners_location_id_locations")
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff.id"], name=op.f("fk_customer_owners_staff_id_staff")
        ),
        sa.PrimaryKeyConstraint("customer_id", "location_id", name=op.f("pk_customer_owners")),
    )
    op.create_index(
        op.f("ix_customer_owners_staff_id"), "customer_owners", ["staff_id"], unique=False
    )
    op.create_index(
        op.f("ix_accounts_location_id_next_charge_at"),
        "accounts",
        ["location_id", "next_charge_at"],
        unique=False,
    )
    op.create_index(
        op.f("ix_orders_location_id_promised_on"),
        "orders",
        ["location_id", "promised_on"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_orders_location_id_promised_on"), table_name="orders")
    op.drop_index(op.f("ix_accounts_location_id_next_charge_at"), table_name="accounts")
    op.drop_index(op.f("ix_customer_owners_staff_id"), table_name="customer_owners")
    op.drop_table("customer_owners")
