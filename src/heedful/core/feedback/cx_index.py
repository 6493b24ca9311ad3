"""The CX index: customer emotion × product value, 0–100, per cell and period (docs/cx-index.md).

A value is computed from its inputs alone (``from_inputs``), and the inputs are stored with it,
so recomputing a stored value gives the same number; ``FORMULA_VERSION`` changes whenever the
formula does, and values of different versions are never compared.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from heedful.core.feedback.model import SCALE, SurveyAnswer

FORMULA_VERSION = "cx-1"
# How a comment weighs against the score it came with, in one answer's emotion.
SCORE_WEIGHT, TEXT_WEIGHT = 0.7, 0.3
# Product value components and their weights; missing components drop out and the rest are
# re-weighted, so a shop that sends no ratings is judged on returns and repeat purchase.
PRODUCT_WEIGHTS = {"rating": 0.4, "kept": 0.3, "repeat": 0.3}
# A buyer "repeats" when she also bought in this window before the period (or twice in it).
REPEAT_LOOKBACK = timedelta(days=180)
ALL = ""  # the cell's "every touchpoint / location / segment"


@dataclass(frozen=True)
class PurchaseFact:
    """One purchase line, as the index reads it from the history."""

    customer_id: str
    occurred_at: datetime
    quantity: int  # negative: a returned item (a return receipt line)
    rating: int | None = None  # the item's "rating" attribute, 1–5, when the shop sends one


@dataclass(frozen=True)
class Cell:
    period_start: datetime
    period_end: datetime  # exclusive
    touchpoint: str = ALL
    location_id: str = ALL
    segment: str = ALL


@dataclass
class CxValue:
    id: str
    cell: Cell
    value: float | None  # None when either factor has nothing to go on
    emotion: float | None
    product_value: float | None
    formula_version: str
    inputs: dict[str, Any]
    computed_at: datetime
    previous_value: float | None = None

    @property
    def trend(self) -> float | None:
        if self.value is None or self.previous_value is None:
            return None
        return round(self.value - self.previous_value, 1)


def answer_emotion(answer: SurveyAnswer) -> float:
    """One answer's emotion in [0, 1]: its score on its scale, blended with its comment's tone."""
    low, high = SCALE[answer.kind]
    from_score = (answer.score - low) / (high - low)
    if answer.sentiment_score is None:
        return from_score
    from_text = (answer.sentiment_score + 1) / 2
    return SCORE_WEIGHT * from_score + TEXT_WEIGHT * from_text


@dataclass
class Inputs:
    """The sums the formula reads; stored as JSON beside the value."""

    answers: int = 0
    emotion_sum: float = 0.0
    ratings: int = 0
    rating_sum: int = 0
    units_bought: int = 0
    units_returned: int = 0
    buyers: int = 0
    repeat_buyers: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {
            "answers": self.answers,
            "emotion_sum": self.emotion_sum,
            "ratings": self.ratings,
            "rating_sum": self.rating_sum,
            "units_bought": self.units_bought,
            "units_returned": self.units_returned,
            "buyers": self.buyers,
            "repeat_buyers": self.repeat_buyers,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Inputs:
        return cls(
            answers=int(data["answers"]),
            emotion_sum=float(data["emotion_sum"]),
            ratings=int(data["ratings"]),
            rating_sum=int(data["rating_sum"]),
            units_bought=int(data["units_bought"]),
            units_returned=int(data["units_returned"]),
            buyers=int(data["buyers"]),
            repeat_buyers=int(data["repeat_buyers"]),
        )


def gather(
    answers: Iterable[SurveyAnswer],
    purchases: Iterable[PurchaseFact],
    earlier_buyers: set[str],
) -> Inputs:
    """The inputs of one cell. Answers are summed in id order so floats add up the same way."""
    inputs = Inputs()
    for answer in sorted(answers, key=lambda a: a.id):
        inputs.answers += 1
        inputs.emotion_sum += answer_emotion(answer)
    purchases_of: dict[str, int] = {}
    for fact in purchases:
        if fact.quantity < 0:
            inputs.units_returned += -fact.quantity
            continue
        inputs.units_bought += fact.quantity
        purchases_of[fact.customer_id] = purchases_of.get(fact.customer_id, 0) + 1
        if fact.rating is not None and 1 <= fact.rating <= 5:
            inputs.ratings += 1
            inputs.rating_sum += fact.rating
    inputs.buyers = len(purchases_of)
    inputs.repeat_buyers = sum(
        1 for customer, lines in purchases_of.items() if lines > 1 or customer in earlier_buyers
    )
    return inputs


def product_components(inputs: Inputs) -> dict[str, float]:
    components: dict[str, float] = {}
    if inputs.ratings:
        components["rating"] = (inputs.rating_sum / inputs.ratings - 1) / 4
    if inputs.units_bought:
        components["kept"] = max(0.0, 1 - inputs.units_returned / inputs.units_bought)
    if inputs.buyers:
        components["repeat"] = inputs.repeat_buyers / inputs.buyers
    return components


def from_inputs(inputs: Inputs) -> tuple[float | None, float | None, float | None]:
    """(index, emotion, product value) from the inputs alone, rounded as stored."""
    emotion = inputs.emotion_sum / inputs.answers if inputs.answers else None
    components = product_components(inputs)
    product: float | None = None
    if components:
        weight = sum(PRODUCT_WEIGHTS[name] for name in components)
        product = sum(PRODUCT_WEIGHTS[name] * v for name, v in components.items()) / weight
    if emotion is None or product is None:
        return None, _r(emotion, 4), _r(product, 4)
    return round(100 * emotion * product, 1), _r(emotion, 4), _r(product, 4)


def _r(value: float | None, places: int) -> float | None:
    return None if value is None else round(value, places)


def previous_cell(cell: Cell) -> Cell:
    length = cell.period_end - cell.period_start
    return Cell(
        cell.period_start - length,
        cell.period_start,
        cell.touchpoint,
        cell.location_id,
        cell.segment,
    )
