"""Tables of the playbooks: the playbook, every version of its JSON, and its firings.

Kept apart from ``tables.py`` (same metadata) so that each module's schema reads on its own.
"""

from __future__ import annotations

import sqlalchemy as sa

from heedful.adapters.storage.tables import Id, Json, UtcDateTime, history, metadata

playbooks = sa.Table(
    "playbooks",
    metadata,
    sa.Column("id", Id, primary_key=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("event_type", sa.String(200), nullable=False),
    sa.Column("enabled", sa.Boolean, nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("updated_at", UtcDateTime, nullable=False),
    sa.Column("created_by_label", sa.String(200), nullable=False),
    sa.Column("updated_by_label", sa.String(200), nullable=False),
    # The engine loads only the enabled ones, once per batch of events.
    sa.Index(
        "ix_playbooks_enabled",
        "event_type",
        sqlite_where=sa.text("enabled"),
        postgresql_where=sa.text("enabled"),
    ),
)

playbook_versions = sa.Table(
    "playbook_versions",
    metadata,
    sa.Column("playbook_id", Id, sa.ForeignKey("playbooks.id"), primary_key=True),
    sa.Column("version", sa.Integer, primary_key=True),
    sa.Column("source", Json, nullable=False),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("created_by_label", sa.String(200), nullable=False),
)

playbook_firings = sa.Table(
    "playbook_firings",
    metadata,
    sa.Column("id", Id, primary_key=True),
    sa.Column("playbook_id", Id, sa.ForeignKey("playbooks.id"), nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("customer_id", Id, nullable=False),
    sa.Column("once_key", sa.String(100), nullable=False),
    sa.Column("event_ref", sa.String(500), nullable=False),
    sa.Column("event_type", sa.String(200), nullable=False),
    sa.Column("fired_at", UtcDateTime, nullable=False),
    sa.Column("reasons", Json, nullable=False),
    sa.Column("done", Json, nullable=False),
    # "At most once per customer per trigger" is this key, inserted with the actions.
    sa.UniqueConstraint("playbook_id", "customer_id", "once_key"),
    sa.Index("ix_playbook_firings_playbook_id_fired_at", "playbook_id", "fired_at"),
)

# An offer at a hotel goes to the guests who stayed there: the audience is read by location.
sa.Index("ix_history_location_id_occurred_at", history.c.location_id, history.c.occurred_at)
