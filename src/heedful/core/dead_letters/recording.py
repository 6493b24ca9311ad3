"""Writing a failure down: the worker's side of dead letters."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from heedful.core.dead_letters.model import (
    DeadLetter,
    LetterKind,
    LetterState,
    RetryPolicy,
    first_failure,
    is_permanent,
)
from heedful.core.unit_of_work import UnitOfWork


def note_failure(
    uow: UnitOfWork,
    kind: LetterKind,
    ref: str,
    what: str,
    error: BaseException,
    now: datetime,
    policy: RetryPolicy,
    payload: Mapping[str, Any] | None = None,
) -> DeadLetter:
    """Count one more failure of the record; it is dead when tries run out or the error is final.

    The caller writes it inside its own transaction and then keeps the record out of its queue
    until ``next_try_at`` (or for good, when dead).
    """
    letter = uow.dead_letters.get(kind, ref)
    if letter is None or letter.state is LetterState.DISCARDED:
        letter = first_failure(kind, ref, what, now, dict(payload or {}))
    elif payload:
        letter.payload = dict(payload)
    letter.failed_again(error, now, policy, permanent=is_permanent(error))
    uow.dead_letters.save(letter)
    return letter
