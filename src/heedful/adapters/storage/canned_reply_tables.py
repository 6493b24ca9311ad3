"""The table of canned replies: a title and its words in ru, uk and en, per location or for all.

Kept apart from ``tables.py`` (same metadata) so that each module's schema reads on its own.
"""

from __future__ import annotations

import sqlalchemy as sa

from heedful.adapters.storage.tables import Id, Json, UtcDateTime, metadata

canned_replies = sa.Table(
    "canned_replies",
    metadata,
    sa.Column("id", Id, primary_key=True),
    sa.Column("title", sa.String(200), nullable=False),
    sa.Column("texts", Json, nullable=False),  # {"uk": "...", "en": "..."}
    sa.Column("location_id", Id, sa.ForeignKey("locations.id"), nullable=True),
    sa.Column("active", sa.Boolean, nullable=False),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("updated_at", UtcDateTime, nullable=False),
    sa.Column("updated_by_label", sa.String(200), nullable=False),
    # The thread page lists the active ones; retired ones stay for the record.
    sa.Index(
        "ix_canned_replies_active",
        "title",
        sqlite_where=sa.text("active"),
        postgresql_where=sa.text("active"),
    ),
)
