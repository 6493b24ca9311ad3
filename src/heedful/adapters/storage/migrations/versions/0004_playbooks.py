"""Playbooks: the playbook, its versions as JSON, its firings keyed once per customer.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _json() -> sa.types.TypeEngine[object]:
    return sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "playbooks",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("event_type", sa.String(length=200), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_label", sa.String(length=200), nullable=False),
        sa.Column("updated_by_label", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_playbooks")),
    )
    with op.batch_alter_table("playbooks", schema=None) as batch_op:
        batch_op.create_index(
            "ix_playbooks_enabled",
            ["event_type"],
            unique=False,
            sqlite_where=sa.text("enabled"),
            postgresql_where=sa.text("enabled"),
        )

    op.create_table(
        "playbook_versions",
        sa.Column("playbook_id", sa.String(length=40), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("source", _json(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_label", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["playbook_id"],
            ["playbooks.id"],
            name=op.f("fk_playbook_versions_playbook_id_playbooks"),
        ),
        sa.PrimaryKeyConstraint("playbook_id", "version", name=op.f("pk_playbook_versions")),
    )

    op.create_table(
        "playbook_firings",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("playbook_id", sa.String(length=40), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.String(length=40), nullable=False),
        sa.Column("once_key", sa.String(length=100), nullable=False),
        sa.Column("event_ref", sa.String(length=500), nullable=False),
        sa.Column("event_type", sa.String(length=200), nullable=False),
        sa.Column("fired_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reasons", _json(), nullable=False),
        sa.Column("done", _json(), nullable=False),
        sa.ForeignKeyConstraint(
            ["playbook_id"],
            ["playbooks.id"],
            name=op.f("fk_playbook_firings_playbook_id_playbooks"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_playbook_firings")),
        sa.UniqueConstraint(
            "playbook_id",
            "customer_id",
            "once_key",
            name=op.f("uq_playbook_firings_playbook_id_customer_id_once_key"),
        ),
    )
    with op.batch_alter_table("playbook_firings", schema=None) as batch_op:
        batch_op.create_index(
            "ix_playbook_firings_playbook_id_fired_at", ["playbook_id", "fired_at"], unique=False
        )

    with op.batch_alter_table("history", schema=None) as batch_op:
        batch_op.create_index(
            "ix_history_location_id_occurred_at", ["location_id", "occurred_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("history", schema=None) as batch_op:
        batch_op.drop_index("ix_history_location_id_occurred_at")
    with op.batch_alter_table("playbook_firings", schema=None) as batch_op:
        batch_op.drop_index("ix_playbook_firings_playbook_id_fired_at")
    op.drop_table("playbook_firings")
    op.drop_table("playbook_versions")
    with op.batch_alter_table("playbooks", schema=None) as batch_op:
        batch_op.drop_index("ix_playbooks_enabled")
    op.drop_table("playbooks")
