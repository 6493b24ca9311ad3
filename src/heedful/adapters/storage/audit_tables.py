"""Tables of the service audits: questionnaire versions, the panel, assignments and visits.

No column names a customer: the promise a scenario drew is named by its id only.
"""

from __future__ import annotations

import sqlalchemy as sa

from heedful.adapters.storage.tables import Id, Json, UtcDateTime, metadata

audit_questionnaires = sa.Table(
    "audit_questionnaires",
    metadata,
    sa.Column("id", Id, primary_key=True),
    sa.Column("version", sa.Integer, primary_key=True),
    sa.Column("source", Json, nullable=False),  # the JSON as written; read again on load
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("created_by", sa.String(200), nullable=False),
)

audit_programmes = sa.Table(
    "audit_programmes",
    metadata,
    sa.Column("id", Id, primary_key=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("questionnaire_id", Id, nullable=False),
    sa.Column("rules", Json, nullable=False),
    sa.Column("lockout_days", sa.Integer, nullable=False),
    sa.Column("check_in_radius_m", sa.Integer, nullable=False),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("created_by", sa.String(200), nullable=False),
)

# Personal data of staff (the evaluators), never of customers.
audit_evaluators = sa.Table(
    "audit_evaluators",
    metadata,
    sa.Column("id", Id, primary_key=True),
    # The staff account she logs in with, or the evaluator API token her phone app uses.
    sa.Column("staff_id", Id, nullable=False, unique=True),
    sa.Column("display_name", sa.String(200), nullable=False),
    sa.Column("segments", Json, nullable=False),
    sa.Column("languages", Json, nullable=False),
    sa.Column("cities", Json, nullable=False),
    sa.Column("age_band", sa.String(20), nullable=False, server_default=""),
    sa.Column("gender", sa.String(20), nullable=False, server_default=""),
    sa.Column("contacts", Json, nullable=False),
    sa.Column("works_at", Json, nullable=False),
    sa.Column("validated", sa.Integer, nullable=False, server_default="0"),
    sa.Column("returned", sa.Integer, nullable=False, server_default="0"),
    sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.Column("created_at", UtcDateTime, nullable=False),
)

audit_assignments = sa.Table(
    "audit_assignments",
    metadata,
    sa.Column("id", Id, primary_key=True),
    sa.Column("programme_id", Id, nullable=False),
    sa.Column("evaluator_id", Id, nullable=False, index=True),
    sa.Column("location_id", Id, nullable=False, index=True),
    sa.Column("questionnaire_id", Id, nullable=False),
    sa.Column("questionnaire_version", sa.Integer, nullable=False),
    sa.Column("wave", sa.String(40), nullable=False),
    sa.Column("window_start", UtcDateTime, nullable=False),
    sa.Column("window_end", UtcDateTime, nullable=False),
    sa.Column("scenario", sa.Text, nullable=False, server_default=""),
    sa.Column("promise_id", Id, nullable=True),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("created_by", sa.String(200), nullable=False),
)

audit_visits = sa.Table(
    "audit_visits",
    metadata,
    sa.Column("assignment_id", Id, primary_key=True),
    sa.Column("evaluator_id", Id, nullable=False),
    sa.Column("location_id", Id, nullable=False),
    sa.Column("wave", sa.String(40), nullable=False),
    sa.Column("questionnaire_id", Id, nullable=False),
    sa.Column("questionnaire_version", sa.Integer, nullable=False),
    sa.Column("state", sa.String(20), nullable=False),
    sa.Column("answers", Json, nullable=False),
    sa.Column("attachments", Json, nullable=False),
    sa.Column("checked_in_at", UtcDateTime, nullable=True),
    sa.Column("check_in_latitude", sa.Float, nullable=True),
    sa.Column("check_in_longitude", sa.Float, nullable=True),
    sa.Column("submitted_at", UtcDateTime, nullable=True),
    sa.Column("reviewed_at", UtcDateTime, nullable=True),
    sa.Column("reviewed_by", sa.String(200), nullable=False, server_default=""),
    sa.Column("review_comment", sa.Text, nullable=False, server_default=""),
    sa.Column("flags", Json, nullable=False),
    sa.Column("score", sa.Float, nullable=True),
    sa.Column("updated_at", UtcDateTime, nullable=False),
    sa.Index(None, "evaluator_id", "submitted_at"),
    sa.Index(None, "state", "wave"),
)

# One row per attachment, so a reused photo is found by its hash through an index.
audit_attachments = sa.Table(
    "audit_attachments",
    metadata,
    sa.Column("assignment_id", Id, primary_key=True),
    sa.Column("attachment_id", Id, primary_key=True),
    sa.Column("sha256", sa.String(64), nullable=False, index=True),
    sa.Column("kind", sa.String(20), nullable=False),
)
