"""Each event's ordering key, and the index that finds an earlier waiting event with it.

Revision ID: 0037
Revises: 0036
Create Date: 2026-12-06 21:40:00

Workers on PostgreSQL claim an event only when no earlier event with its key is waiting
(ADR 61). Events stored before this revision have no key and are ordered with nothing, as
every event was before; the index holds only waiting events that have a key.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0037"
down_revision: str | None = "0036"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WAITING_WITH_KEY = "processed_at IS NULL AND dead_at IS NULL AND ordering_key IS NOT NULL"


def upgrade() -> None:
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("ordering_key", sa.String(200), nullable=True))
    op.create_index(
        "ix_events_waiting_by_key",
        "events",
        ["ordering_key", "sequence"],
        unique=False,
        sqlite_where=sa.text(WAITING_WITH_KEY),
        postgresql_where=sa.text(WAITING_WITH_KEY),
    )


def downgrade() -> None:
    op.drop_index(
        "ix_events_waiting_by_key",
        table_name="events",
        sqlite_where=sa.text(WAITING_WITH_KEY),
        postgresql_where=sa.text(WAITING_WITH_KEY),
    )
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_column("ordering_key")
