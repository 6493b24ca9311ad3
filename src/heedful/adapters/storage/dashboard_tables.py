"""Rollups of the feedback answers, which every dashboard query reads instead of the answers.

One row per block of days × location × touchpoint × segment (× survey kind for scores), and rows
for every touchpoint and every segment ("*"). A block is a local day, an ISO week (Monday to
Sunday) or a calendar month at the answer's location, so a two-year period is read as about forty
blocks rather than 730 days (docs/decisions/0020).

Counts only, never a rate: rates are computed from the summed counts by core/feedback/maths.py,
exactly as from the raw answers. The sentiment of comments is summed in thousandths as an
integer, so that adding answers in any order gives the same sum.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from heedful.adapters.storage.tables import Id, metadata

SCORES = range(11)  # 0..10 covers every scale: CSAT 1-5, NPS 0-10, CES 1-7
SENTIMENTS = ("positive", "neutral", "negative", "mixed")
ALL = "*"


def _key() -> list[sa.Column[Any]]:
    # "" rather than NULL for an answer with no location or segment: a primary key column
    # cannot be NULL, and "" is a value a filter can name. ALL ("*") in touchpoint or segment
    # is the row counted for every touchpoint or segment: a dashboard with no such filter reads
    # those rows instead of summing the cells, and the key's order (touchpoint and segment
    # before the day) makes either kind of read one index range per block.
    return [
        sa.Column("grain", sa.String(5), primary_key=True),  # "day" | "week" | "month"
        sa.Column("touchpoint", sa.String(20), primary_key=True),
        sa.Column("segment", sa.String(30), primary_key=True),
        sa.Column("first_day", sa.Date, primary_key=True),
        sa.Column("location_id", Id, primary_key=True),
    ]


def _count(name: str) -> sa.Column[Any]:
    return sa.Column(name, sa.BigInteger, nullable=False, server_default="0")


feedback_rollups = sa.Table(
    "feedback_rollups",
    metadata,
    *_key(),
    sa.Column("kind", sa.String(10), primary_key=True),
    _count("answers"),
    *(_count(f"score_{score}") for score in SCORES),
    _count("comments"),
    *(_count(f"comments_{sentiment}") for sentiment in SENTIMENTS),
    _count("sentiment_milli_sum"),
    # The scores of the answers that came with a read comment: the CX index weighs their score
    # less (core/feedback/cx_index.py answer_emotion), so its emotion needs them apart.
    _count("commented_score_sum"),
    sqlite_with_rowid=False,
)

# Themes (staff, waiting...) with how each comment spoke of them, and emotions (mentions only).
feedback_topic_rollups = sa.Table(
    "feedback_topic_rollups",
    metadata,
    *_key(),
    sa.Column("facet", sa.String(10), primary_key=True),  # "theme" | "emotion"
    sa.Column("name", sa.String(40), primary_key=True),
    _count("mentions"),
    *(_count(sentiment) for sentiment in SENTIMENTS),
    sqlite_with_rowid=False,
)

# Recovery loops by the block they were opened in: how many were closed in time or late.
recovery_rollups = sa.Table(
    "recovery_rollups",
    metadata,
    *_key(),
    _count("opened"),
    _count("closed_in_time"),
    _count("closed_late"),
    sqlite_with_rowid=False,
)

# Root causes of closed loops by the block they were closed in: the outer loop's themes.
root_cause_rollups = sa.Table(
    "root_cause_rollups",
    metadata,
    *_key(),
    sa.Column("root_cause", sa.String(40), primary_key=True),
    _count("loops"),
    sqlite_with_rowid=False,
)

ROLLUP_TABLES = (feedback_rollups, feedback_topic_rollups, recovery_rollups, root_cause_rollups)
