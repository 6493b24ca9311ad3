"""Events: the durable inbox of business events (CloudEvents), deduplicated by source and id.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 22:10:00
"""

from collections.abc import Sequence

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass  # filled in by the event-ingest work


def downgrade() -> None:
    pass
