"""The daily recompute: the CX index of the last completed weeks and months, and churn risk.

A location's week runs Monday to Monday and its month first to first on its own clock; the
index of every location together uses the zone the locations share (UTC when they differ), as
the dashboard does. Per period and place the job stores the value of every touchpoint ×
segment pair that was answered, and their marginals ('' = all), so the heat map has its cells.

Each period and place is one transaction: a long recompute never holds the database for
itself, and a crash leaves what was stored, which the next run stores again. Among several
workers one runs it (``recompute_when_due``): the run is a claimed key, due again the next day.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from heedful.core.access import SYSTEM
from heedful.core.dead_letters import DeadLetter, LetterKind, RetryPolicy, note_failure
from heedful.core.feedback.cx_index import ALL, Cell
from heedful.core.feedback.indices import assess_churn, compute_cx_index
from heedful.core.feedback.ports import AnswerFilter
from heedful.core.reports import report_zone
from heedful.core.shared.clock import Clock
from heedful.core.unit_of_work import UnitOfWork

JOB = "feedback.recompute"
# Long enough for a big recompute to finish; a worker that dies mid-run is replaced after it.
LEASE = timedelta(hours=2)
# 01:00 UTC: Monday has begun in Europe and Asia, so their past week is complete by then;
# zones further west see their week completed on the next day's run.
RUN_AT = time(1, 0)

UowFactory = Callable[[], UnitOfWork]


@dataclass(frozen=True)
class Batch:
    """One period at one place (``ALL``: every location): one transaction of the recompute."""

    period_start: datetime
    period_end: datetime
    location_id: str


@dataclass
class RecomputeReport:
    batches: int = 0
    values: int = 0
    churn_scored: int = 0

    def as_json(self) -> dict[str, Any]:
        return {"batches": self.batches, "values": self.values, "churn_scored": self.churn_scored}


def _midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(), tzinfo=zone).astimezone(UTC)


def completed_periods(
    now: datetime, zone_name: str, weeks: int, months: int
) -> list[tuple[datetime, datetime]]:
    """The last ``weeks`` whole ISO weeks and ``months`` whole months, oldest first."""
    zone = ZoneInfo(zone_name)
    today = now.astimezone(zone).date()
    periods: list[tuple[datetime, datetime]] = []
    monday = today - timedelta(days=today.weekday())
    for back in range(weeks, 0, -1):
        start = monday - timedelta(weeks=back)
        periods.append((_midnight(start, zone), _midnight(start + timedelta(weeks=1), zone)))
    first = today.replace(day=1)
    for back in range(months, 0, -1):
        year, month = first.year, first.month - back
        while month < 1:
            year, month = year - 1, month + 12
        start = date(year, month, 1)
        end = date(year + month // 12, month % 12 + 1, 1)
        periods.append((_midnight(start, zone), _midnight(end, zone)))
    return periods


def plan_recompute(
    uow: UnitOfWork, now: datetime, *, weeks: int = 1, months: int = 1
) -> list[Batch]:
    with uow:
        every = uow.locations.list()
    batches = [
        Batch(start, end, location.id)
        for location in every
        for start, end in completed_periods(now, location.time_zone, weeks, months)
    ]
    if every:
        zone = report_zone(every)
        batches += [Batch(s, e, ALL) for s, e in completed_periods(now, zone, weeks, months)]
    return batches


def _cells(uow: UnitOfWork, batch: Batch) -> list[Cell]:
    where = AnswerFilter(
        since=batch.period_start,
        until=batch.period_end,
        location_ids=frozenset({batch.location_id}) if batch.location_id else None,
    )
    seen: set[tuple[str, str]] = set()
    for touchpoint, segment in uow.feedback.answers.answered_pairs(where):
        seen |= {(touchpoint, segment), (touchpoint, ALL), (ALL, segment), (ALL, ALL)}
    return [
        Cell(batch.period_start, batch.period_end, touchpoint, batch.location_id, segment)
        for touchpoint, segment in sorted(seen)
    ]


def recompute_feedback(
    uow_factory: UowFactory,
    clock: Clock,
    *,
    weeks: int = 1,
    months: int = 1,
    on_batch: Callable[[int], object] | None = None,
    batches: list[Batch] | None = None,
) -> RecomputeReport:
    """Stores the index of each batch's answered cells, then scores churn for everyone.

    ``on_batch`` hears the number of steps done after each (the batches, then churn as one).
    """
    report = RecomputeReport()
    if batches is None:
        batches = plan_recompute(uow_factory(), clock.now(), weeks=weeks, months=months)
    for batch in batches:
        with uow_factory() as uow:
            cells = _cells(uow, batch)
        if cells:
            report.values += len(compute_cx_index(cells, uow_factory(), clock, SYSTEM))
        report.batches += 1
        if on_batch is not None:
            on_batch(1)
    report.churn_scored = assess_churn(uow_factory(), clock, SYSTEM)
    if on_batch is not None:
        on_batch(1)
    return report


def next_run(now: datetime) -> datetime:
    today = datetime.combine(now.astimezone(UTC).date(), RUN_AT, tzinfo=UTC)
    return today if now < today else today + timedelta(days=1)


def recompute_when_due(
    uow_factory: UowFactory,
    clock: Clock,
    retry: RetryPolicy = RetryPolicy(),  # noqa: B008 - frozen, shared safely
) -> RecomputeReport | DeadLetter | None:
    """Runs the daily recompute if it is due and no other worker has claimed it; else None.

    A run that raises gives its claim back and is tried again after a backoff; after a few tries
    (or at once, for an error trying again cannot cure) it is a dead letter, skipped until an
    operator retries it. Its failure is returned rather than raised: the caller logs it once.
    """
    started = clock.now()
    with uow_factory() as uow:
        letter = uow.dead_letters.get(LetterKind.JOB, JOB)
        if letter is not None and letter.waits(started):
            return None
        claimed = uow.feedback.schedule.claim(JOB, started, started + LEASE)
        uow.commit()
    if not claimed:
        return None
    try:
        report = recompute_feedback(uow_factory, clock)
    except Exception as error:
        return _set_back(uow_factory, clock, error, retry)
    with uow_factory() as uow:
        uow.feedback.schedule.finish(JOB, clock.now(), next_run(started), report.as_json())
        uow.dead_letters.forget(LetterKind.JOB, [JOB])
        uow.commit()
    return report


def _set_back(
    uow_factory: UowFactory, clock: Clock, error: Exception, retry: RetryPolicy
) -> DeadLetter:
    now = clock.now()
    with uow_factory() as uow:
        what = "daily CX index and churn"
        letter = note_failure(uow, LetterKind.JOB, JOB, what, error, now, retry)
        # The claim is given back at once; the letter says when it may be claimed again.
        uow.feedback.schedule.finish(JOB, now, now, {"failed": letter.error})
        uow.commit()
    return letter
