"""Business-time arithmetic: due instants and elapsed business time, all in aware UTC.

A due instant is the earliest instant by which the duration has passed in open hours: two hours
from Friday 16:00 in a shop closing at 18:00 is Friday 18:00, not Monday's opening; zero is the
start itself. Time before the next opening does not count, so the clock starts at the opening.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime, timedelta

from heedful.core.calendar.model import DAY, BusinessCalendar
from heedful.core.calendar.spans import Span, open_spans, spans_of_day
from heedful.core.shared.errors import InvalidInput

Pause = tuple[datetime, datetime]


def is_open(calendar: BusinessCalendar, at: datetime) -> bool:
    at = _utc(at, "at")
    day = at.astimezone(calendar.tz).date()
    # The instant can only be in an interval of its own day or the day before (overnight).
    return any(
        start <= at < end
        for candidate in (day - DAY, day, day + DAY)
        for start, end in spans_of_day(calendar, candidate)
    )


def next_opening(calendar: BusinessCalendar, at: datetime) -> datetime:
    """The first open instant at or after `at` (`at` itself when open)."""
    start, _ = next(open_spans(calendar, _utc(at, "at")))
    return start


def add_business_time(calendar: BusinessCalendar, start: datetime, duration: timedelta) -> datetime:
    return add_business_time_with_pauses(calendar, start, duration, ())


def business_time_between(calendar: BusinessCalendar, start: datetime, end: datetime) -> timedelta:
    return business_time_between_with_pauses(calendar, start, end, ())


def add_business_time_with_pauses(
    calendar: BusinessCalendar, start: datetime, duration: timedelta, pauses: Sequence[Pause]
) -> datetime:
    """The due instant of a clock that stops during `pauses` (waiting on the customer)."""
    start = _utc(start, "start")
    if duration < timedelta(0):
        raise InvalidInput("A duration cannot be negative", field="duration")
    remaining = duration
    if not remaining:
        return start
    for span_start, span_end in _without(open_spans(calendar, start), _merged(pauses)):
        if span_end - span_start >= remaining:
            return span_start + remaining
        remaining -= span_end - span_start
    raise AssertionError("open_spans is endless or raises")  # pragma: no cover


def business_time_between_with_pauses(
    calendar: BusinessCalendar, start: datetime, end: datetime, pauses: Sequence[Pause]
) -> timedelta:
    start, end = _utc(start, "start"), _utc(end, "end")
    if end < start:
        raise InvalidInput("The end comes before the start", field="end")
    spans = _without(open_spans(calendar, start, until=end), _merged(pauses))
    return sum((span_end - span_start for span_start, span_end in spans), timedelta(0))


def _without(spans: Iterable[Span], pauses: list[Pause]) -> Iterator[Span]:
    """Open spans minus paused time; both sorted, so one pass over each."""
    next_pause = 0
    for span_start, span_end in spans:
        start = span_start
        while next_pause < len(pauses) and pauses[next_pause][1] <= start:
            next_pause += 1
        index = next_pause
        while start < span_end:
            if index >= len(pauses) or pauses[index][0] >= span_end:
                yield start, span_end
                break
            pause_start, pause_end = pauses[index]
            if pause_start > start:
                yield start, pause_start
            start = max(start, pause_end)
            index += 1


def _merged(pauses: Sequence[Pause]) -> list[Pause]:
    merged: list[Pause] = []
    for pause_start, pause_end in sorted((_utc(s, "pause"), _utc(e, "pause")) for s, e in pauses):
        if pause_end < pause_start:
            raise InvalidInput("A pause ends before it starts", field="pauses")
        if merged and pause_start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], pause_end))
        else:
            merged.append((pause_start, pause_end))
    return merged


def _utc(instant: datetime, field: str) -> datetime:
    if instant.tzinfo is None:
        raise InvalidInput("Times must be aware (UTC)", field=field)
    return instant.astimezone(UTC)
