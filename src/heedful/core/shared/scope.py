"""Which customers a query may return: the filter the repositories take from the access check."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CustomerScope:
    """Which customers a query may return: all, or those known at some locations."""

    location_ids: frozenset[str] | None
