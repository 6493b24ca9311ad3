"""Setting up without a shell: a location's address, contact rules, own templates.

Revision ID: 0026
Revises: 0018
Create Date: 2026-12-06 11:00:00

Quiet hours and contact caps per purpose become rows (absent: the built-in defaults), a
customer's own quiet hours and channel order get a row of hers, and a business's own wording of a
message template is stored over the built-in one (ADR 0043).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0026"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
_WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.add_column(
        "locations", sa.Column("address", sa.String(300), nullable=False, server_default="")
    )
    op.create_table(
        "contact_rules",
        sa.Column("purpose", sa.String(20), nullable=False),
        sa.Column("quiet_from", sa.String(5), nullable=False),
        sa.Column("quiet_until", sa.String(5), nullable=False),
        sa.Column("cap", sa.Integer(), nullable=True),
        sa.Column("cap_window_days", sa.Integer(), nullable=False),
        sa.Column("changed_at", _WHEN, nullable=False),
        sa.PrimaryKeyConstraint("purpose", name="pk_contact_rules"),
    )
    op.create_table(
        "customer_contact_rules",
        sa.Column("customer_id", sa.String(40), nullable=False),
        sa.Column("quiet_from", sa.String(5), nullable=True),
        sa.Column("quiet_until", sa.String(5), nullable=True),
        sa.Column("channels", _JSON, nullable=False),
        sa.Column("changed_at", _WHEN, nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
            name="fk_customer_contact_rules_customer_id_customers",
        ),
        sa.PrimaryKeyConstraint("customer_id", name="pk_customer_contact_rules"),
    )
    op.create_table(
        "message_templates",
        sa.Column("key", sa.String(60), nullable=False),
        sa.Column("language", sa.String(10), nullable=False),
        sa.Column("subject", sa.String(300), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("changed_at", _WHEN, nullable=False),
        sa.Column("changed_by", sa.String(40), nullable=False),
        sa.PrimaryKeyConstraint("key", "language", name="pk_message_templates"),
    )


def downgrade() -> None:
    op.drop_table("message_templates")
    op.drop_table("customer_contact_rules")
    op.drop_table("contact_rules")
    _drop_location_columns("address")


def _drop_location_columns(*names: str) -> None:
    """Plain ALTER TABLE ... DROP COLUMN, on SQLite too (3.35+): a batch copy of ``locations``
    would drop the table every customer, promise and booking points to, which SQLite refuses."""
    for name in names:
        if op.get_bind().dialect.name == "sqlite":
            op.execute(f"ALTER TABLE locations DROP COLUMN {name}")
        else:
            op.drop_column("locations", name)
