"""Capacity and walk-in holds, a parcel's pick-up deadline, tasks to a team.

Revision ID: 0032
Revises: 0030
Create Date: 2026-12-06 15:20:00

A location's tables, covers and rooms, and the units held back for walk-ins until a set time
(a partial index on the held ones, read by the release job); the day a pick-up point sends an
order back; a task may go to a team (ADR 0051).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0032"
down_revision: str | None = "0030"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "location_capacities",
        sa.Column("location_id", sa.String(40), nullable=False),
        sa.Column("tables", sa.Integer(), nullable=True),
        sa.Column("covers", sa.Integer(), nullable=True),
        sa.Column("rooms", sa.Integer(), nullable=True),
        sa.Column("changed_at", _WHEN, nullable=False),
        sa.Column("changed_by_label", sa.String(200), nullable=False),
        sa.ForeignKeyConstraint(
            ["location_id"], ["locations.id"], name="fk_location_capacities_location_id_locations"
        ),
        sa.PrimaryKeyConstraint("location_id", name="pk_location_capacities"),
    )
    op.create_table(
        "capacity_holds",
        sa.Column("id", sa.String(40), nullable=False),
        sa.Column("location_id", sa.String(40), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("seated", sa.Integer(), nullable=False),
        sa.Column("starts_at", _WHEN, nullable=False),
        sa.Column("releases_at", _WHEN, nullable=False),
        sa.Column("state", sa.String(10), nullable=False),
        sa.Column("reason", sa.String(300), nullable=False, server_default=""),
        sa.Column("playbook_id", sa.String(40), nullable=True),
        sa.Column("created_at", _WHEN, nullable=False),
        sa.Column("created_by_label", sa.String(200), nullable=False),
        sa.Column("ended_at", _WHEN, nullable=True),
        sa.Column("ended_by_label", sa.String(200), nullable=False, server_default=""),
        sa.ForeignKeyConstraint(
            ["location_id"], ["locations.id"], name="fk_capacity_holds_location_id_locations"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_capacity_holds"),
    )
    op.create_index(
        "ix_capacity_holds_location_id_starts_at", "capacity_holds", ["location_id", "starts_at"]
    )
    op.create_index(
        "ix_capacity_holds_held_releases_at",
        "capacity_holds",
        ["releases_at"],
        sqlite_where=sa.text("state = 'held'"),
        postgresql_where=sa.text("state = 'held'"),
    )
    op.add_column("orders", sa.Column("pickup_until", sa.Date(), nullable=True))
    op.create_index("ix_orders_location_id_pickup_until", "orders", ["location_id", "pickup_until"])
    op.add_column("tasks", sa.Column("team_id", sa.String(40), nullable=True))
    op.create_index("ix_tasks_team_id_done_at", "tasks", ["team_id", "done_at"])


def downgrade() -> None:
    op.drop_index("ix_tasks_team_id_done_at", table_name="tasks")
    op.drop_column("tasks", "team_id")
    op.drop_index("ix_orders_location_id_pickup_until", table_name="orders")
    op.drop_column("orders", "pickup_until")
    op.drop_index("ix_capacity_holds_held_releases_at", table_name="capacity_holds")
    op.drop_index("ix_capacity_holds_location_id_starts_at", table_name="capacity_holds")
    op.drop_table("capacity_holds")
    op.drop_table("location_capacities")
