"""Feedback: surveys, invitations, answers with their readings, the survey cap, recovery loops,
CX index values and churn risks.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _json() -> sa.types.TypeEngine[object]:
    return sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "churn_risks",
        sa.Column("customer_id", sa.String(length=40), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("reasons", _json(), nullable=False),
        sa.Column("inputs", _json(), nullable=False),
        sa.Column("formula_version", sa.String(length=20), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("customer_id", name=op.f("pk_churn_risks")),
    )
    op.create_index(op.f("ix_churn_risks_score"), "churn_risks", ["score"], unique=False)
    op.create_table(
        "cx_index_values",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("period_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("period_end", sa.DateTime(timezone=True), nullable=False),
        sa.Column("touchpoint", sa.String(length=20), nullable=False),
        sa.Column("location_id", sa.String(length=40), nullable=False),
        sa.Column("segment", sa.String(length=20), nullable=False),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("emotion", sa.Float(), nullable=True),
        sa.Column("product_value", sa.Float(), nullable=True),
        sa.Column("previous_value", sa.Float(), nullable=True),
        sa.Column("formula_version", sa.String(length=20), nullable=False),
        sa.Column("inputs", _json(), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cx_index_values")),
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
    op.create_table(
        "recovery_loops",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("answer_id", sa.String(length=40), nullable=False),
        sa.Column("customer_id", sa.String(length=40), nullable=False),
        sa.Column("location_id", sa.String(length=40), nullable=False),
        sa.Column("promise_id", sa.String(length=40), nullable=False),
        sa.Column("reasons", sa.String(length=100), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_in_time", sa.Boolean(), nullable=True),
        sa.Column("root_cause", sa.String(length=40), server_default="", nullable=False),
        sa.Column("root_cause_note", sa.String(length=2000), server_default="", nullable=False),
        sa.Column("action_taken", sa.String(length=2000), server_default="", nullable=False),
        sa.Column("closed_by_label", sa.String(length=200), server_default="", nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recovery_loops")),
        sa.UniqueConstraint("answer_id", name=op.f("uq_recovery_loops_answer_id")),
    )
    op.create_index(
        op.f("ix_recovery_loops_customer_id"), "recovery_loops", ["customer_id"], unique=False
    )
    op.create_index(
        "ix_recovery_loops_location_id_opened_at",
        "recovery_loops",
        ["location_id", "opened_at"],
        unique=False,
    )
    op.create_index(
        "ix_recovery_loops_open",
        "recovery_loops",
        ["due_at"],
        unique=False,
        sqlite_where=sa.text("state = 'open'"),
        postgresql_where=sa.text("state = 'open'"),
    )
    op.create_table(
        "survey_answers",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("invitation_id", sa.String(length=40), nullable=False),
        sa.Column("survey_id", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("customer_id", sa.String(length=40), nullable=False),
        sa.Column("location_id", sa.String(length=40), nullable=True),
        sa.Column("staff_id", sa.String(length=40), nullable=True),
        sa.Column("staff_label", sa.String(length=200), nullable=False),
        sa.Column("touchpoint", sa.String(length=20), nullable=False),
        sa.Column("segment", sa.String(length=20), nullable=False),
        sa.Column("language", sa.String(length=5), nullable=False),
        sa.Column("score", sa.SmallInteger(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("choices", _json(), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sentiment", sa.String(length=10), nullable=True),
        sa.Column("sentiment_score", sa.Float(), nullable=True),
        sa.Column("emotions", _json(), nullable=False),
        sa.Column("themes", _json(), nullable=False),
        sa.Column("reading_model", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_answers")),
        sa.UniqueConstraint("invitation_id", name=op.f("uq_survey_answers_invitation_id")),
    )
    op.create_index(
        "ix_survey_answers_customer_id_answered_at",
        "survey_answers",
        ["customer_id", "answered_at"],
        unique=False,
    )
    op.create_index(
        "ix_survey_answers_kind_answered_at",
        "survey_answers",
        ["kind", "answered_at"],
        unique=False,
    )
    op.create_index(
        "ix_survey_answers_location_id_answered_at",
        "survey_answers",
        ["location_id", "answered_at"],
        unique=False,
    )
    op.create_table(
        "survey_caps",
        sa.Column("customer_id", sa.String(length=40), nullable=False),
        sa.Column("next_allowed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("customer_id", name=op.f("pk_survey_caps")),
    )
    op.create_table(
        "surveys",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("touchpoint", sa.String(length=20), nullable=False),
        sa.Column("texts", _json(), nullable=False),
        sa.Column("ask_comment", sa.Boolean(), nullable=False),
        sa.Column("choices", _json(), nullable=False),
        sa.Column("location_id", sa.String(length=40), nullable=True),
        sa.Column("valid_for_minutes", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_label", sa.String(length=200), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_surveys")),
    )
    op.create_table(
        "survey_invitations",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("survey_id", sa.String(length=40), nullable=False),
        sa.Column("customer_id", sa.String(length=40), nullable=False),
        sa.Column("location_id", sa.String(length=40), nullable=True),
        sa.Column("staff_id", sa.String(length=40), nullable=True),
        sa.Column("touchpoint", sa.String(length=20), nullable=False),
        sa.Column("cause", sa.String(length=800), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("message_id", sa.String(length=40), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["survey_id"], ["surveys.id"], name=op.f("fk_survey_invitations_survey_id_surveys")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_invitations")),
    )
    op.create_index(
        op.f("ix_survey_invitations_customer_id"),
        "survey_invitations",
        ["customer_id"],
        unique=False,
    )


def downgrade() -> None:

    op.drop_index(op.f("ix_survey_invitations_customer_id"), table_name="survey_invitations")
    op.drop_table("survey_invitations")
    op.drop_table("surveys")
    op.drop_table("survey_caps")
    op.drop_index("ix_survey_answers_location_id_answered_at", table_name="survey_answers")
    op.drop_index("ix_survey_answers_kind_answered_at", table_name="survey_answers")
    op.drop_index("ix_survey_answers_customer_id_answered_at", table_name="survey_answers")
    op.drop_table("survey_answers")
    op.drop_index(
        "ix_recovery_loops_open",
        table_name="recovery_loops",
        sqlite_where=sa.text("state = 'open'"),
        postgresql_where=sa.text("state = 'open'"),
    )
    op.drop_index("ix_recovery_loops_location_id_opened_at", table_name="recovery_loops")
    op.drop_index(op.f("ix_recovery_loops_customer_id"), table_name="recovery_loops")
    op.drop_table("recovery_loops")
    op.drop_table("cx_index_values")
    op.drop_index(op.f("ix_churn_risks_score"), table_name="churn_risks")
    op.drop_table("churn_risks")
