"""Every text and JSON column of every table is classified for erasure (ADR 0026).

A column added later fails here until its author says, in ``erasure_registry``, whether erasure
clears it or why it can never hold a customer's personal data.
"""

from __future__ import annotations

from heedful.adapters.storage.erasure_registry import CLEARED_ON_ERASURE, PII_FREE, text_columns


def _registered(registry: dict[str, dict[str, str]]) -> set[tuple[str, str]]:
    return {(table, column) for table, columns in registry.items() for column in columns}


def test_every_text_column_is_either_cleared_on_erasure_or_free_of_personal_data() -> None:
    columns = {(table, column) for table, names in text_columns().items() for column in names}
    cleared, free = _registered(CLEARED_ON_ERASURE), _registered(PII_FREE)

    assert sorted(columns - cleared - free) == [], "classify these in erasure_registry.py"
    assert sorted(cleared & free) == [], "a column is either cleared or PII-free, not both"
    assert sorted((cleared | free) - columns) == [], "the registry names columns that are gone"


def test_the_schema_has_the_tables_the_erasure_search_relies_on() -> None:
    # Guards the test above against reading an empty metadata (a module renamed, say).
    tables = text_columns()
    assert {"customers", "thread_messages", "messages", "survey_answers", "events"} <= set(tables)
    assert "full_name" in tables["customers"]
