"""Finding and taking out an erased customer's values where they sit inside free text and JSON."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

ERASED_NAME = "—"
# new_id("cus_"): the prefix and 32 hex digits, so a customer's id is found in any document.
_CUSTOMER_ID = re.compile(r"cus_[0-9a-f]{32}")
# Shorter values ("Ann", a 4-digit card) would take out other people's words with hers.
MIN_NEEDLE = 5


def customers_named(*documents: Any) -> frozenset[str]:
    """Every customer id a request or an answer mentions, anywhere in it."""
    found: set[str] = set()
    for document in documents:
        text = document if isinstance(document, str) else json.dumps(document, default=str)
        found.update(_CUSTOMER_ID.findall(text))
    return frozenset(found)


def needles(customer_id: str, values: Iterable[str]) -> list[str]:
    """What to look for: her id and each value long enough not to match someone else's words."""
    found = [customer_id]
    for raw in values:
        value = raw.strip()
        if len(value) >= MIN_NEEDLE and value not in found:
            found.append(value)
    return found


def redact_values(value: Any, needles: Sequence[str]) -> Any:
    """``value`` with every string that contains one of ``needles`` replaced by ``ERASED_NAME``.

    Whole strings go, not just the match: "Anna Petrenko <anna@example.com>" is no safer with
    only the address taken out.
    """
    if isinstance(value, str):
        folded = value.casefold()
        return ERASED_NAME if any(n.casefold() in folded for n in needles) else value
    if isinstance(value, Mapping):
        return {key: redact_values(item, needles) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [redact_values(item, needles) for item in value]
    return value


def redact_within(text: str, needles: Sequence[str]) -> str:
    """``text`` with each of ``needles`` replaced in place: staff's words stay, her values go."""
    for needle in sorted(needles, key=len, reverse=True):  # the full name before a part of it
        text = re.sub(re.escape(needle), ERASED_NAME, text, flags=re.IGNORECASE)
    return text
