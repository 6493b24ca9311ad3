"""Capacity per service or room type, and the service a hold keeps units of.

Revision ID: 0036
Revises: 0034
Create Date: 2026-12-06 18:40:00

A restaurant's lunch and dinner (tables between two local times) and a hotel's room types,
each with its own number; a hold names the one it keeps units of ("" the whole location, as
every hold before this revision) (ADR 0055).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0036"
down_revision: str | None = "0034"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "capacity_services",
        sa.Column("location_id", sa.String(40), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("name", sa.String(60), nullable=False),
        sa.Column("units", sa.Integer(), nullable=False),
        sa.Column("covers", sa.Integer(), nullable=True),
        sa.Column("starts", sa.String(5), nullable=True),
        sa.Column("ends", sa.String(5), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["location_id"], ["locations.id"], name="fk_capacity_services_location_id_locations"
        ),
        sa.PrimaryKeyConstraint("location_id", "kind", "name", name="pk_capacity_services"),
    )
    with op.batch_alter_table("capacity_holds", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("service", sa.String(60), nullable=False, server_default="")
        )


def downgrade() -> None:
    with op.batch_alter_table("capacity_holds", schema=None) as batch_op:
        batch_op.drop_column("service")
    op.drop_table("capacity_services")
