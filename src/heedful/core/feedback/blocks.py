"""Blocks of days the dashboard rollups are kept in, and how a period is cut into them.

Every answer is counted three times: in its local day, in that day's ISO week (Monday to Sunday)
and in its calendar month. A period is then read as the fewest blocks that cover exactly its
days: whole months, then whole weeks inside the months' broken ends, then days. Two years are
about forty blocks instead of 730 days, which is what keeps every dashboard query fast on SQLite.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum


class Grain(StrEnum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"


class Step(StrEnum):
    """How a trend is cut: by ISO week for short periods, by calendar month for long ones."""

    WEEK = "week"
    MONTH = "month"


@dataclass(frozen=True, order=True)
class Block:
    grain: Grain
    first_day: date

    @property
    def last_day(self) -> date:
        if self.grain is Grain.DAY:
            return self.first_day
        if self.grain is Grain.WEEK:
            return self.first_day + timedelta(days=6)
        return _next_month(self.first_day) - timedelta(days=1)


@dataclass(frozen=True)
class Bucket:
    """One point of a trend: a week or a month, cut to the period at its ends."""

    key: str  # "2026-W10" or "2026-03"
    first_day: date
    last_day: date
    blocks: tuple[Block, ...]


def _next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def blocks_of_day(day: date) -> tuple[Block, Block, Block]:
    """The three blocks an answer given on ``day`` (at its location) is counted in."""
    return (
        Block(Grain.DAY, day),
        Block(Grain.WEEK, monday_of(day)),
        Block(Grain.MONTH, day.replace(day=1)),
    )


def _weeks_and_days(first: date, last: date) -> list[Block]:
    blocks: list[Block] = []
    day = first
    while day <= last:
        if day.weekday() == 0 and day + timedelta(days=6) <= last:
            blocks.append(Block(Grain.WEEK, day))
            day += timedelta(days=7)
        else:
            blocks.append(Block(Grain.DAY, day))
            day += timedelta(days=1)
    return blocks


def cover(first: date, last: date) -> list[Block]:
    """The fewest blocks whose days are exactly ``first`` to ``last``, both included.

    Cut at the months' edges: a whole month is one block; the broken months at the two ends are
    whole ISO weeks and loose days. A week across a month's edge is never used, so each block
    belongs to one month and a trend by month can use the same cover.
    """
    blocks: list[Block] = []
    start = first
    while start <= last:
        end = min(_next_month(start) - timedelta(days=1), last)
        if start.day == 1 and end == _next_month(start) - timedelta(days=1):
            blocks.append(Block(Grain.MONTH, start))
        else:
            blocks.extend(_weeks_and_days(start, end))
        start = end + timedelta(days=1)
    return blocks


def step_for(first: date, last: date) -> Step:
    """Weeks up to half a year (26 points at most), months beyond (24 at most in two years)."""
    return Step.WEEK if (last - first).days < 26 * 7 else Step.MONTH


def buckets(first: date, last: date, step: Step) -> list[Bucket]:
    """The trend's points, every one of the period, empty ones too: a gap is news."""
    found: list[Bucket] = []
    start = first
    while start <= last:
        if step is Step.WEEK:
            end = min(monday_of(start) + timedelta(days=6), last)
            year, week, _ = start.isocalendar()
            key = f"{year}-W{week:02d}"
            blocks = _weeks_and_days(start, end)
        else:
            end = min(_next_month(start) - timedelta(days=1), last)
            key = f"{start.year}-{start.month:02d}"
            blocks = cover(start, end)
        found.append(Bucket(key, start, end, tuple(blocks)))
        start = end + timedelta(days=1)
    return found
