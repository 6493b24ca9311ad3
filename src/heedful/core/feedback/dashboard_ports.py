"""What the dashboard reads: counts summed from the rollups over a set of blocks.

The storage sums; the core turns sums into NPS, CSAT and CES with the very functions that
compute them from raw answers (``core/feedback/maths.py``), so both ways give the same figure.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from heedful.core.feedback.blocks import Block

SENTIMENTS = ("positive", "neutral", "negative", "mixed")


@dataclass(frozen=True)
class RollupFilter:
    """Which answers count: the manager's locations (None: all), one segment, one touchpoint."""

    location_ids: frozenset[str] | None = None
    segment: str | None = None
    touchpoint: str | None = None


@dataclass(frozen=True)
class ScoreCounts:
    """Answers of one survey kind, summed over blocks (and per block or per place when asked)."""

    kind: str
    answers: int
    histogram: dict[int, int]  # score -> answers; scores nobody gave are left out
    comments: int = 0  # answers whose comment was read
    sentiments: dict[str, int] = field(default_factory=dict)  # sentiment -> comments
    sentiment_milli_sum: int = 0  # the comments' scores in thousandths, summed
    commented_score_sum: int = 0  # the scores of the answers with a read comment, summed
    block: Block | None = None
    location_id: str | None = None
    touchpoint: str | None = None


@dataclass(frozen=True)
class TopicCounts:
    """A theme (with how comments spoke of it) or an emotion, in one block."""

    block: Block
    facet: str  # "theme" | "emotion"
    name: str
    mentions: int
    sentiments: dict[str, int]


@dataclass(frozen=True)
class LoopCounts:
    """Recovery loops opened in the blocks, and how many of them were closed in time or late."""

    opened: int = 0
    closed_in_time: int = 0
    closed_late: int = 0


@dataclass(frozen=True)
class RootCauseCount:
    block: Block
    root_cause: str
    loops: int


class DashboardReads(Protocol):
    def scores(
        self,
        blocks: Sequence[Block],
        where: RollupFilter,
        *,
        by_block: bool = False,
        by_place: bool = False,
    ) -> list[ScoreCounts]:
        """Sums per kind; per block too with ``by_block``; per (location, touchpoint) with
        ``by_place``."""
        ...

    def topics(self, blocks: Sequence[Block], where: RollupFilter) -> list[TopicCounts]: ...

    def loops(self, blocks: Sequence[Block], where: RollupFilter) -> LoopCounts: ...

    def root_causes(self, blocks: Sequence[Block], where: RollupFilter) -> list[RootCauseCount]: ...

    def overdue_loops(self, now: datetime, where: RollupFilter) -> int:
        """Loops still open past their deadline, whenever they were opened."""
        ...

    def segments(self) -> list[str]:
        """The segments answers were given in, for the filter."""
        ...
