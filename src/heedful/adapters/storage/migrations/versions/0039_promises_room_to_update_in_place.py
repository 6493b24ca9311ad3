"""Promises keep a fifth of each page free, so that telling a customer rewrites her row in place.

Revision ID: 0039
Revises: 0038
Create Date: 2026-12-07 18:50:00

When a stock report tells a waiting customer, the worker writes her promise's notice and
evidence; no indexed column changes. PostgreSQL can then keep the new row on the same page and
leave all six of the table's indexes alone (a heap-only update), but only if the page has room.
Rows written in order fill their pages, so each such update moved the row and wrote an entry in
every index: half of the update's time at a million promises (issue 18, ADR 84). The room
must hold the told row whole beside the old one until the page is pruned: a shop's promise of
about 600 bytes grows by about 440 with the stock report's evidence, more than a tenth of a page
(819 bytes) holds, so a fifth is kept. Pages written from now on keep it; rows already stored
get it when the table is rewritten (``VACUUM FULL promises``, or pg_repack without the lock).
SQLite has no such setting.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0039"
down_revision: str | None = "0038"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE promises SET (fillfactor = 80)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE promises RESET (fillfactor)")
