"""Stock per variant and location as state, set by ``stock.changed`` in the event's own time.

A stock system sends either a count ("2 on hand", absolute) or a movement ("+1", "-1"). Events
arrive late, out of order and twice, so the level is never "the last thing heard" but worked out
from the moves by their own time: the latest count, plus every movement after it. A movement at
or before that count is already in it; a count older than the latest says nothing new; a move
heard before (same source and id) is not counted again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from heedful.core.shared.errors import InvalidInput

MAX_LEVEL = 1_000_000_000


@dataclass(frozen=True)
class StockMove:
    """One stock report for a variant at a location: a count (``level``) or a ``delta``."""

    code: str
    location_id: str
    key: str  # the event's source/id: the same report twice is one report
    at: datetime  # when it happened, as the sender says (else when Heedful heard it)
    level: int | None = None
    delta: int | None = None

    def __post_init__(self) -> None:
        if (self.level is None) == (self.delta is None):
            raise InvalidInput("give the quantity on hand or a delta, not both", field="quantity")
        if self.level is not None and not 0 <= self.level <= MAX_LEVEL:
            raise InvalidInput(f"a level is between 0 and {MAX_LEVEL:,}", field="quantity")
        if self.delta is not None and abs(self.delta) > MAX_LEVEL:
            raise InvalidInput(f"a delta is at most {MAX_LEVEL:,} either way", field="delta")

    @property
    def is_count(self) -> bool:
        return self.level is not None


@dataclass(frozen=True)
class StockLevel:
    code: str
    location_id: str
    quantity: int
    as_of: datetime  # the time of the latest move it includes


def level_from(moves: Sequence[StockMove]) -> int | None:
    """The units on hand the moves say: the latest count plus the movements after it.

    Without any count the movements add up from zero (a new variant's first delivery). Never
    below zero: a sale reported before the delivery it came from is not negative stock.
    """
    if not moves:
        return None
    ordered = sorted(moves, key=lambda move: (move.at, move.is_count))
    counts = [move for move in ordered if move.is_count]
    base, since = (counts[-1].level or 0, counts[-1].at) if counts else (0, None)
    total = base + sum(
        move.delta or 0
        for move in ordered
        if not move.is_count and (since is None or move.at > since)
    )
    return max(min(total, MAX_LEVEL), 0)


def still_needed(moves: Sequence[StockMove]) -> list[StockMove]:
    """The moves a later one may still need: the latest count and what came after it.

    Older moves are in that count already; forgetting them keeps the table small. A late
    move older than the count is ignored by ``level_from`` whether it is kept or not.
    """
    counts = [move for move in moves if move.is_count]
    if not counts:
        return list(moves)
    latest = max(counts, key=lambda move: move.at)
    return [move for move in moves if move.at >= latest.at]
