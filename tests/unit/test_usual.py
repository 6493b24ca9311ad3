"""The usual: habits inferred from history, shown with their evidence, fading when they change."""

from __future__ import annotations

from datetime import timedelta

from builders import T0, Shop, a_history_entry, a_stated_preference
from hypothesis import given
from hypothesis import strategies as st

from heedful.core.card import customer_card
from heedful.core.history.model import HistoryEntry
from heedful.core.preferences.model import Polarity
from heedful.core.preferences.usual import infer_usual


def _usual(shop: Shop, customer_id: str) -> dict[str, str]:
    card = customer_card(customer_id, shop.uow, shop.clock, shop.admin)
    return {u.attribute: u.value for u in card.usual}


def test_the_usual_is_inferred_from_repeated_choices_with_evidence(shop: Shop) -> None:
    anna = shop.customer()
    shop.purchase(anna, days_ago=90, drink="espresso")
    flat_whites = [
        shop.purchase(anna, days_ago=days, at=shop.kyiv, drink="flat white")
        for days in (28, 21, 14, 7)
    ]

    card = customer_card(anna.id, shop.uow, shop.clock, shop.admin)

    drink = next(u for u in card.usual if u.attribute == "drink")
    assert drink.value == "flat white"
    assert (drink.times, drink.out_of) == (4, 5)
    assert drink.evidence == tuple(e.id for e in reversed(flat_whites))  # most recent first
    assert drink.last_chosen_at == flat_whites[-1].occurred_at
    assert drink.location_id == shop.kyiv.id
    assert 0.5 <= drink.confidence < 1.0


def test_two_visits_are_not_a_habit(shop: Shop) -> None:
    anna = shop.customer()
    shop.purchase(anna, days_ago=7, drink="flat white")
    shop.purchase(anna, days_ago=1, drink="flat white")

    assert _usual(shop, anna.id) == {}


def test_the_usual_fades_when_the_habit_changes(shop: Shop) -> None:
    anna = shop.customer()
    for _ in range(5):
        shop.purchase(anna, drink="flat white")
        shop.clock.advance(timedelta(days=7))
    assert _usual(shop, anna.id) == {"drink": "flat white"}

    for _ in range(3):
        shop.purchase(anna, drink="matcha latte")
        shop.clock.advance(timedelta(days=7))
    assert "flat white" not in _usual(shop, anna.id).values()

    for _ in range(7):
        shop.purchase(anna, drink="matcha latte")
        shop.clock.advance(timedelta(days=7))
    assert _usual(shop, anna.id) == {"drink": "matcha latte"}


def test_a_habit_nobody_kept_for_years_is_no_longer_the_usual(shop: Shop) -> None:
    anna = shop.customer()
    for days in (3, 2, 1):
        shop.purchase(anna, days_ago=days, drink="flat white")

    shop.clock.advance(timedelta(days=3 * 365))

    assert _usual(shop, anna.id) == {}


def test_a_stated_never_is_never_shown_as_usual(shop: Shop) -> None:
    anna = shop.customer()
    for days in (9, 6, 3):
        shop.purchase(anna, days_ago=days, drink="Sparkling water")
    assert _usual(shop, anna.id) == {"drink": "Sparkling water"}

    shop.preference(anna, Polarity.NEVER, "sparkling water")

    assert _usual(shop, anna.id) == {}


def test_a_habit_the_customer_says_they_dislike_is_shown_with_a_warning(shop: Shop) -> None:
    anna = shop.customer()
    for days in (9, 6, 3):
        shop.purchase(anna, days_ago=days, dish="Olivier salad")
    shop.preference(anna, Polarity.DISLIKE, "olivier")

    card = customer_card(anna.id, shop.uow, shop.clock, shop.admin)

    assert [(u.value, u.conflicts_with_dislike) for u in card.usual] == [("Olivier salad", True)]


def test_choices_from_centuries_ago_are_no_habit_and_do_not_break_the_card() -> None:
    ancient = [a_history_entry(T0 - timedelta(days=120_000), drink="tea") for _ in range(3)]

    assert infer_usual(ancient, [], T0) == []


_choices = st.lists(
    st.tuples(
        st.floats(min_value=0, max_value=200_000, allow_nan=False),  # days ago, centuries included
        st.sampled_from(["drink", "size", "room_type"]),
        st.sampled_from(["tea", "flat white", "38", "M", "sea view", "Tea"]),
    ),
    max_size=40,
)


def _history(choices: list[tuple[float, str, str]]) -> list[HistoryEntry]:
    return [
        a_history_entry(T0 - timedelta(days=days), **{attribute: value})
        for days, attribute, value in choices
    ]


@given(_choices)
def test_the_usual_is_a_confident_reading_of_the_history_it_cites(
    choices: list[tuple[float, str, str]],
) -> None:
    history = _history(choices)
    ids = {entry.id for entry in history}

    found = infer_usual(history, [], T0)

    for usual in found:
        assert 0.0 <= usual.confidence <= 1.0
        assert set(usual.evidence) <= ids
        assert usual.times >= 3
    for usual in found:
        never = a_stated_preference(Polarity.NEVER, usual.value)
        assert usual.value not in {u.value for u in infer_usual(history, [never], T0)}
