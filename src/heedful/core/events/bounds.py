"""How big and how deep one event's data may be: one bound for every way in (HTTP, file, stream).

A 300 MB event was accepted and stored, and one nesting 100,000 deep answered 500: every copy of
an event (inbox row, worker, logs) pays for its size, and every recursive reader for its depth.
Real events are a few hundred bytes and two or three levels deep.
"""

from __future__ import annotations

import json
from typing import Any

from heedful.core.events.fields import DataProblem

MAX_DATA_BYTES = 64 * 1024  # of `data` as compact JSON (ASCII, `\\u` escapes)
MAX_DATA_DEPTH = 32  # objects and arrays inside one another, `data` itself included

# The compact ASCII JSON of one character of text is at most 12 bytes (an emoji is a surrogate
# pair, `\\ud83d\\ude00`), of a float at most 24 and its comma; keys and punctuation are counted
# generously.
_WORST_PER_CHARACTER = 12
_SCALAR = 26
_ENCODE = json.JSONEncoder(separators=(",", ":"), check_circular=False).encode


def check_data_bounds(data: dict[str, Any]) -> None:
    """Raise ``DataProblem`` (field ``data``) when the data nests or weighs more than allowed.

    The usual event is flat and small: one loop over its values settles it. Nested data takes
    ``_walk``. Either gives an upper bound of the size; only data whose bound is over the limit
    (over about 5,000 characters of text) is encoded to measure it exactly.
    """
    # Characters, each worth at most 12 bytes of JSON; 3 per value (36 bytes) cover quotes,
    # separators and any float or integer up to 64 bits; a larger integer adds one per 32 bits.
    characters = sum(map(len, data)) + 3 * len(data) + 1
    for value in data.values():
        kind = type(value)
        if kind is str:
            characters += len(value)
        elif kind is dict or kind is list:
            _walk(data)
            return
        elif kind is int:
            characters += value.bit_length() >> 5
    if characters * _WORST_PER_CHARACTER > MAX_DATA_BYTES:
        _measure(data)


def _walk(data: dict[str, Any]) -> None:
    """Depth and an upper bound of the size in one breadth-first walk."""
    bound = 2
    depth = 1
    level: list[Any] = [data]
    while level:
        if depth > MAX_DATA_DEPTH:
            raise DataProblem(f"data nests deeper than {MAX_DATA_DEPTH} levels", "data")
        inner: list[Any] = []
        for container in level:
            if type(container) is dict:
                bound += (sum(map(len, container)) + 4 * len(container)) * _WORST_PER_CHARACTER
                container = container.values()  # noqa: PLW2901 - the keys are counted
            for value in container:
                kind = type(value)
                if kind is str:
                    bound += len(value) * _WORST_PER_CHARACTER + 4
                elif kind is dict or kind is list:
                    inner.append(value)
                    bound += 4
                elif kind is int:
                    bound += value.bit_length() // 3 + 4  # decimal digits, rounded up
                else:
                    bound += _SCALAR
        level = inner
        depth += 1
    if bound > MAX_DATA_BYTES:
        _measure(data)


def _measure(data: dict[str, Any]) -> None:
    if len(_ENCODE(data)) > MAX_DATA_BYTES:
        raise DataProblem(f"data is larger than {MAX_DATA_BYTES:,} bytes as JSON", "data")
