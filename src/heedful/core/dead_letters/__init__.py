"""Dead letters: records the engine could not process, set aside with their error for operators."""

from heedful.core.dead_letters.model import (
    DeadLetter,
    LetterKind,
    LetterState,
    RetryPolicy,
    first_failure,
)
from heedful.core.dead_letters.recording import note_failure

__all__ = [
    "DeadLetter",
    "LetterKind",
    "LetterState",
    "RetryPolicy",
    "first_failure",
    "note_failure",
]
