"""How a period is cut into the blocks the dashboard's rollups are kept in."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from heedful.core.feedback.blocks import Block, Grain, Step, blocks_of_day, buckets, cover

DAYS = st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 12, 31))
LENGTHS = st.integers(min_value=0, max_value=730)


def _days(blocks: list[Block] | tuple[Block, ...]) -> list[date]:
    found: list[date] = []
    for block in blocks:
        day = block.first_day
        while day <= block.last_day:
            found.append(day)
            day += timedelta(days=1)
    return found


def _every_day(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


@given(DAYS, LENGTHS)
def test_a_cover_holds_every_day_of_the_period_once_and_no_other(first: date, length: int) -> None:
    last = first + timedelta(days=length)
    assert sorted(_days(cover(first, last))) == _every_day(first, last)
    assert len(_days(cover(first, last))) == length + 1


@given(DAYS, LENGTHS)
def test_two_years_are_read_as_a_few_dozen_blocks_not_730_days(first: date, length: int) -> None:
    last = first + timedelta(days=length)
    # At most 24 months plus the broken ends: 6 loose days and 4 weeks on each side.
    assert len(cover(first, last)) <= 25 + 2 * (6 + 4)


@given(DAYS, LENGTHS, st.sampled_from(list(Step)))
def test_the_trend_buckets_split_the_period_and_each_holds_only_its_days(
    first: date, length: int, step: Step
) -> None:
    last = first + timedelta(days=length)
    found = buckets(first, last, step)
    assert [d for b in found for d in _days(b.blocks)] == _every_day(first, last)
    for bucket in found:
        assert all(bucket.first_day <= d <= bucket.last_day for d in _days(bucket.blocks))


def test_a_week_across_a_months_edge_is_read_as_days_in_a_cover() -> None:
    # Monday 27 April to Sunday 3 May 2026: whole week, but across April's end.
    assert cover(date(2026, 4, 27), date(2026, 5, 3)) == [
        *(Block(Grain.DAY, date(2026, 4, d)) for d in range(27, 31)),
        *(Block(Grain.DAY, date(2026, 5, d)) for d in range(1, 4)),
    ]
    assert cover(date(2026, 3, 1), date(2026, 4, 12)) == [
        Block(Grain.MONTH, date(2026, 3, 1)),
        *(Block(Grain.DAY, date(2026, 4, d)) for d in range(1, 6)),
        Block(Grain.WEEK, date(2026, 4, 6)),
    ]


def test_an_answer_counts_in_its_day_its_iso_week_and_its_month() -> None:
    assert blocks_of_day(date(2026, 3, 1)) == (
        Block(Grain.DAY, date(2026, 3, 1)),
        Block(Grain.WEEK, date(2026, 2, 23)),
        Block(Grain.MONTH, date(2026, 3, 1)),
    )
