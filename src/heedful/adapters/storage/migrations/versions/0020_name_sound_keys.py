"""Name sound keys: every customer's name words also kept by how they sound in Latin letters.

Revision ID: 0020
Revises: 0015
Create Date: 2026-12-06 08:45:00

New and renamed customers get their keys when written (``search_terms``); this fills them in for
the customers already there, so "morozova" finds Морозова from the first search after upgrade.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from heedful.core.customers.spelling import sound_key

revision: str = "0020"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BATCH = 5_000
_terms = sa.table("name_terms", sa.column("term", sa.String), sa.column("customer_id", sa.String))


def upgrade() -> None:
    # Read in pages of customers (keyset on customer_id), so a million customers fit in memory.
    conn = op.get_bind()
    after = ""
    while True:
        ids = conn.execute(
            sa.select(_terms.c.customer_id)
            .where(_terms.c.customer_id > after)
            .group_by(_terms.c.customer_id)
            .order_by(_terms.c.customer_id)
            .limit(_BATCH)
        ).scalars().all()
        if not ids:
            return
        after = ids[-1]
        rows = conn.execute(
            sa.select(_terms.c.term, _terms.c.customer_id).where(_terms.c.customer_id.in_(ids))
        ).all()
        have = {(term, customer_id) for term, customer_id in rows}
        keys = {
            (key, customer_id)
            for term, customer_id in rows
            if not term.startswith("~") and (key := sound_key(term)[:100])
        }
        missing = [{"term": t, "customer_id": c} for t, c in sorted(keys - have)]
        if missing:
            conn.execute(_terms.insert(), missing)


def downgrade() -> None:
    op.execute(sa.text("DELETE FROM name_terms WHERE term LIKE '~%'"))
