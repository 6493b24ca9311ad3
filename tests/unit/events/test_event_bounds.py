"""One event's data has a bounded depth and size, whichever way it came in."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from heedful.core.events.bounds import MAX_DATA_BYTES, MAX_DATA_DEPTH, check_data_bounds
from heedful.core.events.cloudevents import InvalidEvent, parse_event
from heedful.core.events.fields import DataProblem
from heedful.entrypoints.body_limits import MAX_JSON_DEPTH, too_deep


def event(**data: Any) -> dict[str, Any]:
    return {
        "specversion": "1.0",
        "id": "e-1",
        "source": "urn:shop",
        "type": "heedful.stock.changed",
        "data": {"product": "bag-noir", "location": "loc_kyiv", "quantity": 2, **data},
    }


def nest(depth: int) -> Any:
    value: Any = 1
    for level in range(depth):
        value = [value] if level % 2 else {"k": value}
    return value


def test_data_as_deep_as_the_bound_is_stored_one_level_more_is_refused() -> None:
    parse_event(event(tags=nest(MAX_DATA_DEPTH - 1)))
    with pytest.raises(InvalidEvent) as refused:
        parse_event(event(tags=nest(MAX_DATA_DEPTH)))
    assert refused.value.field == "data"
    assert "deeper than 32 levels" in refused.value.reason


def test_data_up_to_64_kib_as_json_is_stored_a_byte_more_is_refused() -> None:
    data = event()["data"]
    room = MAX_DATA_BYTES - len(json.dumps({**data, "note": ""}, separators=(",", ":")))
    parse_event(event(note="x" * room))
    with pytest.raises(InvalidEvent) as refused:
        parse_event(event(note="x" * (room + 1)))
    assert refused.value.field == "data"
    assert "65,536 bytes" in refused.value.reason


def test_text_that_grows_when_escaped_is_measured_as_sent() -> None:
    with pytest.raises(InvalidEvent):
        parse_event(event(note="😀" * (MAX_DATA_BYTES // 12 + 1)))  # \ud83d\ude00 each
    parse_event(event(note="😀" * (MAX_DATA_BYTES // 12 - 10)))


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(), children),
    max_leaves=60,
)


@given(st.dictionaries(st.text(max_size=5), json_values, max_size=5), st.integers(0, 200))
def test_the_quick_size_bound_never_lets_through_what_the_exact_size_refuses(
    data: dict[str, Any], padding: int
) -> None:
    data["note"] = "😀é\x01x" * (padding * 100)
    exact = len(json.dumps(data, separators=(",", ":")))
    refusal: str | None = None
    try:
        check_data_bounds(data)
    except DataProblem as problem:
        refusal = problem.reason
    assert (refusal is not None) == (exact > MAX_DATA_BYTES or depth_of(data) > MAX_DATA_DEPTH)


def depth_of(value: Any) -> int:
    if isinstance(value, dict):
        return 1 + max((depth_of(v) for v in value.values()), default=0)
    if isinstance(value, list):
        return 1 + max((depth_of(v) for v in value), default=0)
    return 0


@given(json_values)
def test_the_byte_count_of_nesting_agrees_with_the_decoded_value(value: Any) -> None:
    body = json.dumps(value).encode()
    for limit in (0, 1, 2, 3):
        assert too_deep(body, limit) == (depth_of(value) > limit)


def test_brackets_in_text_are_not_nesting() -> None:
    assert not too_deep(json.dumps({"note": "[{" * 1000 + '\\"]'}).encode())
    assert too_deep(("[" * (MAX_JSON_DEPTH + 1) + "]" * (MAX_JSON_DEPTH + 1)).encode())
    assert not too_deep(("[" * MAX_JSON_DEPTH + "]" * MAX_JSON_DEPTH).encode())
