"""A phrase in two columns, ``<name>_key`` and ``<name>_params`` (ADR 0047).

The English stays in ``<name>`` itself: a row without a key (written before phrases, or words a
person typed) reads as it was kept.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine import RowMapping

from heedful.core.shared.phrases import Phrase, params_json


def phrase_values(name: str, phrase: Phrase | None) -> dict[str, Any]:
    return {
        f"{name}_key": phrase.key if phrase is not None else None,
        f"{name}_params": params_json(phrase),
    }


def phrase_of(row: RowMapping, name: str) -> Phrase | None:
    key = row.get(f"{name}_key")
    if not key:
        return None
    params = row.get(f"{name}_params")
    return Phrase.from_json(str(key), params if isinstance(params, dict) else None)
