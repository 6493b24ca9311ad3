"""Opening hours as UTC spans: the one place where wall-clock hours meet elapsed time.

An instant is open when its local wall-clock time falls inside an interval of the day the interval
belongs to. Everything else follows from that rule, across daylight-saving changes:
- the hour skipped in spring has no instants, so it is simply absent (00:00-24:00 lasts 23 hours);
- the hour repeated in autumn has twice the instants, so it counts twice (00:00-24:00 lasts 25).
Spans are built day by day, each interval converted once, so a search costs per day, not per minute.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from heedful.core.calendar.model import DAY, BusinessCalendar, Hours, NeverOpens

Span = tuple[datetime, datetime]

# How many closed days in a row a search walks before giving up. Long enough for a closure of a
# season or a year of renovation recorded as overrides; a real calendar never gets near it.
LONGEST_CLOSURE_DAYS = 2 * 366
# Days of converted spans kept per calendar; a long-running worker starts over past this.
CACHED_DAYS = 4096


def open_spans(
    calendar: BusinessCalendar, since: datetime, until: datetime | None = None
) -> Iterator[Span]:
    """Open spans in UTC, in order, without overlaps, clipped to [since, until).

    Spans may touch (a round-the-clock calendar yields one per day), so a caller never waits
    for a span that does not end. Without `until` the stream is endless, and raises NeverOpens
    rather than searching forever.
    """
    tz = calendar.tz
    pending: list[Span] = []  # spans of the days generated so far, not yet handed out
    handed_out_until = since  # overlapping hours (an overnight shift, a split shift) count once
    day = since.astimezone(tz).date() - DAY  # yesterday's overnight hours may still be running
    closed_days = 0
    while True:
        if until is None and not pending and _nothing_ahead(calendar, day, closed_days):
            raise NeverOpens(
                "This calendar has no opening hours ahead, so business time cannot be counted",
                field="weekly_hours",
            )
        day_spans = spans_of_day(calendar, day)
        closed_days = 0 if day_spans else closed_days + 1
        for span in day_spans:
            heapq.heappush(pending, span)
        # Later days open no earlier than the first instant of their first midnight.
        later_days_start = _earliest_instant(tz, datetime.combine(day + DAY, time(0)))
        finished = until is not None and later_days_start >= until
        while pending and (finished or pending[0][0] < later_days_start):
            start, end = heapq.heappop(pending)
            start, end = max(start, handed_out_until), end if until is None else min(end, until)
            if start < end:
                handed_out_until = end
                yield start, end
        if finished:
            return
        day += DAY


def _nothing_ahead(calendar: BusinessCalendar, day: date, closed_days: int) -> bool:
    return closed_days > LONGEST_CLOSURE_DAYS or not calendar.may_open_on_or_after(day)


def spans_of_day(calendar: BusinessCalendar, day: date) -> tuple[Span, ...]:
    """UTC spans of the intervals that open on `day` (some reach into the next day)."""
    cache = calendar.utc_spans_by_day
    if day not in cache:
        if len(cache) > CACHED_DAYS:
            cache.clear()
        cache[day] = _convert_day(calendar.tz, day, calendar.hours_on(day))
    return cache[day]


def _convert_day(tz: ZoneInfo, day: date, hours: Hours) -> tuple[Span, ...]:
    if not hours:
        return ()
    # Most days have no clock change within reach of their intervals (which end before the
    # midnight after next): one offset then converts them all.
    midnight = datetime.combine(day, time(0))
    low, high = _earliest_instant(tz, midnight), _instant(tz, midnight + 2 * DAY, 1)
    offset = _offset(tz, low)
    if _offset(tz, high) == offset:
        walls = (interval.on(day) for interval in hours)
        return tuple(
            (start.replace(tzinfo=UTC) - offset, end.replace(tzinfo=UTC) - offset)
            for start, end in walls
        )
    return tuple(span for interval in hours for span in wall_to_utc(tz, *interval.on(day)))


def wall_to_utc(tz: ZoneInfo, wall_start: datetime, wall_end: datetime) -> list[Span]:
    """All instants whose wall-clock time lies in [wall_start, wall_end), as UTC spans."""
    spans: list[Span] = []
    low = _earliest_instant(tz, wall_start)
    high = max(_instant(tz, wall_end, fold) for fold in (0, 1))
    for segment_start, segment_end, offset in _constant_offset_segments(tz, low, high):
        start = max(wall_start, (segment_start + offset).replace(tzinfo=None))
        end = min(wall_end, (segment_end + offset).replace(tzinfo=None))
        if start < end:
            span = (start.replace(tzinfo=UTC) - offset, end.replace(tzinfo=UTC) - offset)
            if spans and spans[-1][1] == span[0]:
                span = (spans.pop()[0], span[1])
            spans.append(span)
    return spans


def _constant_offset_segments(
    tz: ZoneInfo, low: datetime, high: datetime
) -> list[tuple[datetime, datetime, timedelta]]:
    # Assumes no two transitions that cancel out within the window (at most two days here): no
    # zone in the tz database changes its offset and back within two days.
    segments = []
    while low < high:
        offset = _offset(tz, low)
        if _offset(tz, high) == offset:
            segments.append((low, high, offset))
            break
        change = _first_change(tz, low, high, offset)
        segments.append((low, change, offset))
        low = change
    return segments


def _first_change(tz: ZoneInfo, low: datetime, high: datetime, offset: timedelta) -> datetime:
    # Bisect whole seconds: the tz database changes offsets on whole seconds.
    before, after = int(low.timestamp()), int(high.timestamp())
    while after - before > 1:
        middle = (before + after) // 2
        if _offset(tz, datetime.fromtimestamp(middle, UTC)) == offset:
            before = middle
        else:
            after = middle
    return datetime.fromtimestamp(after, UTC)


def _offset(tz: ZoneInfo, instant: datetime) -> timedelta:
    offset = instant.astimezone(tz).utcoffset()
    assert offset is not None  # a ZoneInfo always knows its offset
    return offset


def _instant(tz: ZoneInfo, wall: datetime, fold: int) -> datetime:
    return wall.replace(tzinfo=tz, fold=fold).astimezone(UTC)


def _earliest_instant(tz: ZoneInfo, wall: datetime) -> datetime:
    """No instant at or after this wall time is earlier (a lower bound in a spring gap)."""
    return min(_instant(tz, wall, fold) for fold in (0, 1))
