"""A location's capacity and the tables or rooms held back for walk-ins (ADR 0051)."""

from __future__ import annotations

import sqlalchemy as sa

from heedful.adapters.storage.tables import Id, UtcDateTime, metadata

location_capacities = sa.Table(
    "location_capacities",
    metadata,
    sa.Column("location_id", Id, sa.ForeignKey("locations.id"), primary_key=True),
    sa.Column("tables", sa.Integer, nullable=True),
    sa.Column("covers", sa.Integer, nullable=True),
    sa.Column("rooms", sa.Integer, nullable=True),
    sa.Column("changed_at", UtcDateTime, nullable=False),
    sa.Column("changed_by_label", sa.String(200), nullable=False),
)

capacity_holds = sa.Table(
    "capacity_holds",
    metadata,
    sa.Column("id", Id, primary_key=True),
    sa.Column("location_id", Id, sa.ForeignKey("locations.id"), nullable=False),
    sa.Column("kind", sa.String(10), nullable=False),
    sa.Column("count", sa.Integer, nullable=False),
    sa.Column("seated", sa.Integer, nullable=False),
    sa.Column("starts_at", UtcDateTime, nullable=False),
    sa.Column("releases_at", UtcDateTime, nullable=False),
    sa.Column("state", sa.String(10), nullable=False),
    sa.Column("reason", sa.String(300), nullable=False, server_default=""),
    sa.Column("playbook_id", Id, nullable=True),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("created_by_label", sa.String(200), nullable=False),
    sa.Column("ended_at", UtcDateTime, nullable=True),
    sa.Column("ended_by_label", sa.String(200), nullable=False, server_default=""),
    # The service or room type it keeps units of; "" the whole location (ADR 0055).
    sa.Column("service", sa.String(60), nullable=False, server_default=""),
    # Tonight's book: a range per location.
    sa.Index(None, "location_id", "starts_at"),
)
# The release job reads only the holds still held, by their release time (a timer, STYLE 5).
sa.Index(
    "ix_capacity_holds_held_releases_at",
    capacity_holds.c.releases_at,
    sqlite_where=capacity_holds.c.state == "held",
    postgresql_where=capacity_holds.c.state == "held",
)

# A location's services (lunch, dinner: tables between two local times) and room types, each
# with its own number: tonight's book is weighed per service (ADR 0055).
capacity_services = sa.Table(
    "capacity_services",
    metadata,
    sa.Column("location_id", Id, sa.ForeignKey("locations.id"), primary_key=True),
    sa.Column("kind", sa.String(10), primary_key=True),
    sa.Column("name", sa.String(60), primary_key=True),
    sa.Column("units", sa.Integer, nullable=False),
    sa.Column("covers", sa.Integer, nullable=True),
    sa.Column("starts", sa.String(5), nullable=True),  # "12:00" on the location's clock
    sa.Column("ends", sa.String(5), nullable=True),
    sa.Column("position", sa.Integer, nullable=False),
)
