"""Dashboard rollups: feedback answers, themes and emotions, recovery loops and root causes counted
per day, ISO week and month × location × touchpoint × segment, and for every touchpoint and segment.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-24 13:00:00
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SENTIMENTS = ("positive", "neutral", "negative", "mixed")


def _key() -> list[Any]:
    return [
        sa.Column("grain", sa.String(length=5), nullable=False),
        sa.Column("touchpoint", sa.String(length=20), nullable=False),
        sa.Column("segment", sa.String(length=30), nullable=False),
        sa.Column("first_day", sa.Date(), nullable=False),
        sa.Column("location_id", sa.String(length=40), nullable=False),
    ]


def _count(name: str) -> sa.Column[Any]:
    return sa.Column(name, sa.BigInteger(), server_default="0", nullable=False)


KEY = ["grain", "touchpoint", "segment", "first_day", "location_id"]


def upgrade() -> None:
    op.create_table(
        "feedback_rollups",
        *_key(),
        sa.Column("kind", sa.String(length=10), nullable=False),
        _count("answers"),
        *(_count(f"score_{score}") for score in range(11)),
        _count("comments"),
        *(_count(f"comments_{sentiment}") for sentiment in SENTIMENTS),
        _count("sentiment_milli_sum"),
        _count("commented_score_sum"),
        sa.PrimaryKeyConstraint(*KEY, "kind", name=op.f("pk_feedback_rollups")),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "feedback_topic_rollups",
        *_key(),
        sa.Column("facet", sa.String(length=10), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        _count("mentions"),
        *(_count(sentiment) for sentiment in SENTIMENTS),
        sa.PrimaryKeyConstraint(*KEY, "facet", "name", name=op.f("pk_feedback_topic_rollups")),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "recovery_rollups",
        *_key(),
        _count("opened"),
        _count("closed_in_time"),
        _count("closed_late"),
        sa.PrimaryKeyConstraint(*KEY, name=op.f("pk_recovery_rollups")),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "root_cause_rollups",
        *_key(),
        sa.Column("root_cause", sa.String(length=40), nullable=False),
        _count("loops"),
        sa.PrimaryKeyConstraint(*KEY, "root_cause", name=op.f("pk_root_cause_rollups")),
        sqlite_with_rowid=False,
    )


def downgrade() -> None:
    for table in (
        "root_cause_rollups",
        "recovery_rollups",
        "feedback_topic_rollups",
        "feedback_rollups",
    ):
        op.drop_table(table)
