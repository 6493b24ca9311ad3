"""A business's own event type as the vocabulary tests register it, through the core or the API."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from heedful.core.events.vocabulary import use_custom_types

# A restaurant's POS reports a table turned: seated to paid, in minutes.
TABLE_TURNED_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["location", "table", "minutes"],
    "properties": {
        "location": {"type": "string"},
        "table": {"type": "string", "maxLength": 5},
        "minutes": {"type": "integer", "minimum": 0},
    },
}


def event(event_id: str, type_name: str, data: dict[str, Any]) -> dict[str, Any]:
    """A CloudEvent from the POS."""
    return {
        "specversion": "1.0",
        "id": event_id,
        "source": "urn:pos",
        "type": type_name,
        "data": data,
    }


@pytest.fixture(autouse=True)
def _no_custom_types_left() -> Iterator[None]:
    # The registered types are process-wide: a test's own must not reach the next test.
    use_custom_types([])
    yield
    use_custom_types([])
