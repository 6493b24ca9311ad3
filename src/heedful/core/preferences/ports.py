"""What the preferences room needs stored: a customer's preferences."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from heedful.core.preferences.model import Polarity, Preference


class PreferenceRepository(Protocol):
    def add(self, preference: Preference) -> None: ...
    def get(self, preference_id: str) -> Preference | None: ...
    def update(self, preference: Preference) -> None: ...
    def list_for(
        self, customer_id: str, *, include_retracted: bool = False
    ) -> list[Preference]: ...
    def standing_for_many(self, customer_ids: Sequence[str]) -> dict[str, list[Preference]]:
        """Each customer's standing preferences, in one read (a customer with none is absent)."""
        ...

    def standing_subjects_for_many(
        self, customer_ids: Sequence[str]
    ) -> dict[str, list[tuple[Polarity, str]]]:
        """What ``standing_for_many`` finds, as (polarity, subject) in the same order: all a
        message's template says of them, without reading and building the rest of each row."""
        ...
