"""What the privacy room needs stored: the record of every erasure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True)
class Erasure:
    id: str
    customer_id: str
    erased_at: datetime
    erased_by: str
    erased_by_label: str
    reason: str
    removed: dict[str, int]


class ErasureRepository(Protocol):
    def add(self, erasure: Erasure) -> None: ...
    def list(self) -> list[Erasure]: ...
