"""Where failures and dead letters are kept."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from heedful.core.dead_letters.model import DeadLetter, LetterKind, LetterState


class DeadLetters(Protocol):
    def get(self, kind: LetterKind, ref: str) -> DeadLetter | None: ...
    def save(self, letter: DeadLetter) -> None:
        """Insert or replace the letter of (kind, ref)."""
        ...

    def forget(self, kind: LetterKind, refs: Sequence[str]) -> None:
        """Drop the open letters of these records (they succeeded, or go back in the queue).

        A discarded letter stays: it is the record of what an operator closed."""
        ...

    def list(
        self, kind: LetterKind | None, states: frozenset[LetterState], limit: int
    ) -> list[DeadLetter]:
        """Newest failure first."""
        ...

    def count_dead(self) -> dict[LetterKind, int]: ...
    def purge_discarded(self, closed_before: datetime) -> dict[LetterKind, tuple[str, ...]]:
        """Drop the letters discarded before then; return their references by kind."""
        ...
