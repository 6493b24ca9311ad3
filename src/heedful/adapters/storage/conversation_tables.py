"""Tables of conversations: threads, their messages and notes, teams, SLA policies and clocks.

The inbox reads open threads by ``due_order`` (the next due time of a running clock, or a far
future for none) through a partial index of open threads; the SLA due scan reads running clocks
by ``due_at`` through a partial index of running ones. Neither reads what is not open.
"""

from __future__ import annotations

import sqlalchemy as sa

from heedful.adapters.storage.promise_tables import Sequence
from heedful.adapters.storage.tables import Id, Json, UtcDateTime, metadata

_OPEN_THREADS = "status <> 'resolved'"
_RUNNING = "state = 'running'"
_COUNTING = "state = 'running' OR state = 'paused'"
_HAS_MESSAGE_ID = "message_id <> ''"

threads = sa.Table(
    "threads",
    metadata,
    sa.Column("id", Id, primary_key=True),
    sa.Column("customer_id", Id, sa.ForeignKey("customers.id"), nullable=False, index=True),
    sa.Column("location_id", Id, sa.ForeignKey("locations.id"), nullable=False),
    sa.Column("channel", sa.String(10), nullable=False),
    sa.Column("subject", sa.String(300), nullable=False),
    sa.Column("status", sa.String(30), nullable=False),
    sa.Column("priority", sa.String(10), nullable=False),
    sa.Column("language", sa.String(10), nullable=False),
    sa.Column("segment", sa.String(20), nullable=False, server_default=""),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("updated_at", UtcDateTime, nullable=False),
    sa.Column("assignee_id", Id, nullable=True),
    sa.Column("team_id", Id, nullable=True),
    sa.Column("next_due_at", UtcDateTime, nullable=True),
    sa.Column("next_due_kind", sa.String(20), nullable=True),
    # next_due_at, or a far future when nothing runs: one NOT NULL key for the inbox's keyset.
    sa.Column("due_order", UtcDateTime, nullable=False),
    sa.Column("warned", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("breached", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("awaiting_reply_since", UtcDateTime, nullable=True),
    sa.Column("resolved_at", UtcDateTime, nullable=True),
    sa.Column("visitor_token", sa.String(64), nullable=True, unique=True),
    sa.Column("last_message_preview", sa.String(200), nullable=False, server_default=""),
    sa.Column("reply_promise_id", Id, nullable=True),
    # Whether the sender is known to be who the card says, and how that was shown
    # (core/conversations/senders.py); threads from before the check count as verified.
    sa.Column("sender_verified", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.Column("sender_proof", sa.String(20), nullable=False, server_default=""),
    sa.Index(
        "ix_threads_inbox",
        "due_order",
        "id",
        sqlite_where=sa.text(_OPEN_THREADS),
        postgresql_where=sa.text(_OPEN_THREADS),
    ),
    sa.Index(
        "ix_threads_location_inbox",
        "location_id",
        "due_order",
        "id",
        sqlite_where=sa.text(_OPEN_THREADS),
        postgresql_where=sa.text(_OPEN_THREADS),
    ),
)

thread_messages = sa.Table(
    "thread_messages",
    metadata,
    sa.Column("sequence", Sequence, primary_key=True, autoincrement=True),
    sa.Column("id", Id, nullable=False, unique=True),
    sa.Column("thread_id", Id, sa.ForeignKey("threads.id"), nullable=False),
    sa.Column("direction", sa.String(3), nullable=False),
    sa.Column("channel", sa.String(10), nullable=False),
    sa.Column("author_id", Id, nullable=True),
    sa.Column("author_label", sa.String(200), nullable=False),
    sa.Column("address", sa.String(320), nullable=False, server_default=""),
    sa.Column("body", sa.Text, nullable=False),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("message_id", sa.String(500), nullable=False, server_default=""),
    sa.Column("in_reply_to", sa.String(500), nullable=False, server_default=""),
    sa.Column("outbox_message_id", Id, nullable=True),
    # What the receiving mail server said of the sender (its Authentication-Results), kept.
    sa.Column("authentication", sa.String(500), nullable=False, server_default=""),
    sa.Index("ix_thread_messages_thread_id_sequence", "thread_id", "sequence"),
    sa.Index(
        "ix_thread_messages_message_id",
        "message_id",
        sqlite_where=sa.text(_HAS_MESSAGE_ID),
        postgresql_where=sa.text(_HAS_MESSAGE_ID),
    ),
)

thread_notes = sa.Table(
    "thread_notes",
    metadata,
    sa.Column("id", Id, primary_key=True),
    sa.Column("thread_id", Id, sa.ForeignKey("threads.id"), nullable=False, index=True),
    sa.Column("author_id", Id, nullable=False),
    sa.Column("author_label", sa.String(200), nullable=False),
    sa.Column("body", sa.Text, nullable=False),
    sa.Column("created_at", UtcDateTime, nullable=False),
)

teams = sa.Table(
    "teams",
    metadata,
    sa.Column("id", Id, primary_key=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("location_id", Id, sa.ForeignKey("locations.id"), nullable=True),
    sa.Column("member_ids", Json, nullable=False),
    sa.Column("created_at", UtcDateTime, nullable=False),
)

sla_policies = sa.Table(
    "sla_policies",
    metadata,
    sa.Column("id", Id, primary_key=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("channel", sa.String(10), nullable=True),
    sa.Column("priority", sa.String(10), nullable=True),
    sa.Column("segment", sa.String(20), nullable=True),
    sa.Column("first_response_minutes", sa.Integer, nullable=True),
    sa.Column("next_response_minutes", sa.Integer, nullable=True),
    sa.Column("resolution_minutes", sa.Integer, nullable=True),
    sa.Column("warning_minutes", sa.Integer, nullable=False),
    sa.Column("active", sa.Boolean, nullable=False),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("updated_at", UtcDateTime, nullable=False),
)

# A location's own dates: an extra working day, a shortened day, a closure (no hours).
location_calendar_days = sa.Table(
    "location_calendar_days",
    metadata,
    sa.Column("location_id", Id, sa.ForeignKey("locations.id"), primary_key=True),
    sa.Column("day", sa.Date, primary_key=True),
    sa.Column("hours", Json, nullable=False),
    sa.Column("reason", sa.String(200), nullable=False, server_default=""),
)

sla_clocks = sa.Table(
    "sla_clocks",
    metadata,
    sa.Column("id", Id, primary_key=True),
    sa.Column("thread_id", Id, sa.ForeignKey("threads.id"), nullable=False, index=True),
    sa.Column("location_id", Id, nullable=False),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("policy_id", Id, nullable=False),
    sa.Column("target_minutes", sa.Integer, nullable=False),
    sa.Column("warning_minutes", sa.Integer, nullable=False),
    sa.Column("state", sa.String(10), nullable=False),
    sa.Column("started_at", UtcDateTime, nullable=False, index=True),
    sa.Column("counting_since", UtcDateTime, nullable=False),
    sa.Column("spent_before_seconds", sa.Float, nullable=False),
    sa.Column("paused_at", UtcDateTime, nullable=True),
    sa.Column("due_at", UtcDateTime, nullable=True),
    sa.Column("warn_at", UtcDateTime, nullable=True),
    sa.Column("warned_at", UtcDateTime, nullable=True),
    sa.Column("breached_at", UtcDateTime, nullable=True),
    sa.Column("met_at", UtcDateTime, nullable=True),
    sa.Column("spent_seconds", sa.Float, nullable=True),
    sa.Column("warning_task_id", Id, nullable=True),
    sa.Index(
        "ix_sla_clocks_running_due",
        "due_at",
        sqlite_where=sa.text(_RUNNING),
        postgresql_where=sa.text(_RUNNING),
    ),
    sa.Index(
        "ix_sla_clocks_counting_policy",
        "policy_id",
        sqlite_where=sa.text(_COUNTING),
        postgresql_where=sa.text(_COUNTING),
    ),
)
