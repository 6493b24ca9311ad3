"""Conversations: threads, their messages, SLA policies and clocks.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_OPEN_THREADS = "status <> 'resolved'"
_RUNNING = "state = 'running'"
_COUNTING = "state = 'running' OR state = 'paused'"
_HAS_MESSAGE_ID = "message_id <> ''"


def _json() -> sa.types.TypeEngine[object]:
    return sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def _at(name: str, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _id(name: str, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.String(length=40), nullable=nullable)


def _partial(name: str, table: str, columns: list[str], where: str) -> None:
    op.create_index(
        name,
        table,
        columns,
        unique=False,
        sqlite_where=sa.text(where),
        postgresql_where=sa.text(where),
    )


def upgrade() -> None:
    op.create_table(
        "sla_policies",
        _id("id"),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=True),
        sa.Column("priority", sa.String(length=10), nullable=True),
        sa.Column("segment", sa.String(length=20), nullable=True),
        sa.Column("first_response_minutes", sa.Integer(), nullable=True),
        sa.Column("next_response_minutes", sa.Integer(), nullable=True),
        sa.Column("resolution_minutes", sa.Integer(), nullable=True),
        sa.Column("warning_minutes", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        _at("created_at"),
        _at("updated_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sla_policies")),
    )
    op.create_table(
        "teams",
        _id("id"),
        sa.Column("name", sa.String(length=200), nullable=False),
        _id("location_id", nullable=True),
        sa.Column("member_ids", _json(), nullable=False),
        _at("created_at"),
        sa.ForeignKeyConstraint(
            ["location_id"], ["locations.id"], name=op.f("fk_teams_location_id_locations")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_teams")),
    )
    op.create_table(
        "threads",
        _id("id"),
        _id("customer_id"),
        _id("location_id"),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("status", sa.String(length=30), nullable=False),
        sa.Column("priority", sa.String(length=10), nullable=False),
        sa.Column("language", sa.String(length=10), nullable=False),
        sa.Column("segment", sa.String(length=20), server_default="", nullable=False),
        _at("created_at"),
        _at("updated_at"),
        _id("assignee_id", nullable=True),
        _id("team_id", nullable=True),
        _at("next_due_at", nullable=True),
        sa.Column("next_due_kind", sa.String(length=20), nullable=True),
        _at("due_order"),
        sa.Column("warned", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("breached", sa.Boolean(), server_default=sa.false(), nullable=False),
        _at("awaiting_reply_since", nullable=True),
        _at("resolved_at", nullable=True),
        sa.Column("visitor_token", sa.String(length=64), nullable=True),
        sa.Column("last_message_preview", sa.String(length=200), server_default="", nullable=False),
        _id("reply_promise_id", nullable=True),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name=op.f("fk_threads_customer_id_customers")
        ),
        sa.ForeignKeyConstraint(
            ["location_id"], ["locations.id"], name=op.f("fk_threads_location_id_locations")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_threads")),
        sa.UniqueConstraint("visitor_token", name=op.f("uq_threads_visitor_token")),
    )
    op.create_index(op.f("ix_threads_customer_id"), "threads", ["customer_id"], unique=False)
    _partial("ix_threads_inbox", "threads", ["due_order", "id"], _OPEN_THREADS)
    _partial(
        "ix_threads_location_inbox", "threads", ["location_id", "due_order", "id"], _OPEN_THREADS
    )
    op.create_table(
        "sla_clocks",
        _id("id"),
        _id("thread_id"),
        _id("location_id"),
        sa.Column("kind", sa.String(length=20), nullable=False),
        _id("policy_id"),
        sa.Column("target_minutes", sa.Integer(), nullable=False),
        sa.Column("warning_minutes", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        _at("started_at"),
        _at("counting_since"),
        sa.Column("spent_before_seconds", sa.Float(), nullable=False),
        _at("paused_at", nullable=True),
        _at("due_at", nullable=True),
        _at("warn_at", nullable=True),
        _at("warned_at", nullable=True),
        _at("breached_at", nullable=True),
        _at("met_at", nullable=True),
        sa.Column("spent_seconds", sa.Float(), nullable=True),
        _id("warning_task_id", nullable=True),
        sa.ForeignKeyConstraint(
            ["thread_id"], ["threads.id"], name=op.f("fk_sla_clocks_thread_id_threads")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sla_clocks")),
    )
    _partial("ix_sla_clocks_counting_policy", "sla_clocks", ["policy_id"], _COUNTING)
    _partial("ix_sla_clocks_running_due", "sla_clocks", ["due_at"], _RUNNING)
    op.create_index(op.f("ix_sla_clocks_started_at"), "sla_clocks", ["started_at"], unique=False)
    op.create_index(op.f("ix_sla_clocks_thread_id"), "sla_clocks", ["thread_id"], unique=False)
    op.create_table(
        "thread_messages",
        sa.Column(
            "sequence",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        _id("id"),
        _id("thread_id"),
        sa.Column("direction", sa.String(length=3), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        _id("author_id", nullable=True),
        sa.Column("author_label", sa.String(length=200), nullable=False),
        sa.Column("address", sa.String(length=320), server_default="", nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        _at("created_at"),
        sa.Column("message_id", sa.String(length=500), server_default="", nullable=False),
        sa.Column("in_reply_to", sa.String(length=500), server_default="", nullable=False),
        _id("outbox_message_id", nullable=True),
        sa.ForeignKeyConstraint(
            ["thread_id"], ["threads.id"], name=op.f("fk_thread_messages_thread_id_threads")
        ),
        sa.PrimaryKeyConstraint("sequence", name=op.f("pk_thread_messages")),
        sa.UniqueConstraint("id", name=op.f("uq_thread_messages_id")),
    )
    _partial("ix_thread_messages_message_id", "thread_messages", ["message_id"], _HAS_MESSAGE_ID)
    op.create_index(
        "ix_thread_messages_thread_id_sequence",
        "thread_messages",
        ["thread_id", "sequence"],
        unique=False,
    )
    op.create_table(
        "thread_notes",
        _id("id"),
        _id("thread_id"),
        _id("author_id"),
        sa.Column("author_label", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        _at("created_at"),
        sa.ForeignKeyConstraint(
            ["thread_id"], ["threads.id"], name=op.f("fk_thread_notes_thread_id_threads")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_thread_notes")),
    )
    op.create_index(op.f("ix_thread_notes_thread_id"), "thread_notes", ["thread_id"], unique=False)
    _create_canned_replies()
    op.create_table(
        "location_calendar_days",
        _id("location_id"),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("hours", _json(), nullable=False),
        sa.Column("reason", sa.String(length=200), server_default="", nullable=False),
        sa.ForeignKeyConstraint(
            ["location_id"],
            ["locations.id"],
            name=op.f("fk_location_calendar_days_location_id_locations"),
        ),
        sa.PrimaryKeyConstraint("location_id", "day", name=op.f("pk_location_calendar_days")),
    )


def downgrade() -> None:
    op.drop_table("location_calendar_days")
    op.drop_table("canned_replies")
    op.drop_table("thread_notes")
    op.drop_table("thread_messages")
    op.drop_table("sla_clocks")
    op.drop_table("threads")
    op.drop_table("teams")
    op.drop_table("sla_policies")


def _create_canned_replies() -> None:
    """The inbox's canned replies (adapters/storage/canned_reply_tables.py)."""
    op.create_table(
        "canned_replies",
        _id("id"),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("texts", _json(), nullable=False),
        _id("location_id", nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        _at("created_at"),
        _at("updated_at"),
        sa.Column("updated_by_label", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["location_id"], ["locations.id"], name=op.f("fk_canned_replies_location_id_locations")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_canned_replies")),
    )
    _partial("ix_canned_replies_active", "canned_replies", ["title"], "active")
