"""The schema as SQLAlchemy Core tables; repositories map rows to core objects explicitly.

Migrations in ``migrations/versions`` create exactly this; ``alembic check`` guards drift.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


class UtcDateTime(sa.TypeDecorator[datetime]):
    """Aware UTC in, aware UTC out, on SQLite (which stores text) as on PostgreSQL."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are never stored")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(
        self,
        value: datetime | None,
        dialect: sa.Dialect,  # noqa: ARG002 - part of the interface
    ) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


Json: Any = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
Id = sa.String(40)
# Byte-wise ordering on PostgreSQL so that a prefix is a range an index can answer.
Term = sa.String(100).with_variant(sa.String(100, collation="C"), "postgresql")


def _id(name: str = "id", **kw: Any) -> sa.Column[Any]:
    return sa.Column(name, Id, primary_key=True, **kw)


locations = sa.Table(
    "locations",
    metadata,
    _id(),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("kind", sa.String(30), nullable=False),
    sa.Column("city", sa.String(100), nullable=False),
    sa.Column("country", sa.String(2), nullable=False),
    sa.Column("time_zone", sa.String(64), nullable=False),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("opening_hours", Json, nullable=True),
    sa.Column("subdivision", sa.String(10), nullable=False, server_default=""),
    sa.Column("code", sa.String(40), nullable=True, unique=True),
    sa.Column("address", sa.String(300), nullable=False, server_default=""),
    # Where the door is (ADR 0039): the audit check-in distance is measured from here.
    sa.Column("latitude", sa.Float, nullable=True),
    sa.Column("longitude", sa.Float, nullable=True),
)

staff = sa.Table(
    "staff",
    metadata,
    _id(),
    sa.Column("login", sa.String(100), nullable=False, unique=True),
    sa.Column("full_name", sa.String(200), nullable=False),
    sa.Column("role", sa.String(20), nullable=False),
    sa.Column("language", sa.String(5), nullable=False),
    sa.Column("password_hash", sa.String(200), nullable=False),
    sa.Column("location_ids", Json, nullable=True),
    sa.Column("active", sa.Boolean, nullable=False, default=True),
    sa.Column("created_at", UtcDateTime, nullable=False),
    # Raised by logout and deactivation: every session cookie carrying an older one is dead.
    sa.Column("session_epoch", sa.Integer, nullable=False, server_default="0"),
)

api_tokens = sa.Table(
    "api_tokens",
    metadata,
    _id(),
    sa.Column("name", sa.String(100), nullable=False),
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("prefix", sa.String(12), nullable=False),
    sa.Column("role", sa.String(20), nullable=False),
    sa.Column("location_ids", Json, nullable=True),
    sa.Column("created_by", Id, nullable=False),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("last_used_at", UtcDateTime, nullable=True),
    sa.Column("revoked_at", UtcDateTime, nullable=True),
    sa.Column("expires_at", UtcDateTime, nullable=True),
)

customers = sa.Table(
    "customers",
    metadata,
    _id(),
    sa.Column("full_name", sa.String(200), nullable=False),
    sa.Column("language", sa.String(5), nullable=False),
    sa.Column("time_zone", sa.String(64), nullable=False),
    sa.Column("segment", sa.String(20), nullable=False),
    sa.Column("home_location_id", Id, sa.ForeignKey("locations.id"), nullable=True),
    sa.Column("birthday", sa.Date, nullable=True),
    sa.Column("status", sa.String(10), nullable=False),
    sa.Column("merged_into_id", Id, nullable=True),
    sa.Column("erased_at", UtcDateTime, nullable=True),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("updated_at", UtcDateTime, nullable=False),
    sa.Index(None, "created_at", "id"),
)

# Where a customer is known: what scopes a manager's or agent's view.
customer_locations = sa.Table(
    "customer_locations",
    metadata,
    sa.Column("customer_id", Id, sa.ForeignKey("customers.id"), primary_key=True),
    sa.Column("location_id", Id, sa.ForeignKey("locations.id"), primary_key=True),
    sa.Index(None, "location_id", "customer_id"),
)

# Folded name words for the search box; a prefix of any word finds the customer.
name_terms = sa.Table(
    "name_terms",
    metadata,
    sa.Column("term", Term, primary_key=True),
    sa.Column("customer_id", Id, sa.ForeignKey("customers.id"), primary_key=True),
    sa.Index(None, "customer_id"),
)

identities = sa.Table(
    "identities",
    metadata,
    _id(),
    sa.Column("customer_id", Id, sa.ForeignKey("customers.id"), nullable=False, index=True),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("value", sa.String(254), nullable=False),
    sa.Column("label", sa.String(60), nullable=False, default=""),
    sa.Column("added_at", UtcDateTime, nullable=False),
    sa.Column("added_by", Id, nullable=False),
    sa.UniqueConstraint("kind", "value"),
)

preferences = sa.Table(
    "preferences",
    metadata,
    _id(),
    sa.Column("customer_id", Id, sa.ForeignKey("customers.id"), nullable=False, index=True),
    sa.Column("polarity", sa.String(10), nullable=False),
    sa.Column("category", sa.String(20), nullable=False),
    sa.Column("subject", sa.String(200), nullable=False),
    sa.Column("note", sa.Text, nullable=False, default=""),
    sa.Column("source", sa.String(10), nullable=False),
    sa.Column("confidence", sa.Float, nullable=False),
    sa.Column("location_id", Id, sa.ForeignKey("locations.id"), nullable=True),
    sa.Column("recorded_at", UtcDateTime, nullable=False),
    sa.Column("recorded_by", Id, nullable=False),
    sa.Column("recorded_by_label", sa.String(200), nullable=False),
    sa.Column("retracted_at", UtcDateTime, nullable=True),
    sa.Column("retracted_by", Id, nullable=True),
    # "brand X in size M": normalised attribute -> value; fits every variant that has them.
    sa.Column("attributes", Json, nullable=False, server_default="{}"),
)
# A playbook audience ("customers who like brand X"): standing preferences by folded subject, in
# customer id order, so a page of the audience is an index range (migration 0016, ADR 34; on
# PostgreSQL the migration also creates statistics preferences_subject_stats, which keep the
# planner on that range: SQLAlchemy cannot declare them).
sa.Index(
    "ix_preferences_standing_subject",
    sa.func.lower(preferences.c.subject),
    preferences.c.polarity,
    preferences.c.customer_id,
    preferences.c.category,
    sqlite_where=preferences.c.retracted_at.is_(None),
    postgresql_where=preferences.c.retracted_at.is_(None),
)

consents = sa.Table(
    "consents",
    metadata,
    _id(),
    sa.Column("customer_id", Id, sa.ForeignKey("customers.id"), nullable=False, index=True),
    sa.Column("channel", sa.String(20), nullable=False),
    sa.Column("purpose", sa.String(20), nullable=False),
    sa.Column("granted", sa.Boolean, nullable=False),
    sa.Column("decided_at", UtcDateTime, nullable=False),
    sa.Column("how", sa.String(200), nullable=False),
    sa.Column("recorded_by", Id, nullable=False),
    sa.Column("recorded_by_label", sa.String(200), nullable=False),
)

history = sa.Table(
    "history",
    metadata,
    _id(),
    sa.Column("customer_id", Id, sa.ForeignKey("customers.id"), nullable=False),
    sa.Column("kind", sa.String(10), nullable=False),
    sa.Column("occurred_at", UtcDateTime, nullable=False),
    sa.Column("recorded_at", UtcDateTime, nullable=False),
    sa.Column("location_id", Id, sa.ForeignKey("locations.id"), nullable=True),
    sa.Column("items", Json, nullable=False),
    sa.Column("amount_minor", sa.BigInteger, nullable=True),
    sa.Column("currency", sa.String(3), nullable=True),
    sa.Column("external_ref", sa.String(100), nullable=True),
    sa.Column("note", sa.Text, nullable=False, default=""),
    sa.Index(None, "customer_id", "occurred_at"),
    sa.UniqueConstraint("kind", "external_ref"),
)

audit_log = sa.Table(
    "audit_log",
    metadata,
    _id(),
    sa.Column("at", UtcDateTime, nullable=False),
    sa.Column("actor_id", Id, nullable=False),
    sa.Column("actor_label", sa.String(200), nullable=False),
    sa.Column("action", sa.String(60), nullable=False),
    sa.Column("customer_id", Id, nullable=True),
    sa.Column("entity", sa.String(30), nullable=False),
    sa.Column("entity_id", Id, nullable=False),
    sa.Column("before", Json, nullable=True),
    sa.Column("after", Json, nullable=True),
    sa.Index(None, "customer_id", "at"),
)

merges = sa.Table(
    "merges",
    metadata,
    _id(),
    sa.Column("survivor_id", Id, nullable=False, index=True),
    sa.Column("absorbed_id", Id, nullable=False, index=True),
    sa.Column("merged_at", UtcDateTime, nullable=False),
    sa.Column("merged_by", Id, nullable=False),
    sa.Column("merged_by_label", sa.String(200), nullable=False),
    sa.Column("reason", sa.String(500), nullable=False),
    sa.Column("changes", Json, nullable=False),
    sa.Column("survivor_before", Json, nullable=False),
    sa.Column("absorbed_before", Json, nullable=False),
    sa.Column("undone_at", UtcDateTime, nullable=True),
    sa.Column("undone_by", Id, nullable=True),
    sa.Column("notes", Json, nullable=False),
)

erasures = sa.Table(
    "erasures",
    metadata,
    _id(),
    sa.Column("customer_id", Id, nullable=False, index=True),
    sa.Column("erased_at", UtcDateTime, nullable=False),
    sa.Column("erased_by", Id, nullable=False),
    sa.Column("erased_by_label", sa.String(200), nullable=False),
    sa.Column("reason", sa.String(500), nullable=False),
    sa.Column("removed", Json, nullable=False),
)

idempotency_keys = sa.Table(
    "idempotency_keys",
    metadata,
    sa.Column("scope", Id, primary_key=True),
    sa.Column("key", sa.String(200), primary_key=True),
    sa.Column("fingerprint", sa.String(64), nullable=False),
    sa.Column("status_code", sa.Integer, nullable=False),
    sa.Column("response", Json, nullable=True),
    sa.Column("created_at", UtcDateTime, nullable=False, index=True),
)

EVENTS_WAITING = "processed_at IS NULL AND dead_at IS NULL"
EVENTS_WAITING_WITH_KEY = f"{EVENTS_WAITING} AND ordering_key IS NOT NULL"

# Business events in (CloudEvents), in order of arrival. The engine works through the unprocessed
# ones by ``sequence``; (source, event_id) is the CloudEvents identity that makes retries harmless.
events = sa.Table(
    "events",
    metadata,
    sa.Column(
        "sequence",
        sa.BigInteger().with_variant(sa.Integer(), "sqlite"),  # SQLite's rowid is 64-bit anyway
        sa.Identity(always=False),
        primary_key=True,
    ),
    sa.Column("source", sa.String(500), nullable=False),
    sa.Column("event_id", sa.String(200), nullable=False),
    sa.Column("type", sa.String(200), nullable=False),
    sa.Column("subject", sa.String(500), nullable=True),
    sa.Column("time", UtcDateTime, nullable=True),
    sa.Column("dataschema", sa.String(500), nullable=True),
    sa.Column("data", Json, nullable=False),
    sa.Column("extensions", Json, nullable=False),
    sa.Column("received_at", UtcDateTime, nullable=False),
    sa.Column("processed_at", UtcDateTime, nullable=True),
    # A failed event waits until retry_at; a dead letter (dead_at) waits for an operator.
    sa.Column("retry_at", UtcDateTime, nullable=True),
    sa.Column("dead_at", UtcDateTime, nullable=True),
    # The sending token's location ids (a JSON list), or NULL for admins and the system: the
    # engine acts only within them (ADR 0029). Set by Heedful, never from the event.
    sa.Column("sender_locations", Json, nullable=True),
    # Events with the same key are handled one after another, across workers (ADR 61;
    # core/events/ordering.py); NULL: ordered with nothing.
    sa.Column("ordering_key", sa.String(200), nullable=True),
    sa.UniqueConstraint("source", "event_id"),
    sa.Index(None, "type", "received_at"),
    # Only the waiting events: finding work costs what is waiting, not what was ever received
    # nor what was set aside.
    sa.Index(
        "ix_events_unprocessed",
        "sequence",
        postgresql_where=sa.text(EVENTS_WAITING),
        sqlite_where=sa.text(EVENTS_WAITING),
    ),
    # Whether an earlier event with the same key still waits: one probe per event claimed.
    sa.Index(
        "ix_events_waiting_by_key",
        "ordering_key",
        "sequence",
        postgresql_where=sa.text(EVENTS_WAITING_WITH_KEY),
        sqlite_where=sa.text(EVENTS_WAITING_WITH_KEY),
    ),
    # AUTOINCREMENT: never hand out a purged event's sequence again.
    sqlite_autoincrement=True,
)

# How far each JetStream stream is stored in the inbox (ADR 68): the workers' intakes store the
# stream single-file from here, in the transaction that stores the events, so the stream's order
# is the inbox's and a message is stored once whichever worker reads it.
stream_positions = sa.Table(
    "stream_positions",
    metadata,
    sa.Column("stream", sa.String(200), primary_key=True),
    sa.Column("stored_through", sa.BigInteger(), nullable=False),  # the stream's sequence
)

# Which customers a stored idempotency answer names (ADR 0026): erasing one finds her answers by
# this index, not by reading every answer. Purged with the answers, by ``created_at``.
idempotency_customers = sa.Table(
    "idempotency_customers",
    metadata,
    sa.Column("scope", Id, primary_key=True),
    sa.Column("key", sa.String(200), primary_key=True),
    sa.Column("customer_id", Id, primary_key=True),
    sa.Column("created_at", UtcDateTime, nullable=False, index=True),
    sa.Index(None, "customer_id"),
)

# Records the worker failed on (events, outbox messages, timers, scheduled jobs), one row per
# record while it is retried, set aside (dead) or discarded by an operator (kept for the record).
dead_letters = sa.Table(
    "dead_letters",
    metadata,
    sa.Column("kind", sa.String(10), primary_key=True),
    sa.Column("ref", sa.String(200), primary_key=True),
    sa.Column("what", sa.String(500), nullable=False),
    sa.Column("state", sa.String(10), nullable=False),
    sa.Column("error", sa.String(1000), nullable=False),
    sa.Column("attempts", sa.Integer, nullable=False),
    sa.Column("first_failed_at", UtcDateTime, nullable=False),
    sa.Column("last_failed_at", UtcDateTime, nullable=False),
    sa.Column("next_try_at", UtcDateTime, nullable=True),
    sa.Column("payload", Json, nullable=False),
    sa.Column("closed_at", UtcDateTime, nullable=True),
    sa.Column("closed_by", sa.String(200), nullable=False, server_default=""),
    # The operators' list and the gauge read only the letters still open.
    sa.Index(
        "ix_dead_letters_open",
        "last_failed_at",
        postgresql_where=sa.text("state <> 'discarded'"),
        sqlite_where=sa.text("state <> 'discarded'"),
    ),
)
