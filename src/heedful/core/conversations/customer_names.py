"""Customers' names for lists of threads: one question for a page, not one per line.

A page of the inbox names fifty customers; asking for each whole card would be a hundred queries.
Only the name and where the customer is known (the actor's scope is checked on it) are read.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class NamedCustomer:
    id: str
    full_name: str
    location_ids: frozenset[str]  # where the customer is known: who may see her name


class CustomerNames(Protocol):
    def of(self, customer_ids: Sequence[str]) -> list[NamedCustomer]:
        """The customers among these ids, with their names and locations."""
        ...
