"""Service audits: questionnaire versions, evaluator profiles, programmes, assignments, visits.

Also gives locations an optional latitude and longitude, from which a check-in is measured.

Revision ID: 0022
Revises: 0024
Create Date: 2026-12-06 11:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0022"
down_revision: str | None = "0024"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
_WHEN = sa.DateTime(timezone=True)
_ID = sa.String(40)


def upgrade() -> None:
    with op.batch_alter_table("locations") as batch:
        batch.add_column(sa.Column("latitude", sa.Float(), nullable=True))
        batch.add_column(sa.Column("longitude", sa.Float(), nullable=True))
    op.create_table(
        "audit_questionnaires",
        sa.Column("id", _ID, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("source", _JSON, nullable=False),
        sa.Column("created_at", _WHEN, nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.PrimaryKeyConstraint("id", "version", name="pk_audit_questionnaires"),
    )
    op.create_table(
        "audit_programmes",
        sa.Column("id", _ID, nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("questionnaire_id", _ID, nullable=False),
        sa.Column("rules", _JSON, nullable=False),
        sa.Column("lockout_days", sa.Integer(), nullable=False),
        sa.Column("check_in_radius_m", sa.Integer(), nullable=False),
        sa.Column("created_at", _WHEN, nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_audit_programmes"),
    )
    op.create_table(
        "audit_evaluators",
        sa.Column("id", _ID, nullable=False),
        sa.Column("staff_id", _ID, nullable=False),
        sa.Column("display_name", sa.String(200), nullable=False),
        sa.Column("segments", _JSON, nullable=False),
        sa.Column("languages", _JSON, nullable=False),
        sa.Column("cities", _JSON, nullable=False),
        sa.Column("age_band", sa.String(20), nullable=False, server_default=""),
        sa.Column("gender", sa.String(20), nullable=False, server_default=""),
        sa.Column("contacts", _JSON, nullable=False),
        sa.Column("works_at", _JSON, nullable=False),
        sa.Column("validated", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("returned", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("active", sa.Boolean(), nullable=False, server_default=sa.true()),
        sa.Column("created_at", _WHEN, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_audit_evaluators"),
        sa.UniqueConstraint("staff_id", name="uq_audit_evaluators_staff_id"),
    )
    op.create_table(
        "audit_assignments",
        sa.Column("id", _ID, nullable=False),
        sa.Column("programme_id", _ID, nullable=False),
        sa.Column("evaluator_id", _ID, nullable=False),
        sa.Column("location_id", _ID, nullable=False),
        sa.Column("questionnaire_id", _ID, nullable=False),
        sa.Column("questionnaire_version", sa.Integer(), nullable=False),
        sa.Column("wave", sa.String(40), nullable=False),
        sa.Column("window_start", _WHEN, nullable=False),
        sa.Column("window_end", _WHEN, nullable=False),
        sa.Column("scenario", sa.Text(), nullable=False, server_default=""),
        sa.Column("promise_id", _ID, nullable=True),
        sa.Column("created_at", _WHEN, nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_audit_assignments"),
    )
    op.create_index("ix_audit_assignments_evaluator_id", "audit_assignments", ["evaluator_id"])
    op.create_index("ix_audit_assignments_location_id", "audit_assignments", ["location_id"])
    op.create_table(
        "audit_visits",
        sa.Column("assignment_id", _ID, nullable=False),
        sa.Column("evaluator_id", _ID, nullable=False),
        sa.Column("location_id", _ID, nullable=False),
        sa.Column("wave", sa.String(40), nullable=False),
        sa.Column("questionnaire_id", _ID, nullable=False),
        sa.Column("questionnaire_version", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("answers", _JSON, nullable=False),
        sa.Column("attachments", _JSON, nullable=False),
        sa.Column("checked_in_at", _WHEN, nullable=True),
        sa.Column("check_in_latitude", sa.Float(), nullable=True),
        sa.Column("check_in_longitude", sa.Float(), nullable=True),
        sa.Column("submitted_at", _WHEN, nullable=True),
        sa.Column("reviewed_at", _WHEN, nullable=True),
        sa.Column("reviewed_by", sa.String(200), nullable=False, server_default=""),
        sa.Column("review_comment", sa.Text(), nullable=False, server_default=""),
        sa.Column("flags", _JSON, nullable=False),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("updated_at", _WHEN, nullable=False),
        sa.PrimaryKeyConstraint("assignment_id", name="pk_audit_visits"),
    )
    op.create_index(
        "ix_audit_visits_evaluator_id_submitted_at",
        "audit_visits",
        ["evaluator_id", "submitted_at"],
    )
    op.create_index("ix_audit_visits_state_wave", "audit_visits", ["state", "wave"])
    op.create_table(
        "audit_attachments",
        sa.Column("assignment_id", _ID, nullable=False),
        sa.Column("attachment_id", _ID, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.PrimaryKeyConstraint("assignment_id", "attachment_id", name="pk_audit_attachments"),
    )
    op.create_index("ix_audit_attachments_sha256", "audit_attachments", ["sha256"])


def downgrade() -> None:
    op.drop_table("audit_attachments")
    op.drop_table("audit_visits")
    op.drop_table("audit_assignments")
    op.drop_table("audit_evaluators")
    op.drop_table("audit_programmes")
    op.drop_table("audit_questionnaires")
    _drop_location_columns("longitude", "latitude")


def _drop_location_columns(*names: str) -> None:
    """Plain ALTER TABLE ... DROP COLUMN, on SQLite too (3.35+): a batch copy of ``locations``
    would drop the table every customer, promise and booking points to, which SQLite refuses."""
    for name in names:
        if op.get_bind().dialect.name == "sqlite":
            op.execute(f"ALTER TABLE locations DROP COLUMN {name}")
        else:
            op.drop_column("locations", name)
