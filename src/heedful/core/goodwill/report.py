"""What goodwill did: what was given, and how those customers answered and came back after.

The comparison is deliberately plain (no model, no matching): customers given goodwill in the
period against customers seen in the same period (a purchase or visit) who were given none. For
each, the moment is the first gift (or the first visit); the next feedback is the first survey
answer within ``within`` after it, scored 0-100 on its own scale (NPS 0-10, CSAT 1-5, CES 1-7);
a return is a purchase or visit more than ``_SAME_VISIT`` after it and within ``within``, so the
till's receipt for the very meal the dessert came with is not counted as coming back.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from heedful.core.access import Actor, Permission, scope_of
from heedful.core.feedback import SCALE, AnswerFilter, SurveyAnswer
from heedful.core.goodwill.model import Spend, SpendState
from heedful.core.goodwill.ports import GoodwillWork
from heedful.core.history import HistoryKind

_SAME_VISIT = timedelta(hours=12)
_MOST_SPENDS = 20_000
_MOST_ANSWERS = 100_000


@dataclass(frozen=True)
class Effect:
    customers: int
    with_feedback: int
    feedback_mean: float | None  # 0-100
    returned: int

    @property
    def feedback_share(self) -> float | None:
        return self.with_feedback / self.customers if self.customers else None

    @property
    def return_share(self) -> float | None:
        return self.returned / self.customers if self.customers else None


@dataclass
class GoodwillReport:
    since: datetime
    until: datetime
    within_days: int
    given: int = 0
    awaiting: int = 0
    declined: int = 0
    surprises: int = 0
    money: dict[str, Decimal] = field(default_factory=dict)  # currency -> total given
    items: dict[str, Decimal] = field(default_factory=dict)  # kind -> count given
    by_kind: dict[str, int] = field(default_factory=dict)
    with_goodwill: Effect = Effect(0, 0, None, 0)
    with_surprise: Effect = Effect(0, 0, None, 0)
    without: Effect = Effect(0, 0, None, 0)


def _score(answer: SurveyAnswer) -> float:
    low, high = SCALE[answer.kind]
    return (answer.score - low) * 100 / (high - low)


def _effect(
    anchors: dict[str, datetime],
    answers: dict[str, list[SurveyAnswer]],
    seen: dict[str, list[datetime]],
    within: timedelta,
) -> Effect:
    scores: list[float] = []
    returned = 0
    for customer_id, at in anchors.items():
        after = [a for a in answers.get(customer_id, ()) if at <= a.answered_at <= at + within]
        if after:
            scores.append(_score(min(after, key=lambda a: a.answered_at)))
        if any(at + _SAME_VISIT < t <= at + within for t in seen.get(customer_id, ())):
            returned += 1
    mean = round(sum(scores) / len(scores), 1) if scores else None
    return Effect(len(anchors), len(scores), mean, returned)


def _first(pairs: Iterable[tuple[str, datetime]]) -> dict[str, datetime]:
    first: dict[str, datetime] = {}
    for customer_id, at in pairs:
        if customer_id not in first or at < first[customer_id]:
            first[customer_id] = at
    return first


def goodwill_report(
    uow: GoodwillWork,
    actor: Actor,
    since: datetime,
    until: datetime,
    *,
    within_days: int = 30,
    location_id: str | None = None,
) -> GoodwillReport:
    actor.require(Permission.VIEW_REPORTS)
    scope = scope_of(actor).location_ids
    if location_id is not None:
        scope = frozenset({location_id}) if actor.may_act_at(location_id) else frozenset()
    within = timedelta(days=within_days)
    report = GoodwillReport(since, until, within_days)
    with uow:
        spends = uow.goodwill.spends(scope, since=since, until=until, limit=_MOST_SPENDS)
        answers = uow.feedback.answers.find(
            AnswerFilter(since=since, until=until + within), _MOST_ANSWERS
        )
        lines = []
        for where in [None] if scope is None else sorted(scope):
            lines += uow.feedback.facts.history_lines(
                since,
                until + within,
                frozenset({HistoryKind.PURCHASE, HistoryKind.VISIT}),
                location_id=where,
            )
    _count(report, spends)
    given = [s for s in spends if s.state is SpendState.GIVEN]
    by_customer: dict[str, list[SurveyAnswer]] = defaultdict(list)
    for answer in answers:
        by_customer[answer.customer_id].append(answer)
    seen: dict[str, list[datetime]] = defaultdict(list)
    for line in lines:
        seen[line.fact.customer_id].append(line.fact.occurred_at)
    gifted = _first((s.customer_id, s.created_at) for s in given)
    surprised = _first((s.customer_id, s.created_at) for s in given if s.surprise)
    others = _first(
        (customer_id, at)
        for customer_id, times in seen.items()
        if customer_id not in gifted
        for at in times
        if since <= at < until
    )
    report.with_goodwill = _effect(gifted, by_customer, seen, within)
    report.with_surprise = _effect(surprised, by_customer, seen, within)
    report.without = _effect(others, by_customer, seen, within)
    return report


def _count(report: GoodwillReport, spends: list[Spend]) -> None:
    for spend in spends:
        if spend.state is SpendState.AWAITING_APPROVAL:
            report.awaiting += 1
            continue
        if spend.state is SpendState.DECLINED:
            report.declined += 1
            continue
        report.given += 1
        report.surprises += spend.surprise
        report.by_kind[spend.kind] = report.by_kind.get(spend.kind, 0) + 1
        if spend.currency:
            report.money[spend.currency] = report.money.get(spend.currency, 0) + spend.amount
        else:
            report.items[spend.kind] = report.items.get(spend.kind, 0) + spend.amount
