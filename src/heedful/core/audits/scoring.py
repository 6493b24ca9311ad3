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

from collections.abc import Mapping
from dataclasses import dataclass

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


def item_share(item: Item, answer: Answer | None) -> float | None:
    """The share of the item's weight this answer earns, or None when it does not count."""
    if not item.scored or answer is None or answer.not_applicable or answer.value is None:
        return None
    value = answer.value
    kind = item.kind
    if kind is ItemKind.YES_NO:
        return 1.0 if value is True else 0.0
    if kind is ItemKind.SCALE:
        return float(value - item.scale_min) / (item.scale_max - item.scale_min)
    if kind is ItemKind.SINGLE_CHOICE:
        choice = item.choice(str(value))
        return choice.points if choice is not None else None
    if kind is ItemKind.MULTIPLE_CHOICE:
        earned = sum(c.points for c in item.choices if c.key in value)
        return min(earned, 1.0)
    if kind is ItemKind.NUMBER:
        low_ok = item.good_from is None or value >= item.good_from
        high_ok = item.good_to is None or value <= item.good_to
        return 1.0 if low_ok and high_ok else 0.0
    # promise_kept: the ledger's outcome
    return {"kept": 1.0, "kept_late": item.late_credit, "broken": 0.0}.get(str(value))


def score_visit(body: QuestionnaireBody, answers: Mapping[str, Answer]) -> VisitScore:
    items: dict[str, float | None] = {}
    sections: dict[str, float | None] = {}
    knocked_out: list[str] = []
    caps: list[float] = []
    earned_total = weight_total = 0.0
    for section in body.sections:
        earned = weight = 0.0
        for item in section.items:
            share = item_share(item, answers.get(item.key))
            items[item.key] = share
            if share is None:
                continue
            earned += share * item.weight
            weight += item.weight
            if item.knockout_cap is not None and share < KNOCKOUT_FAILS_BELOW:
                knocked_out.append(item.key)
                caps.append(item.knockout_cap)
        score = 100.0 * earned / weight if weight else None
        sections[section.key] = score
        if score is not None and section.weight > 0:
            earned_total += score * section.weight
            weight_total += section.weight
    uncapped = earned_total / weight_total if weight_total else None
    total = uncapped
    if total is not None and caps:
        total = min(total, *caps)
    return VisitScore(total, sections, items, uncapped, tuple(knocked_out))
