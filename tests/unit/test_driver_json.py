"""A JSON column read on the driver's cursor gives what ``json.loads`` gives, or its error
(``driver_statements.read_json``: the batch's claim and its waiting lines, issue 18)."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from heedful.adapters.storage.driver_statements import read_json

scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text()
documents = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


@given(documents, st.sampled_from([None, (",", ":"), (", ", ": ")]), st.booleans())
def test_any_document_reads_as_json_loads_reads_it(
    value: Any, separators: tuple[str, str] | None, ascii_only: bool
) -> None:
    text = json.dumps(value, separators=separators, ensure_ascii=ascii_only)
    assert read_json(text) == json.loads(text)


@pytest.mark.parametrize("text", ["{}", "[]", "null", ' {"a": 1}', '{"a": 1}\n', "12", '"x"'])
def test_the_commonest_and_the_padded_read_alike(text: str) -> None:
    assert read_json(text) == json.loads(text)


def test_an_empty_object_read_is_a_new_one_each_time() -> None:
    first = read_json("{}")
    first["changed"] = True
    assert read_json("{}") == {}


def test_a_sql_null_reads_as_none() -> None:
    assert read_json(None) is None


def test_numbers_json_loads_accepts_read_alike() -> None:
    assert math.isnan(read_json("NaN"))
    assert read_json("12345678901234567890123") == 12345678901234567890123


@pytest.mark.parametrize("text", ["", " ", "{", '{"a": 1} x', "\ufeff{}", "nul", "[1,]"])
def test_what_json_loads_refuses_is_refused_the_same_way(text: str) -> None:
    with pytest.raises(json.JSONDecodeError) as expected:
        json.loads(text)
    with pytest.raises(json.JSONDecodeError) as found:
        read_json(text)
    assert str(found.value) == str(expected.value)
