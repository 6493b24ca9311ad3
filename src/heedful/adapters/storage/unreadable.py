"""A queue's row that this version cannot read is set aside, never in the way of those behind it.

An older or newer Heedful (or a hand-made fix in the database) can leave a timer of a kind this
version does not know, a message with a purpose it has never heard of, or a value its column
type cannot decode. Mapping such a row to the core's dataclass raises inside the claim query,
before any savepoint, so the worker would fail the whole pass again and again. Here each row is
read alone: one that cannot be read becomes a dead letter at once (reading it again cannot
succeed in this version; ADR 22's "permanent errors"), is taken out of its queue, and the claim
asks again so that the rows behind it are handed out in the same pass.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

import sqlalchemy as sa
import structlog
from sqlalchemy.engine import Connection, RowMapping
from sqlalchemy.exc import SQLAlchemyError

from heedful.adapters.storage.claiming import claimed
from heedful.adapters.storage.dead_letter_rows import SqlDeadLetters
from heedful.core.dead_letters.model import DeadLetter, LetterKind, LetterState, describe

T = TypeVar("T")

log = structlog.get_logger("heedful.storage")

# Set aside: what to do with the row's key, the row when it could be fetched at all, the error.
SetAside = Callable[[Any, RowMapping | None, Exception], None]


def read_queue(
    conn: Connection,
    query: sa.Select[Any],
    key: sa.Column[Any],
    read: Callable[[RowMapping], T],
    set_aside: SetAside,
) -> list[T]:
    """The claimed rows ``read`` can map, oldest first; the others set aside on the way.

    ``set_aside`` must take the row out of ``query``'s predicate, so that asking again hands
    out the rows behind it: this loop ends because every round removes at least one row.
    """
    queue = _Queue(conn, query, key, read, set_aside)
    while True:
        readable, unreadable = queue.read_once()
        if not unreadable:
            return readable


@dataclass(frozen=True)
class _Queue(Generic[T]):
    conn: Connection
    query: sa.Select[Any]
    key: sa.Column[Any]
    read: Callable[[RowMapping], T]
    set_aside: SetAside

    def read_once(self) -> tuple[list[T], int]:
        try:
            rows = self.conn.execute(claimed(self.conn, self.query)).mappings().all()
        except SQLAlchemyError:
            raise  # the database's own trouble is for the caller's retries, not a bad row
        except Exception:  # a column's value could not even be decoded
            return self._read_one_by_one()
        readable: list[T] = []
        unreadable = 0
        for row in rows:
            try:
                readable.append(self.read(row))
            except Exception as error:  # any row this version cannot map
                self.set_aside(row[self.key.key], row, error)
                unreadable += 1
        return readable, unreadable

    def _read_one_by_one(self) -> tuple[list[T], int]:
        # Rare: only after a batch failed to decode. The keys alone always decode.
        only_keys = self.query.with_only_columns(self.key)
        keys = self.conn.execute(claimed(self.conn, only_keys)).scalars().all()
        readable: list[T] = []
        unreadable = 0
        for value in keys:
            try:
                row = self.conn.execute(self.query.where(self.key == value)).mappings().one()
                readable.append(self.read(row))
            except SQLAlchemyError:
                raise
            except Exception as error:
                self.set_aside(value, None, error)
                unreadable += 1
        return readable, unreadable


def note_unreadable(
    conn: Connection,
    kind: LetterKind,
    ref: str,
    what: str,
    error: Exception,
    at: datetime,
    payload: dict[str, Any] | None = None,
) -> DeadLetter:
    """Write the dead letter of a row that cannot be read, and say so once in the log."""
    letter = DeadLetter(
        kind=kind,
        ref=ref,
        what=f"unreadable {what}"[:500],
        error=describe(error),
        attempts=1,
        first_failed_at=at,
        last_failed_at=at,
        next_try_at=None,
        state=LetterState.DEAD,
        payload=dict(payload or {}),
    )
    SqlDeadLetters(conn).save(letter)
    log.error(
        "record set aside as a dead letter",
        kind=kind.value,
        ref=ref,
        what=letter.what,
        error=letter.error,
        attempts=1,
        unreadable=True,
    )
    return letter


def text(row: RowMapping | None, *columns: str) -> str:
    """What of the row can be shown, for the letter's description: raw stored values."""
    if row is None:
        return ""
    return " ".join(str(row[c]) for c in columns if c in row and row[c] is not None)
