"""Churn risk per customer: recency, frequency, money and recent emotion, with the reasons.

The score (0–100) is a weighted sum of four parts, each in [0, 1] (docs/cx-index.md):

- recency: days since the last purchase or visit, over 180 (capped at 1);
- frequency: 1 − purchases and visits in the last 365 days over 6 (capped);
- money: 1 − spend in the last 365 days over the median spend of active customers (capped);
- emotion: 1 − the mean emotion of her answers in the last 90 days (left out when none).

Weights 0.4 / 0.2 / 0.15 / 0.25, re-weighted over the parts present. A reason is shown for each
part that crosses its line, strongest first, so staff see why and not only how much.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

FORMULA_VERSION = "churn-1"
WEIGHTS = {"recency": 0.4, "frequency": 0.2, "money": 0.15, "emotion": 0.25}
RECENCY_FULL_DAYS = 180
FREQUENT = 6
EMOTION_DAYS = 90


@dataclass(frozen=True)
class Activity:
    """What the history and the answers say of one customer, as of ``now``."""

    customer_id: str
    last_seen_at: datetime | None
    visits_and_purchases_365: int
    spend_365_minor: int
    recent_emotion: float | None  # mean over the last 90 days' answers, in [0, 1]
    recent_answers: int = 0


@dataclass(frozen=True)
class Reason:
    code: str  # "not_seen", "rare", "low_spend", "unhappy"
    weight: float  # its share of the score, for ordering
    values: dict[str, Any]


@dataclass
class ChurnRisk:
    customer_id: str
    score: int
    reasons: tuple[Reason, ...]
    inputs: dict[str, Any]
    formula_version: str
    computed_at: datetime


def assess(activity: Activity, median_spend_minor: int, now: datetime) -> ChurnRisk:
    parts: dict[str, float] = {}
    days = None
    if activity.last_seen_at is not None:
        days = max(0, (now - activity.last_seen_at).days)
        parts["recency"] = min(days / RECENCY_FULL_DAYS, 1.0)
    else:
        parts["recency"] = 1.0
    parts["frequency"] = 1 - min(activity.visits_and_purchases_365 / FREQUENT, 1.0)
    if median_spend_minor > 0:
        parts["money"] = 1 - min(activity.spend_365_minor / median_spend_minor, 1.0)
    if activity.recent_emotion is not None:
        parts["emotion"] = 1 - activity.recent_emotion
    total_weight = sum(WEIGHTS[name] for name in parts)
    weighted = {name: WEIGHTS[name] * value / total_weight for name, value in parts.items()}
    score = round(100 * sum(weighted.values()))
    reasons: list[Reason] = []
    if days is None or days >= 60:
        reasons.append(Reason("not_seen", weighted["recency"], {"days": days}))
    if activity.visits_and_purchases_365 <= 2:
        count = activity.visits_and_purchases_365
        reasons.append(Reason("rare", weighted["frequency"], {"count": count}))
    if "money" in parts and activity.spend_365_minor * 2 < median_spend_minor:
        spend = activity.spend_365_minor
        reasons.append(Reason("low_spend", weighted["money"], {"spend_minor": spend}))
    if activity.recent_emotion is not None and activity.recent_emotion < 0.5:
        emotion = round(activity.recent_emotion, 2)
        reasons.append(Reason("unhappy", weighted["emotion"], {"emotion": emotion}))
    reasons.sort(key=lambda reason: -reason.weight)
    inputs = {
        "last_seen_at": activity.last_seen_at.isoformat() if activity.last_seen_at else None,
        "visits_and_purchases_365": activity.visits_and_purchases_365,
        "spend_365_minor": activity.spend_365_minor,
        "recent_emotion": activity.recent_emotion,
        "recent_answers": activity.recent_answers,
        "median_spend_minor": median_spend_minor,
        "as_of": now.isoformat(),
    }
    return ChurnRisk(activity.customer_id, score, tuple(reasons), inputs, FORMULA_VERSION, now)


def median(values: list[int]) -> int:
    if not values:
        return 0
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) // 2
