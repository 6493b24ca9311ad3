"""Dead letters on SQL: one row per failed record, keyed by its kind and reference."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, RowMapping

from heedful.adapters.storage.tables import dead_letters
from heedful.core.dead_letters.model import DeadLetter, LetterKind, LetterState

_t = dead_letters.c


def _letter(row: RowMapping) -> DeadLetter:
    return DeadLetter(
        kind=LetterKind(row["kind"]),
        ref=row["ref"],
        what=row["what"],
        error=row["error"],
        attempts=row["attempts"],
        first_failed_at=row["first_failed_at"],
        last_failed_at=row["last_failed_at"],
        next_try_at=row["next_try_at"],
        state=LetterState(row["state"]),
        payload=dict(row["payload"] or {}),
        closed_at=row["closed_at"],
        closed_by=row["closed_by"],
    )


def _values(letter: DeadLetter) -> dict[str, Any]:
    return {
        "what": letter.what[:500],
        "state": letter.state.value,
        "error": letter.error[:1000],
        "attempts": letter.attempts,
        "first_failed_at": letter.first_failed_at,
        "last_failed_at": letter.last_failed_at,
        "next_try_at": letter.next_try_at,
        "payload": letter.payload,
        "closed_at": letter.closed_at,
        "closed_by": letter.closed_by[:200],
    }


class SqlDeadLetters:
    """Implements ``heedful.core.dead_letters.ports.DeadLetters``."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def get(self, kind: LetterKind, ref: str) -> DeadLetter | None:
        row = (
            self._conn.execute(dead_letters.select().where(_t.kind == kind.value, _t.ref == ref))
            .mappings()
            .first()
        )
        return _letter(row) if row is not None else None

    def save(self, letter: DeadLetter) -> None:
        # Read-then-write inside the caller's transaction, which holds the record it failed on
        # (claimed or locked), so no other worker writes the same letter meanwhile.
        updated = self._conn.execute(
            dead_letters.update()
            .where(_t.kind == letter.kind.value, _t.ref == letter.ref)
            .values(_values(letter))
        )
        if not updated.rowcount:
            self._conn.execute(
                dead_letters.insert().values(
                    kind=letter.kind.value, ref=letter.ref, **_values(letter)
                )
            )

    def forget(self, kind: LetterKind, refs: Sequence[str]) -> None:
        if refs:
            self._conn.execute(
                dead_letters.delete().where(
                    _t.kind == kind.value,
                    _t.ref.in_(list(refs)),
                    _t.state != LetterState.DISCARDED.value,
                )
            )

    def list(
        self, kind: LetterKind | None, states: frozenset[LetterState], limit: int
    ) -> list[DeadLetter]:
        query = (
            dead_letters.select()
            .where(_t.state.in_(sorted(s.value for s in states)))
            .order_by(_t.last_failed_at.desc(), _t.kind, _t.ref)
            .limit(limit)
        )
        if kind is not None:
            query = query.where(_t.kind == kind.value)
        return [_letter(row) for row in self._conn.execute(query).mappings()]

    def purge_discarded(self, closed_before: datetime) -> dict[LetterKind, tuple[str, ...]]:
        gone = (_t.state == LetterState.DISCARDED.value, _t.closed_at < closed_before)
        refs: dict[LetterKind, tuple[str, ...]] = {}
        for kind, ref in self._conn.execute(sa.select(_t.kind, _t.ref).where(*gone)):
            refs[LetterKind(kind)] = (*refs.get(LetterKind(kind), ()), ref)
        if refs:
            self._conn.execute(dead_letters.delete().where(*gone))
        return refs

    def count_dead(self) -> dict[LetterKind, int]:
        rows = self._conn.execute(
            sa.select(_t.kind, sa.func.count())
            .where(_t.state == LetterState.DEAD.value)
            .group_by(_t.kind)
        )
        counts = dict.fromkeys(LetterKind, 0)
        for kind, count in rows:
            counts[LetterKind(kind)] = int(count)
        return counts
