"""What an admin sets up in the console: contact rules and the business's own message wording."""

from __future__ import annotations

import sqlalchemy as sa

from heedful.adapters.storage.tables import Id, Json, UtcDateTime, metadata

# Quiet hours and caps per purpose; a purpose without a row keeps the built-in defaults.
contact_rules = sa.Table(
    "contact_rules",
    metadata,
    sa.Column("purpose", sa.String(20), primary_key=True),
    sa.Column("quiet_from", sa.String(5), nullable=False),
    sa.Column("quiet_until", sa.String(5), nullable=False),
    sa.Column("cap", sa.Integer, nullable=True),
    sa.Column("cap_window_days", sa.Integer, nullable=False),
    sa.Column("changed_at", UtcDateTime, nullable=False),
)

# A customer's own quiet hours and channel order: personal data, erased with her.
customer_contact_rules = sa.Table(
    "customer_contact_rules",
    metadata,
    sa.Column("customer_id", Id, sa.ForeignKey("customers.id"), primary_key=True),
    sa.Column("quiet_from", sa.String(5), nullable=True),
    sa.Column("quiet_until", sa.String(5), nullable=True),
    sa.Column("channels", Json, nullable=False),
    sa.Column("changed_at", UtcDateTime, nullable=False),
)

# The business's own wording of a message, over the built-in one of the same key and language.
message_templates = sa.Table(
    "message_templates",
    metadata,
    sa.Column("key", sa.String(60), primary_key=True),
    sa.Column("language", sa.String(10), primary_key=True),
    sa.Column("subject", sa.String(300), nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("changed_at", UtcDateTime, nullable=False),
    sa.Column("changed_by", Id, nullable=False),
)
