"""Goodwill allowances and the spends drawn on them (ADR 0041)."""

from __future__ import annotations

import sqlalchemy as sa

from heedful.adapters.storage.tables import Id, UtcDateTime, metadata

goodwill_allowances = sa.Table(
    "goodwill_allowances",
    metadata,
    sa.Column("id", Id, primary_key=True),
    sa.Column("location_id", Id, sa.ForeignKey("locations.id"), nullable=False),
    # One staff member, or every person of a role (each has the whole amount to give).
    sa.Column("staff_id", Id, nullable=True),
    sa.Column("role", sa.String(20), nullable=True),
    sa.Column("kind", sa.String(40), nullable=False),
    sa.Column("label", sa.String(100), nullable=False, server_default=""),
    sa.Column("amount", sa.Numeric(14, 2), nullable=False),
    sa.Column("currency", sa.String(3), nullable=False, server_default=""),
    sa.Column("period", sa.String(10), nullable=False),
    sa.Column("approval_above", sa.Numeric(14, 2), nullable=True),
    sa.Column("set_at", UtcDateTime, nullable=False),
    sa.Column("set_by_label", sa.String(200), nullable=False),
    sa.Index(None, "location_id", "kind"),
)

goodwill_spends = sa.Table(
    "goodwill_spends",
    metadata,
    sa.Column("id", Id, primary_key=True),
    sa.Column("customer_id", Id, sa.ForeignKey("customers.id"), nullable=False),
    sa.Column("location_id", Id, sa.ForeignKey("locations.id"), nullable=False),
    # No foreign key: a spend outlives the allowance it drew on (the report still counts it).
    sa.Column("allowance_id", Id, nullable=True),
    sa.Column("task_id", Id, nullable=True),
    sa.Column("kind", sa.String(40), nullable=False),
    sa.Column("amount", sa.Numeric(14, 2), nullable=False),
    sa.Column("currency", sa.String(3), nullable=False, server_default=""),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("surprise", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("staff_id", Id, nullable=False),
    sa.Column("staff_label", sa.String(200), nullable=False),
    sa.Column("state", sa.String(20), nullable=False),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("decided_at", UtcDateTime, nullable=True),
    sa.Column("decided_by_label", sa.String(200), nullable=False, server_default=""),
    sa.Column("decision_note", sa.Text, nullable=False, server_default=""),
    sa.Index(None, "customer_id", "created_at"),
    sa.Index(None, "location_id", "created_at"),
    # What a person drew on one allowance this period: the limit check on every spend.
    sa.Index(None, "allowance_id", "staff_id", "created_at"),
    # The managers' approvals page: only the few waiting ones are indexed.
    sa.Index(
        "ix_goodwill_spends_awaiting",
        "location_id",
        "created_at",
        sqlite_where=sa.text("state = 'awaiting_approval'"),
        postgresql_where=sa.text("state = 'awaiting_approval'"),
    ),
)
