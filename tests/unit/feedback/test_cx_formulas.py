"""The CX index's two formulas on their own: what each touchpoint reads, and entries not lines."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from heedful.core.feedback.cx_index import (
    HistoryLine,
    Inputs,
    PurchaseFact,
    from_inputs,
    gather,
    gather_history,
    history_read,
)
from heedful.core.history.model import HistoryKind

AT = datetime(2026, 3, 2, 12, tzinfo=UTC)
PURCHASE, VISIT = HistoryKind.PURCHASE, HistoryKind.VISIT


def line(
    entry: str, kind: HistoryKind, customer: str, quantity: int = 1, rating: int | None = None
) -> HistoryLine:
    return HistoryLine(entry, kind, PurchaseFact(customer, AT, quantity, rating))


@pytest.mark.parametrize(
    ("touchpoint", "reads"),
    [
        ("purchase", {PURCHASE}),
        ("stay", {VISIT}),
        ("visit", {VISIT}),
        ("conversation", {PURCHASE, VISIT}),
        ("delivery", {PURCHASE, VISIT}),
        ("other", {PURCHASE, VISIT}),
        ("", {PURCHASE, VISIT}),
    ],
)
def test_each_touchpoint_reads_the_history_it_plainly_maps_to(
    touchpoint: str, reads: set[HistoryKind]
) -> None:
    assert history_read(touchpoint) == reads


def test_a_stay_of_two_lines_is_one_stay_and_a_guest_with_one_stay_has_not_come_back() -> None:
    room_and_breakfast = [line("f1", VISIT, "anna", 2, 4), line("f1", VISIT, "anna", 2, 5)]
    inputs = gather_history([], room_and_breakfast, set())
    assert (inputs.visits, inputs.customers, inputs.repeat_customers) == (1, 1, 0)
    assert (inputs.ratings, inputs.rating_sum, inputs.units_bought) == (2, 9, 0)
    # cx-1 read the same two lines of one receipt as two purchases, hence a repeat.
    facts = [one.fact for one in room_and_breakfast]
    assert gather([], facts, set()).repeat_buyers == 1


def test_a_receipt_of_returns_only_is_neither_a_purchase_nor_a_customer() -> None:
    lines = [line("r1", PURCHASE, "bo", 2), line("r2", PURCHASE, "bo", -1), line("v1", VISIT, "cy")]
    inputs = gather_history([], lines, {"cy"})
    assert (inputs.purchases, inputs.visits) == (1, 1)
    assert (inputs.units_bought, inputs.units_returned) == (2, 1)
    assert (inputs.customers, inputs.repeat_customers) == (2, 1)
    _, _, product = from_inputs(inputs)
    assert product == pytest.approx(0.5 * 0.5 + 0.5 * 0.5)  # kept 1/2, repeat 1/2


@pytest.mark.parametrize("version", ["cx-1", "cx-2"])
def test_stored_inputs_of_either_version_give_the_same_value_back(version: str) -> None:
    lines = [line("r1", PURCHASE, "bo", 1, 5), line("r2", PURCHASE, "bo", 1), line("v", VISIT, "a")]
    if version == "cx-1":
        inputs = gather([], [one.fact for one in lines if one.kind is PURCHASE], set())
    else:
        inputs = gather_history([], lines, set())
    inputs.answers, inputs.emotion_sum = 2, 1.25
    stored = inputs.as_json()
    assert Inputs.from_json(stored, version).as_json() == stored
    assert from_inputs(Inputs.from_json(stored, version)) == from_inputs(inputs)
