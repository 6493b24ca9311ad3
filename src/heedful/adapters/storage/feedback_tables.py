"""Tables of the feedback room: surveys, invitations, answers, the cap, loops, CX index, churn.

Kept apart from ``tables.py`` (same metadata) so that each module's schema reads on its own.
"""

from __future__ import annotations

import sqlalchemy as sa

from heedful.adapters.storage.tables import Id, Json, UtcDateTime, metadata

surveys = sa.Table(
    "surveys",
    metadata,
    sa.Column("id", Id, primary_key=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("kind", sa.String(10), nullable=False),
    sa.Column("touchpoint", sa.String(20), nullable=False),
    sa.Column("texts", Json, nullable=False),
    sa.Column("ask_comment", sa.Boolean, nullable=False),
    sa.Column("choices", Json, nullable=False),
    sa.Column("location_id", Id, nullable=True),
    sa.Column("valid_for_minutes", sa.Integer, nullable=False),
    sa.Column("active", sa.Boolean, nullable=False),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("created_by_label", sa.String(200), nullable=False),
    sa.Column("updated_at", UtcDateTime, nullable=False),
)

survey_invitations = sa.Table(
    "survey_invitations",
    metadata,
    sa.Column("id", Id, primary_key=True),
    sa.Column("survey_id", Id, sa.ForeignKey("surveys.id"), nullable=False),
    sa.Column("customer_id", Id, nullable=False, index=True),
    sa.Column("location_id", Id, nullable=True),
    sa.Column("staff_id", Id, nullable=True),
    sa.Column("touchpoint", sa.String(20), nullable=False),
    sa.Column("cause", sa.String(800), nullable=False),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("expires_at", UtcDateTime, nullable=False),
    sa.Column("message_id", Id, nullable=True),
    sa.Column("answered_at", UtcDateTime, nullable=True),
)

survey_answers = sa.Table(
    "survey_answers",
    metadata,
    sa.Column("id", Id, primary_key=True),
    # One answer per invitation: the database itself refuses a second submission.
    sa.Column("invitation_id", Id, nullable=False, unique=True),
    sa.Column("survey_id", Id, nullable=False),
    sa.Column("kind", sa.String(10), nullable=False),
    sa.Column("customer_id", Id, nullable=False),
    sa.Column("location_id", Id, nullable=True),
    sa.Column("staff_id", Id, nullable=True),
    sa.Column("staff_label", sa.String(200), nullable=False),
    sa.Column("touchpoint", sa.String(20), nullable=False),
    sa.Column("segment", sa.String(20), nullable=False),
    sa.Column("language", sa.String(5), nullable=False),
    sa.Column("score", sa.SmallInteger, nullable=False),
    sa.Column("comment", sa.Text, nullable=False),
    sa.Column("choices", Json, nullable=False),
    sa.Column("answered_at", UtcDateTime, nullable=False),
    sa.Column("sentiment", sa.String(10), nullable=True),
    sa.Column("sentiment_score", sa.Float, nullable=True),
    sa.Column("emotions", Json, nullable=False),
    sa.Column("themes", Json, nullable=False),
    sa.Column("reading_model", sa.String(100), nullable=False),
    sa.Index("ix_survey_answers_kind_answered_at", "kind", "answered_at"),
    sa.Index("ix_survey_answers_location_id_answered_at", "location_id", "answered_at"),
    sa.Index("ix_survey_answers_customer_id_answered_at", "customer_id", "answered_at"),
)

# The per-customer survey cap: one row per customer, read and moved on with each invitation.
survey_caps = sa.Table(
    "survey_caps",
    metadata,
    sa.Column("customer_id", Id, primary_key=True),
    sa.Column("next_allowed_at", UtcDateTime, nullable=False),
)

recovery_loops = sa.Table(
    "recovery_loops",
    metadata,
    sa.Column("id", Id, primary_key=True),
    sa.Column("answer_id", Id, nullable=True, unique=True),  # none: opened from churn risk
    sa.Column("customer_id", Id, nullable=False, index=True),
    sa.Column("location_id", Id, nullable=False),
    sa.Column("promise_id", Id, nullable=False),
    sa.Column("reasons", sa.String(100), nullable=False),
    sa.Column("opened_at", UtcDateTime, nullable=False),
    sa.Column("due_at", UtcDateTime, nullable=False),
    sa.Column("state", sa.String(10), nullable=False),
    sa.Column("closed_at", UtcDateTime, nullable=True),
    sa.Column("closed_in_time", sa.Boolean, nullable=True),
    sa.Column("root_cause", sa.String(40), nullable=False, server_default=""),
    sa.Column("root_cause_note", sa.String(2000), nullable=False, server_default=""),
    sa.Column("action_taken", sa.String(2000), nullable=False, server_default=""),
    sa.Column("closed_by_label", sa.String(200), nullable=False, server_default=""),
    sa.Index("ix_recovery_loops_location_id_opened_at", "location_id", "opened_at"),
    sa.Index(
        "ix_recovery_loops_open",
        "due_at",
        sqlite_where=sa.text("state = 'open'"),
        postgresql_where=sa.text("state = 'open'"),
    ),
)

cx_index_values = sa.Table(
    "cx_index_values",
    metadata,
    sa.Column("id", Id, primary_key=True),
    sa.Column("period_start", UtcDateTime, nullable=False),
    sa.Column("period_end", UtcDateTime, nullable=False),
    sa.Column("touchpoint", sa.String(20), nullable=False),
    sa.Column("location_id", sa.String(40), nullable=False),
    sa.Column("segment", sa.String(20), nullable=False),
    sa.Column("value", sa.Float, nullable=True),
    sa.Column("emotion", sa.Float, nullable=True),
    sa.Column("product_value", sa.Float, nullable=True),
    sa.Column("previous_value", sa.Float, nullable=True),
    sa.Column("formula_version", sa.String(20), nullable=False),
    sa.Column("inputs", Json, nullable=False),
    sa.Column("computed_at", UtcDateTime, nullable=False),
    sa.UniqueConstraint(
        "period_start",
        "period_end",
        "touchpoint",
        "location_id",
        "segment",
        "formula_version",
        name="uq_cx_index_values_cell",
    ),
)

churn_risks = sa.Table(
    "churn_risks",
    metadata,
    sa.Column("customer_id", Id, primary_key=True),
    sa.Column("score", sa.Integer, nullable=False, index=True),
    sa.Column("reasons", Json, nullable=False),
    sa.Column("inputs", Json, nullable=False),
    sa.Column("formula_version", sa.String(20), nullable=False),
    sa.Column("computed_at", UtcDateTime, nullable=False),
)

# Jobs that run on a schedule among any number of workers (the daily CX index and churn
# recompute first): one row per job, claimed by a conditional UPDATE so that one worker runs it;
# a run that crashes leaves a claim that lapses at ``claimed_until`` and is run again.
scheduled_runs = sa.Table(
    "scheduled_runs",
    metadata,
    sa.Column("name", sa.String(60), primary_key=True),
    sa.Column("due_at", UtcDateTime, nullable=False),
    sa.Column("claimed_until", UtcDateTime, nullable=True),
    sa.Column("last_started_at", UtcDateTime, nullable=True),
    sa.Column("last_finished_at", UtcDateTime, nullable=True),
    sa.Column("last_result", Json, nullable=False),
)
