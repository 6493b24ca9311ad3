"""Scores: pure arithmetic over one visit's answers and the questionnaire version it kept.

- An item earns a share of its weight from 0 to 1 (``item_share``); not applicable, blank,
  unscored kinds and a promise still open before its deadline are left out of the denominator.
- A section's score is the weighted mean of its counted items' shares, out of 100.
- The visit's score is the weighted mean of its sections that counted anything, by section weight.
- A knock-out item that earns less than half its points caps the visit at its ``knockout_cap``:
  the lowest cap of those failed wins. A failed knock-out is a fact about the visit, whatever else
  went well ("the fitting room was dirty" is not averaged away by good music).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from heedful.core.audits.answers import Answer
from heedful.core.audits.questionnaire import Item, ItemKind, QuestionnaireBody

KNOCKOUT_FAILS_BELOW = 0.5


@dataclass(frozen=True)
class VisitScore:
    total: float | None  # None: nothing in the visit could be scored
    sections: Mapping[str, float | None]
    items: Mapping[str, float | None]  # each item's share, 0..1; None: not counted
    uncapped: float | None
    knocked_out: tuple[str, ...] = ()  # keys of the failed knock-out items

    @property
    def capped(self) -> bool:
        return bool(self.knocked_out) and self.total != self.uncapped


Share = Callable[[Any], float | None]


def _yes_no(value: Any) -> float:
    return 1.0 if value is True else 0.0


def _share_of(item: Item) -> Share:
    """The function from an answer's value to the item's share, specialised once per item."""
    kind = item.kind
    if kind is ItemKind.YES_NO:
        return _yes_no
    if kind is ItemKind.SCALE:
        low, span = item.scale_min, float(item.scale_max - item.scale_min)
        return lambda value: (value - low) / span
    points = {choice.key: choice.points for choice in item.choices}
    if kind is ItemKind.SINGLE_CHOICE:
        return points.get
    if kind is ItemKind.MULTIPLE_CHOICE:
        return lambda value: min(sum(points.get(key, 0.0) for key in value), 1.0)
    if kind is ItemKind.NUMBER:
        low_ok, high_ok = item.good_from, item.good_to
        return lambda value: (
            1.0
            if (low_ok is None or value >= low_ok) and (high_ok is None or value <= high_ok)
            else 0.0
        )
    outcomes = {"kept": 1.0, "kept_late": item.late_credit, "broken": 0.0}
    return lambda value: outcomes.get(str(value))


# Per section: its key, weight and scored items as (key, weight, share function, knock-out cap).
Plan = tuple[tuple[str, float, tuple[tuple[str, float, Share, float | None], ...]], ...]


def _plan(body: QuestionnaireBody) -> Plan:
    """Worked out once per questionnaire version: a wave scores thousands of visits with it."""
    plan: Plan | None = body.derived.get("scoring_plan")
    if plan is None:
        plan = tuple(
            (
                section.key,
                section.weight,
                tuple(
                    (item.key, item.weight, _share_of(item), item.knockout_cap)
                    for item in section.items
                    if item.scored
                ),
            )
            for section in body.sections
        )
        body.derived["scoring_plan"] = plan
    return plan


def item_share(item: Item, answer: Answer | None) -> float | None:
    """The share of the item's weight this answer earns, or None when it does not count."""
    if not item.scored or answer is None or answer.not_applicable or answer.value is None:
        return None
    return _share_of(item)(answer.value)


def score_visit(body: QuestionnaireBody, answers: Mapping[str, Answer]) -> VisitScore:
    items: dict[str, float | None] = dict.fromkeys(i.key for i in body.items() if not i.scored)
    sections: dict[str, float | None] = {}
    knocked_out: list[str] = []
    caps: list[float] = []
    earned_total = weight_total = 0.0
    for section_key, section_weight, steps in _plan(body):
        earned = weight = 0.0
        for key, item_weight, share_of, cap in steps:
            answer = answers.get(key)
            if answer is None or answer.not_applicable or answer.value is None:
                items[key] = None
                continue
            share = share_of(answer.value)
            items[key] = share
            if share is None:
                continue
            earned += share * item_weight
            weight += item_weight
            if cap is not None and share < KNOCKOUT_FAILS_BELOW:
                knocked_out.append(key)
                caps.append(cap)
        score = 100.0 * earned / weight if weight else None
        sections[section_key] = score
        if score is not None and section_weight > 0:
            earned_total += score * section_weight
            weight_total += section_weight
    uncapped = earned_total / weight_total if weight_total else None
    total = uncapped
    if total is not None and caps:
        total = min(total, *caps)
    return VisitScore(total, sections, items, uncapped, tuple(knocked_out))
