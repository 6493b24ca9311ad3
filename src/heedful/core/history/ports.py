"""What the history room needs stored: a customer's history entries."""

from __future__ import annotations

from typing import Protocol

from heedful.core.history.model import HistoryEntry, HistoryKind


class HistoryRepository(Protocol):
    def add(self, entry: HistoryEntry) -> None: ...
    def find_by_ref(self, kind: HistoryKind, external_ref: str) -> HistoryEntry | None: ...
    def list_for(self, customer_id: str, limit: int) -> list[HistoryEntry]: ...
    def count_for(self, customer_id: str) -> int: ...
