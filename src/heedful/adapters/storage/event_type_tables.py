"""The table of event types a business registered itself (ADR 0042); no personal data."""

from __future__ import annotations

import sqlalchemy as sa

from heedful.adapters.storage.tables import Json, UtcDateTime, metadata

event_types = sa.Table(
    "event_types",
    metadata,
    sa.Column("name", sa.String(200), primary_key=True),
    sa.Column("description", sa.String(1000), nullable=False),
    sa.Column("schema", Json, nullable=False),
    sa.Column("acts_as", sa.String(200), nullable=True),  # one of Heedful's own types
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("changed_at", UtcDateTime, nullable=False),
    sa.Column("changed_by_label", sa.String(200), nullable=False),
)
