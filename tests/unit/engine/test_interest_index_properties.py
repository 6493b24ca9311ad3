"""The index answers exactly what checking every interest one by one would, in the same order,
however interests come and go."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from heedful.core.interests import Bound, Interest, InterestIndex, naive_match

EVENT_TYPES = ("heedful.stock.changed", "heedful.price.changed")
EQUAL_FIELDS = ("product", "size", "location")
RANGE_FIELDS = ("price", "quantity", "size")  # "size" is text in events: bounds on it never hold
# Few values, so that interests collide, share buckets and sit exactly on each other's bounds;
# events mostly carry values someone asked for, sometimes ones that only look alike.
INTEREST_VALUES: st.SearchStrategy[str | int] = st.sampled_from(["a", "b", 1])
BOUND_VALUES = st.sampled_from([0, 1, 1.5, 2, float("inf"), float("-inf")])
EQUAL_VALUES = st.one_of(INTEREST_VALUES, st.sampled_from([1.0, True, "1", None, ("a",)]))
RANGE_VALUES = st.one_of(
    BOUND_VALUES,
    st.sampled_from([1.0, 2.0, -3, 0.5, float("nan"), "1", None, True, False]),
)
UNHASHABLE = ["a"]  # can be no bucket's key

bounds = st.builds(
    Bound,
    field=st.sampled_from(RANGE_FIELDS),
    op=st.sampled_from(["<", "<=", ">", ">="]),
    value=BOUND_VALUES,
)


@st.composite
def interests(draw: st.DrawFn, number: int) -> Interest:
    return Interest(
        id=f"int_{number}",
        event_type=draw(st.sampled_from(EVENT_TYPES)),
        equals=draw(st.dictionaries(st.sampled_from(EQUAL_FIELDS), INTEREST_VALUES, max_size=3)),
        ranges=tuple(draw(st.lists(bounds, max_size=3))),
        owner=f"promise:prm_{number}",
        created_seq=draw(st.integers(0, 5)),  # ties on purpose: the id settles them
    )


@st.composite
def events(draw: st.DrawFn, standing: list[Interest]) -> tuple[str, dict[str, object]]:
    """Half the time an event made for a standing interest (its values, its bounds exactly),
    then nudged: a field dropped or changed. Random events alone rarely meet anyone."""
    attributes: dict[str, object] = {}
    event_type = draw(st.sampled_from((*EVENT_TYPES, "heedful.order.placed")))
    made_for_someone: bool = draw(st.booleans())
    if standing and made_for_someone:
        made_for = draw(st.sampled_from(standing))
        event_type = made_for.event_type
        attributes.update(made_for.equals)
        attributes.update({bound.field: bound.value for bound in made_for.ranges})
        nudges = draw(st.integers(0, 2))
    else:
        nudges = draw(st.integers(0, 6))
    for _ in range(nudges):
        name = draw(st.sampled_from(EQUAL_FIELDS + RANGE_FIELDS))
        kind = draw(st.integers(0, 5))
        if kind == 0:
            attributes.pop(name, None)
        elif kind == 1:
            attributes[name] = UNHASHABLE
        elif kind <= 3:
            attributes[name] = draw(EQUAL_VALUES)
        else:
            attributes[name] = draw(RANGE_VALUES)
    return event_type, attributes


@st.composite
def histories(draw: st.DrawFn) -> list[tuple[str, Any]]:
    """Interests added, removed and events matched, interleaved."""
    steps: list[tuple[str, Any]] = []
    live: list[Interest] = []
    for number in range(draw(st.integers(0, 20))):
        action = draw(st.sampled_from(["add", "add", "remove", "match"]))
        if action == "remove" and live:
            steps.append(("remove", live.pop(draw(st.integers(0, len(live) - 1))).id))
        elif action == "match":
            steps.append(("match", draw(events(live))))
        else:
            interest = draw(interests(number))
            live.append(interest)
            steps.append(("add", interest))
    steps.extend(("match", draw(events(live))) for _ in range(draw(st.integers(1, 5))))
    return steps


@settings(max_examples=200, deadline=None)
@given(histories())
def test_the_index_agrees_with_checking_every_interest(history: list[tuple[str, Any]]) -> None:
    index = InterestIndex()
    standing: dict[str, Interest] = {}
    for action, argument in history:
        if action == "add":
            index.add(argument)
            standing[argument.id] = argument
        elif action == "remove":
            assert index.remove(argument) == standing.pop(argument)
        else:
            event_type, attributes = argument
            assert index.match(event_type, attributes) == naive_match(
                standing.values(), event_type, attributes
            )
    assert len(index) == len(standing)


@given(st.lists(st.integers(0, 20), max_size=30), st.sampled_from([0, 10, 20]))
def test_removing_everyone_leaves_no_shapes(prices: list[int], price: int) -> None:
    index = InterestIndex(
        Interest(
            id=f"int_{n}",
            event_type="heedful.price.changed",
            equals={"product": "p1"} if n % 2 else {},
            ranges=(Bound("price", "<=" if n % 3 else ">", value),),
            owner="playbook:pbk_1",
            created_seq=n,
        )
        for n, value in enumerate(prices)
    )
    for n in range(len(prices)):
        index.remove(f"int_{n}")

    assert index.shapes_watching("heedful.price.changed") == 0
    assert index.match("heedful.price.changed", {"product": "p1", "price": price}) == []
