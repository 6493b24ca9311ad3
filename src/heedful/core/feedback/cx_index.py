"""The CX index: customer emotion × product value, 0–100, per cell and period (docs/cx-index.md).

A value is computed from its inputs alone (``from_inputs``), and the inputs are stored with it,
so recomputing a stored value gives the same number; ``FORMULA_VERSION`` changes whenever the
formula does, and values of different versions are never compared. Every version ever stored
stays computable (``FORMULAS``): ``cx-1`` read product value from purchases only; ``cx-2`` reads
visits too, because a hotel, a restaurant and a bank sell stays, dinners and services.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from heedful.core.feedback.model import SCALE, SurveyAnswer, Touchpoint
from heedful.core.history import HistoryKind

CX_1, CX_2 = "cx-1", "cx-2"
FORMULA_VERSION = CX_2  # what is stored from now on
FORMULAS = (CX_1, CX_2)
# How a comment weighs against the score it came with, in one answer's emotion.
SCORE_WEIGHT, TEXT_WEIGHT = 0.7, 0.3
# Product value components and their weights; missing components drop out and the rest are
# re-weighted, so a shop that sends no ratings is judged on returns and repeat purchase.
PRODUCT_WEIGHTS = {"rating": 0.4, "kept": 0.3, "repeat": 0.3}
# A buyer "repeats" when she also bought in this window before the period (or twice in it).
REPEAT_LOOKBACK = timedelta(days=180)
ALL = ""  # the cell's "every touchpoint / location / segment"
BOTH = frozenset({HistoryKind.PURCHASE, HistoryKind.VISIT})


def history_read(touchpoint: str) -> frozenset[HistoryKind]:
    """Which history cx-2 reads for a cell's touchpoint.

    A purchase is judged on purchases and a stay or a visit on visits, where the mapping is plain;
    a conversation or a delivery is about whatever the customer bought or did, and the history
    does not say which, so those (and "every touchpoint") read both.
    """
    if touchpoint == Touchpoint.PURCHASE:
        return frozenset({HistoryKind.PURCHASE})
    if touchpoint in (Touchpoint.STAY, Touchpoint.VISIT):
        return frozenset({HistoryKind.VISIT})
    return BOTH


@dataclass(frozen=True)
class PurchaseFact:
    """One purchase line, as the index reads it from the history."""

    customer_id: str
    occurred_at: datetime
    quantity: int  # negative: a returned item (a return receipt line)
    rating: int | None = None  # the item's "rating" attribute, 1–5, when the shop sends one


@dataclass(frozen=True)
class HistoryLine:
    """One line of a purchase or a visit, as cx-2 reads it: lines of one entry share its id."""

    entry_id: str
    kind: HistoryKind
    fact: PurchaseFact


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


# The stored inputs of each version, in the order they are stored.
_KEYS = {
    CX_1: (
        "answers",
        "emotion_sum",
        "ratings",
        "rating_sum",
        "units_bought",
        "units_returned",
        "buyers",
        "repeat_buyers",
    ),
    CX_2: (
        "answers",
        "emotion_sum",
        "ratings",
        "rating_sum",
        "units_bought",
        "units_returned",
        "purchases",
        "visits",
        "customers",
        "repeat_customers",
    ),
}


@dataclass
class Inputs:
    """The sums the formula reads; stored as JSON beside the value, with its version's keys."""

    version: str = FORMULA_VERSION
    answers: int = 0
    emotion_sum: float = 0.0
    ratings: int = 0
    rating_sum: int = 0
    units_bought: int = 0
    units_returned: int = 0
    # cx-1: customers with a purchase line, and those of them who bought again.
    buyers: int = 0
    repeat_buyers: int = 0
    # cx-2: receipts that bought something (not only returns), visits, and the customers with
    # either, and those of them who came back.
    purchases: int = 0
    visits: int = 0
    customers: int = 0
    repeat_customers: int = 0

    def as_json(self) -> dict[str, Any]:
        return {key: getattr(self, key) for key in _KEYS[self.version]}

    @classmethod
    def from_json(cls, data: Mapping[str, Any], version: str = FORMULA_VERSION) -> Inputs:
        inputs = cls(version=version)
        for key in _KEYS[version]:
            setattr(inputs, key, float(data[key]) if key == "emotion_sum" else int(data[key]))
        return inputs


def _add_answers(inputs: Inputs, answers: Iterable[SurveyAnswer]) -> None:
    """Answers are summed in id order so floats add up the same way every time."""
    for answer in sorted(answers, key=lambda a: a.id):
        inputs.answers += 1
        inputs.emotion_sum += answer_emotion(answer)


def _add_rating(inputs: Inputs, fact: PurchaseFact) -> None:
    if fact.rating is not None and 1 <= fact.rating <= 5:
        inputs.ratings += 1
        inputs.rating_sum += fact.rating


def gather(
    answers: Iterable[SurveyAnswer],
    purchases: Iterable[PurchaseFact],
    earlier_buyers: set[str],
) -> Inputs:
    """The cx-1 inputs of one cell: purchase lines only; two lines of one receipt repeat."""
    inputs = Inputs(version=CX_1)
    _add_answers(inputs, answers)
    purchases_of: dict[str, int] = {}
    for fact in purchases:
        if fact.quantity < 0:
            inputs.units_returned += -fact.quantity
            continue
        inputs.units_bought += fact.quantity
        purchases_of[fact.customer_id] = purchases_of.get(fact.customer_id, 0) + 1
        _add_rating(inputs, fact)
    inputs.buyers = len(purchases_of)
    inputs.repeat_buyers = sum(
        1 for customer, lines in purchases_of.items() if lines > 1 or customer in earlier_buyers
    )
    return inputs


def entries_of(lines: Iterable[HistoryLine]) -> dict[str, set[str]]:
    """Each customer's purchases and visits that count (a receipt of returns only does not)."""
    found: dict[str, set[str]] = {}
    for line in lines:
        if line.kind is HistoryKind.PURCHASE and line.fact.quantity < 0:
            continue
        found.setdefault(line.fact.customer_id, set()).add(line.entry_id)
    return found


def gather_history(
    answers: Iterable[SurveyAnswer],
    lines: Iterable[HistoryLine],
    earlier_customers: set[str],
) -> Inputs:
    """The cx-2 inputs of one cell, from the lines of its purchases and visits.

    A customer repeats with two purchases or visits in the period (entries, not lines: a stay's
    room and breakfast are one stay) or one at the same place in the lookback before it.
    Returns are read from purchases only; a visit's line is never a return.
    """
    inputs = Inputs(version=CX_2)
    _add_answers(inputs, answers)
    lines = list(lines)
    purchases, visits = set[str](), set[str]()
    for line in lines:
        if line.kind is HistoryKind.PURCHASE:
            if line.fact.quantity < 0:
                inputs.units_returned += -line.fact.quantity
                continue
            inputs.units_bought += line.fact.quantity
            purchases.add(line.entry_id)
        else:
            visits.add(line.entry_id)
        _add_rating(inputs, line.fact)
    inputs.purchases, inputs.visits = len(purchases), len(visits)
    seen = entries_of(lines)
    inputs.customers = len(seen)
    inputs.repeat_customers = sum(
        1 for customer, entries in seen.items() if len(entries) > 1 or customer in earlier_customers
    )
    return inputs


def product_components(inputs: Inputs) -> dict[str, float]:
    components: dict[str, float] = {}
    if inputs.ratings:
        components["rating"] = (inputs.rating_sum / inputs.ratings - 1) / 4
    if inputs.units_bought:
        components["kept"] = max(0.0, 1 - inputs.units_returned / inputs.units_bought)
    if inputs.version == CX_1:
        people, repeating = inputs.buyers, inputs.repeat_buyers
    else:
        people, repeating = inputs.customers, inputs.repeat_customers
    if people:
        components["repeat"] = repeating / people
    return components


def from_inputs(inputs: Inputs) -> tuple[float | None, float | None, float | None]:
    """(index, emotion, product value) from the inputs alone by their version, as stored."""
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
