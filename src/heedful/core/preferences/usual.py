""" "The usual": the habit a customer keeps without saying so, inferred from history.

A waiter who brings "the usual" unasked (seed 004) remembers what a guest keeps choosing and notices
when that changes. We do the same with recency weighting in two parts. By rank: the n-th most recent
purchase or visit counts ``0.5 ** (n / RANK_HALF_LIFE)``, so after a few visits with a new choice
the old habit gives way, whether the customer comes daily (a coffee) or twice a year (a hotel).
By age: ``0.5 ** (days / HALF_LIFE_DAYS)``, so the habit of a customer who stopped coming fades too.
A stated "never" always wins: an inferred habit that matches it is not shown as usual.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from heedful.core.customers import fold
from heedful.core.history import HABIT_ATTRIBUTES, HistoryEntry
from heedful.core.preferences.model import Polarity, Preference

HALF_LIFE_DAYS = 365.0
RANK_HALF_LIFE = 6.0
MIN_TIMES = 3  # three times is a habit; twice is a coincidence
MIN_CONFIDENCE = 0.5
# How many weighted occurrences make us half-sure, before the share is applied.
_SATURATION = 1.0
EVIDENCE_SHOWN = 5


@dataclass(frozen=True)
class Usual:
    attribute: str  # "drink", "size", "room_type"...
    value: str
    confidence: float  # 0..1
    times: int  # how many of the considered entries chose it
    out_of: int  # how many considered entries had this attribute at all
    last_chosen_at: datetime
    evidence: tuple[str, ...]  # history entry ids, most recent first
    location_id: str | None  # where it was chosen most recently
    conflicts_with_dislike: bool = False


def _weight(rank: int, age_days: float, half_life_days: float) -> float:
    return float(0.5 ** (rank / RANK_HALF_LIFE) * 0.5 ** (max(age_days, 0.0) / half_life_days))


def _matches(value: str, subject: str) -> bool:
    a, b = fold(value), fold(subject)
    return a == b or (len(a) >= 3 and a in b) or (len(b) >= 3 and b in a)


def infer_usual(
    history: Sequence[HistoryEntry],
    preferences: Iterable[Preference],
    now: datetime,
    *,
    half_life_days: float = HALF_LIFE_DAYS,
) -> list[Usual]:
    """The habits worth showing on the card, strongest first."""
    standing = [p for p in preferences if p.is_standing]
    nevers = [p.subject for p in standing if p.polarity is Polarity.NEVER]
    dislikes = [p.subject for p in standing if p.polarity is Polarity.DISLIKE]

    # attribute -> value -> [(weight, entry)]; one vote per entry per value, however many units.
    votes: dict[str, dict[str, list[tuple[float, HistoryEntry]]]] = defaultdict(
        lambda: defaultdict(list)
    )
    totals: dict[str, float] = defaultdict(float)
    counts: dict[str, int] = defaultdict(int)
    newest_first = sorted(history, key=lambda e: (e.occurred_at, e.id), reverse=True)
    for rank, entry in enumerate(newest_first):
        weight = _weight(rank, (now - entry.occurred_at).total_seconds() / 86400, half_life_days)
        seen: dict[str, set[str]] = defaultdict(set)
        for item in entry.items:
            for attribute, raw in item.attributes.items():
                value = " ".join(str(raw).split())
                if attribute in HABIT_ATTRIBUTES and value:
                    seen[attribute].add(value)
        for attribute, values in seen.items():
            totals[attribute] += weight
            counts[attribute] += 1
            for value in values:
                votes[attribute][value].append((weight, entry))

    found: list[Usual] = []
    for attribute, by_value in votes.items():
        for value, chosen in by_value.items():
            if len(chosen) < MIN_TIMES or any(_matches(value, never) for never in nevers):
                continue
            weighted = sum(w for w, _ in chosen)
            if weighted <= 0.0:
                # Choices centuries old weigh less than the smallest float: no habit, and no
                # division by a zero total.
                continue
            share = weighted / totals[attribute]
            confidence = share * weighted / (weighted + _SATURATION)
            if confidence < MIN_CONFIDENCE:
                continue
            recent = sorted((e for _, e in chosen), key=lambda e: e.occurred_at, reverse=True)
            found.append(
                Usual(
                    attribute=attribute,
                    value=value,
                    confidence=round(confidence, 3),
                    times=len(chosen),
                    out_of=counts[attribute],
                    last_chosen_at=recent[0].occurred_at,
                    evidence=tuple(e.id for e in recent[:EVIDENCE_SHOWN]),
                    location_id=recent[0].location_id,
                    conflicts_with_dislike=any(_matches(value, d) for d in dislikes),
                )
            )
    return sorted(found, key=lambda u: (-u.confidence, u.attribute, u.value))
