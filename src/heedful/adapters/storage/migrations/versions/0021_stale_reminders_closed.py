"""Stale reminders closed: a "due soon" task whose promise has already ended leaves the lists.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-06 09:00:00

From now on a promise that ends closes its reminders (``promises.settle_tasks``); this closes the
ones left open by promises that ended before, dated when the upgrade runs.
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from heedful.adapters.storage.tables import UtcDateTime

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_tasks = sa.table(
    "tasks",
    sa.column("kind", sa.String),
    sa.column("promise_id", sa.String),
    sa.column("done_at", UtcDateTime),
    sa.column("done_by_label", sa.String),
)
_promises = sa.table("promises", sa.column("id", sa.String), sa.column("state", sa.String))


def upgrade() -> None:
    ended = sa.select(_promises.c.id).where(_promises.c.state != "open")
    op.get_bind().execute(
        _tasks.update()
        .where(
            _tasks.c.done_at.is_(None),
            _tasks.c.kind == "promise_reminder",
            _tasks.c.promise_id.in_(ended),
        )
        .values(done_at=datetime.now(UTC), done_by_label="Heedful (the promise had ended)")
    )


def downgrade() -> None:
    # Closing a stale reminder loses nothing worth restoring: the promise's own record stands.
    pass
