"""JSON as the database hands it over, read as ``json.loads`` reads it, faster (issue 18).

Every claimed event has three JSON columns and every promise two, most of them ``{}`` or
``null``: ``json.loads`` checks for white space around the text with a regular expression
before it parses, and that was half the cost of reading a row in issue 18's profile. Here the
commonest texts are answered at once and the rest scanned by the decoder's own scanner;
a document with white space around it, or none at all, goes to ``json.loads``, whose answer
(or error) stands.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

# The decoder's own scanner (made once, in C): what ``json.loads`` runs after its checks.
_scan_json: Callable[[str, int], tuple[Any, int]] = json.JSONDecoder().scan_once  # type: ignore[attr-defined]


def read_json(text: str | None) -> Any:
    """``json.loads(text)``; SQL's NULL (None) is None, as JSON's ``null`` is."""
    if text is None or text == "null":
        return None
    if text == "{}":
        return {}
    if text == "[]":
        return []
    try:
        found, end = _scan_json(text, 0)
    except StopIteration:
        return json.loads(text)
    return found if end == len(text) else json.loads(text)


def read_json_bytes(data: bytes | memoryview | str) -> Any:
    """``read_json`` for psycopg, which hands a JSON or JSONB value over as bytes (decoded as
    ``json.loads`` decodes UTF-8)."""
    text = data if isinstance(data, str) else bytes(data).decode("utf-8", "surrogatepass")
    return read_json(text)
