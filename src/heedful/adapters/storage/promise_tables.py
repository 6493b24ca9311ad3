"""Tables of the promise ledger, the staff tasks, the durable timers, stock levels and the outbox.

Kept apart from ``tables.py`` (same metadata) so that each module's schema reads on its own.
"""

from __future__ import annotations

import sqlalchemy as sa

from heedful.adapters.storage.tables import Id, Json, UtcDateTime, metadata

# An integer the database counts up: the waiting list's "first come" (SQLite's rowid, a
# PostgreSQL identity). Random ids cannot say who came first, nor can equal timestamps.
Sequence = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_OPEN_WAITS = "state = 'open' AND kind = 'tell_when_available'"
_WAITING_MESSAGES = "status IN ('queued', 'held', 'retrying')"

promises = sa.Table(
    "promises",
    metadata,
    sa.Column("sequence", Sequence, primary_key=True, autoincrement=True),
    sa.Column("id", Id, nullable=False, unique=True),
    sa.Column("customer_id", Id, sa.ForeignKey("customers.id"), nullable=False, index=True),
    sa.Column("location_id", Id, sa.ForeignKey("locations.id"), nullable=False),
    sa.Column("kind", sa.String(30), nullable=False),
    sa.Column("text", sa.String(1000), nullable=False),
    sa.Column("made_by", Id, nullable=False),
    sa.Column("made_by_label", sa.String(200), nullable=False),
    sa.Column("made_at", UtcDateTime, nullable=False, index=True),
    sa.Column("due_at", UtcDateTime, nullable=True),
    sa.Column("due_in_business_minutes", sa.Integer, nullable=True),
    sa.Column("state", sa.String(20), nullable=False),
    sa.Column("owner_id", Id, nullable=True),
    sa.Column("item_product", sa.String(200), nullable=True),
    sa.Column("item_variant", sa.String(200), nullable=False, server_default=""),
    sa.Column("item_size", sa.String(200), nullable=False, server_default=""),
    sa.Column("reference", sa.String(200), nullable=False, server_default=""),
    sa.Column("closed_at", UtcDateTime, nullable=True),
    sa.Column("closed_by_label", sa.String(200), nullable=False, server_default=""),
    sa.Column("notice_message_id", Id, nullable=True),
    sa.Column("evidence", Json, nullable=False),
    # The system's own words as a phrase key and its values (ADR 0047); NULL: ``text`` as typed.
    sa.Column("text_key", sa.String(60), nullable=True),
    sa.Column("text_params", Json, nullable=True),
    sa.Index(
        "ix_promises_waiting",
        "item_product",
        "location_id",
        "sequence",
        sqlite_where=sa.text(_OPEN_WAITS),
        postgresql_where=sa.text(_OPEN_WAITS),
    ),
    sa.Index(
        "ix_promises_open_due",
        "due_at",
        sqlite_where=sa.text("state = 'open'"),
        postgresql_where=sa.text("state = 'open'"),
    ),
)

timers = sa.Table(
    "timers",
    metadata,
    sa.Column("id", Id, primary_key=True),
    sa.Column("kind", sa.String(40), nullable=False),
    sa.Column("subject_id", Id, nullable=False, index=True),
    sa.Column("due_at", UtcDateTime, nullable=False, index=True),
)

tasks = sa.Table(
    "tasks",
    metadata,
    sa.Column("id", Id, primary_key=True),
    sa.Column("kind", sa.String(30), nullable=False),
    sa.Column("title", sa.String(1100), nullable=False),
    sa.Column("note", sa.String(1000), nullable=False, server_default=""),
    sa.Column("location_id", Id, sa.ForeignKey("locations.id"), nullable=False),
    sa.Column("customer_id", Id, nullable=True, index=True),
    sa.Column("promise_id", Id, nullable=True, index=True),
    sa.Column("assignee_id", Id, nullable=True),
    sa.Column("assignee_role", sa.String(20), nullable=True),
    sa.Column("due_at", UtcDateTime, nullable=True),
    sa.Column("goodwill_amount", sa.Numeric(12, 2), nullable=True),
    sa.Column("goodwill_currency", sa.String(3), nullable=False, server_default=""),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("created_by_label", sa.String(200), nullable=False),
    sa.Column("done_at", UtcDateTime, nullable=True),
    sa.Column("done_by_label", sa.String(200), nullable=False, server_default=""),
    # What was done, in the words of whoever closed it ("called, refunded 950 UAH").
    sa.Column("outcome", sa.Text, nullable=False, server_default=""),
    # A system task's title and note as phrase keys and values (ADR 0047); NULL: shown as kept.
    sa.Column("title_key", sa.String(60), nullable=True),
    sa.Column("title_params", Json, nullable=True),
    sa.Column("note_key", sa.String(60), nullable=True),
    sa.Column("note_params", Json, nullable=True),
    # A team's task: every member sees it in her list (ADR 0051).
    sa.Column("team_id", Id, nullable=True),
    sa.Index("ix_tasks_location_id_done_at", "location_id", "done_at"),
    sa.Index("ix_tasks_team_id_done_at", "team_id", "done_at"),
)

stock_levels = sa.Table(
    "stock_levels",
    metadata,
    sa.Column("product", sa.String(200), primary_key=True),
    sa.Column("variant", sa.String(200), primary_key=True),
    sa.Column("size", sa.String(200), primary_key=True),
    sa.Column("location_id", Id, primary_key=True),
    sa.Column("quantity", sa.Integer, nullable=False),
    sa.Column("updated_at", UtcDateTime, nullable=False),
)

messages = sa.Table(
    "messages",
    metadata,
    sa.Column("id", Id, primary_key=True),
    sa.Column("customer_id", Id, nullable=False),
    sa.Column("location_id", Id, nullable=True),
    sa.Column("promise_id", Id, nullable=True),
    sa.Column("template_key", sa.String(100), nullable=False),
    sa.Column("purpose", sa.String(20), nullable=False),
    sa.Column("context", Json, nullable=False),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("reason", sa.String(500), nullable=False, server_default=""),
    sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
    sa.Column("ready_at", UtcDateTime, nullable=False),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("channel", sa.String(20), nullable=False, server_default=""),
    sa.Column("to_address", sa.String(320), nullable=False, server_default=""),
    sa.Column("language", sa.String(5), nullable=False, server_default=""),
    sa.Column("subject", sa.String(500), nullable=False, server_default=""),
    sa.Column("text", sa.Text, nullable=False, server_default=""),
    sa.Column("sent_at", UtcDateTime, nullable=True),
    sa.Column("provider_ref", sa.String(500), nullable=False, server_default=""),
    # Why it waits or was not sent, as a phrase key and values (ADR 0047); NULL: ``reason`` as is.
    sa.Column("reason_key", sa.String(60), nullable=True),
    sa.Column("reason_params", Json, nullable=True),
    sa.Index("ix_messages_customer_id_created_at", "customer_id", "created_at"),
    sa.Index(
        "ix_messages_ready",
        "ready_at",
        sqlite_where=sa.text(_WAITING_MESSAGES),
        postgresql_where=sa.text(_WAITING_MESSAGES),
    ),
    sa.Index("ix_messages_status", "status"),
)
