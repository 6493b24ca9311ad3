"""The failure map: touchpoints x failure kinds, each cell split by what became of its failures.

Storage finds the failures of each kind with one set-based query (ADR 0050); here each is given
its outcome by one rule, the same on every backend:

- pre-empted: a look-ahead playbook acted on its object before the moment the customer would have
  felt it, or the record itself was put right before that moment (an SLA warning answered in
  time, a new delivery date kept before the old one passed);
- rescued: it reached her and was put right after: the record's own repair (a promise kept late,
  a late answer, a recovery closed) or goodwill given to her at that location within seven days;
- open: neither, and its moment or deadline is still ahead;
- unhandled: the rest.

The time to recovery is the rescued ones' wait from failure to repair; the emotion is that of
the customer's next survey answer within thirty days (the CX index's 0-100 emotion).
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TypeVar

from heedful.core.access import Actor, Permission
from heedful.core.failures.model import (
    Case,
    Cell,
    Failure,
    FailureKind,
    FailureMap,
    Firing,
    Gesture,
    Outcome,
    Touchpoint,
)
from heedful.core.failures.ports import FailureWork
from heedful.core.feedback import AnswerFilter, SurveyAnswer, answer_emotion
from heedful.core.reports import report_period, report_scope, report_zone
from heedful.core.shared.clock import Clock

RESCUE_WINDOW = timedelta(days=7)
NEXT_FEEDBACK_WINDOW = timedelta(days=30)
# Look-ahead horizons reach at most a fortnight ahead (the card-expiry example is 336 h): a firing
# that long before the period can still have pre-empted a failure inside it.
LOOK_AHEAD_REACH = timedelta(days=31)
MOST_PER_KIND = 20_000
MOST_FIRINGS = 100_000
MOST_ANSWERS = 100_000
MOST_CASES = 500

_T = TypeVar("_T", Firing, Gesture, SurveyAnswer)


@dataclass(frozen=True)
class FailureAsk:
    since: date | None = None
    until: date | None = None
    location_id: str | None = None
    touchpoint: Touchpoint | None = None  # with ``kind``: the cases of that cell
    kind: FailureKind | None = None


def _pre_empted(failure: Failure, firings: Sequence[Firing]) -> bool:
    if failure.averted:
        return True
    if failure.recovered_at is not None and failure.recovered_at <= failure.at:
        return True
    if not failure.object_key:
        return False
    prefix = f"state:{failure.object_key}:"
    return any(f.once_key.startswith(prefix) and f.fired_at <= failure.at for f in firings)


def _repaired_at(failure: Failure, gestures: Sequence[Gesture]) -> datetime | None:
    repairs = [
        g.at
        for g in gestures
        if g.location_id == failure.location_id and failure.at <= g.at <= failure.at + RESCUE_WINDOW
    ]
    if failure.recovered_at is not None and failure.recovered_at > failure.at:
        repairs.append(failure.recovered_at)
    return min(repairs, default=None)


def decide(
    failure: Failure,
    firings: Sequence[Firing],
    gestures: Sequence[Gesture],
    answers: Sequence[SurveyAnswer],
    now: datetime,
) -> Case:
    """One failure's outcome, time to recovery and the emotion of the next answer after it.

    ``firings``, ``gestures`` and ``answers`` are the customer's own.
    """
    after = [a for a in answers if failure.at < a.answered_at <= failure.at + NEXT_FEEDBACK_WINDOW]
    nxt = min(after, key=lambda a: a.answered_at, default=None)
    emotion = round(100 * answer_emotion(nxt), 1) if nxt is not None else None
    if _pre_empted(failure, firings):
        return Case(failure, Outcome.PRE_EMPTED, None, emotion)
    repaired = _repaired_at(failure, gestures)
    if repaired is not None:
        minutes = (repaired - failure.at).total_seconds() / 60
        return Case(failure, Outcome.RESCUED, round(minutes, 1), emotion)
    ahead = failure.at > now or (
        failure.still_open and (failure.open_until is None or failure.open_until > now)
    )
    return Case(failure, Outcome.OPEN if ahead else Outcome.UNHANDLED, None, emotion)


def _by_customer(items: Iterable[_T]) -> defaultdict[str, list[_T]]:
    grouped: defaultdict[str, list[_T]] = defaultdict(list)
    for item in items:
        grouped[item.customer_id].append(item)
    return grouped


def tally(cases: Iterable[Case]) -> list[Cell]:
    """Every touchpoint x kind, in the order of their enums, with its counts."""
    cells = {(t, k): Cell(t, k) for t in Touchpoint for k in FailureKind}
    minutes: dict[tuple[Touchpoint, FailureKind], list[float]] = defaultdict(list)
    emotions: dict[tuple[Touchpoint, FailureKind], list[float]] = defaultdict(list)
    for case in cases:
        key = (case.failure.touchpoint, case.failure.kind)
        cell = cells[key]
        cell.count += 1
        setattr(cell, case.outcome.value, getattr(cell, case.outcome.value) + 1)
        if case.recovery_minutes is not None:
            minutes[key].append(case.recovery_minutes)
        if case.next_emotion is not None:
            emotions[key].append(case.next_emotion)
    for key, cell in cells.items():
        if minutes[key]:
            cell.recovery_median_minutes = round(statistics.median(minutes[key]), 1)
        cell.with_next_feedback = len(emotions[key])
        if emotions[key]:
            cell.next_emotion_mean = round(statistics.fmean(emotions[key]), 1)
    return list(cells.values())


def failure_map(uow: FailureWork, clock: Clock, actor: Actor, ask: FailureAsk) -> FailureMap:
    """The map for a period (by default the last twelve ISO weeks) at the reader's locations."""
    actor.require(Permission.VIEW_REPORTS)
    now = clock.now()
    with uow:
        scope = report_scope(uow, actor, ask.location_id)
        period = report_period(now, report_zone(scope.covered), ask.since, ask.until)
        since, until = period.week_starts[0], period.ends_at
        where = scope.location_ids
        found: list[Failure] = []
        truncated = False
        for kind in FailureKind:
            rows = uow.failures.failures(kind, where, since, until, MOST_PER_KIND)
            truncated = truncated or len(rows) >= MOST_PER_KIND
            found += rows
        firings = uow.failures.firings(since - LOOK_AHEAD_REACH, until, MOST_FIRINGS)
        gestures = uow.failures.gestures(where, since, until + RESCUE_WINDOW, MOST_FIRINGS)
        answers = uow.feedback.answers.find(
            AnswerFilter(since=since, until=until + NEXT_FEEDBACK_WINDOW), MOST_ANSWERS
        )
    fired = _by_customer(firings)
    given = _by_customer(gestures)
    answered = _by_customer(answers)
    cases = [
        decide(f, fired[f.customer_id], given[f.customer_id], answered[f.customer_id], now)
        for f in found
    ]
    shown: list[Case] = []
    if ask.touchpoint is not None and ask.kind is not None:
        chosen = [
            c
            for c in cases
            if c.failure.touchpoint is ask.touchpoint and c.failure.kind is ask.kind
        ]
        shown = sorted(chosen, key=lambda c: c.failure.at, reverse=True)[:MOST_CASES]
    return FailureMap(
        period.since, period.until, period.time_zone, since, until, tally(cases), shown, truncated
    )
