"""How often a failing record is tried, and which errors no retry can cure."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from heedful.core.dead_letters.model import (
    LetterKind,
    LetterState,
    RetryPolicy,
    describe,
    first_failure,
    is_permanent,
)
from heedful.core.shared.errors import NotFound

AT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def test_the_backoff_doubles_from_a_minute_and_stops_at_an_hour() -> None:
    policy = RetryPolicy()
    waits = [policy.backoff(attempt) for attempt in range(1, 9)]
    assert waits == [timedelta(minutes=m) for m in (1, 2, 4, 8, 16, 32, 60, 60)]


def test_a_record_is_dead_after_its_tries_and_waits_its_backoff_before() -> None:
    letter = first_failure(LetterKind.EVENT, "7", "heedful.stock.changed shop/e-7", AT)
    policy = RetryPolicy(tries=3)
    for attempt in (1, 2):
        letter.failed_again(TimeoutError("lock"), AT, policy, permanent=False)
        assert (letter.state, letter.attempts) == (LetterState.RETRYING, attempt)
        assert letter.waits(AT)
        assert not letter.waits(AT + policy.backoff(attempt))
    letter.failed_again(TimeoutError("lock"), AT, policy, permanent=False)
    assert (letter.state, letter.next_try_at) == (LetterState.DEAD, None)
    assert letter.waits(AT + timedelta(days=365))


class StatementError(Exception):
    """What SQLAlchemy raises around a driver's error."""


def _wrapped(cause: Exception) -> Exception:
    try:
        raise StatementError("(builtins.OverflowError) ...\n[SQL: INSERT ...]") from cause
    except StatementError as wrapped:
        return wrapped


@pytest.mark.parametrize(
    "error",
    [
        OverflowError("Python int too large to convert to SQLite INTEGER"),
        KeyError("quantity"),
        ValueError("'teleport' is not a valid PromiseKind"),
        TypeError("'int' object is not iterable"),
        NotFound("no location loc_x"),
        _wrapped(OverflowError("too large")),
    ],
    ids=repr,
)
def test_errors_the_same_input_will_raise_again_are_permanent(error: Exception) -> None:
    assert is_permanent(error)


@pytest.mark.parametrize("error", [TimeoutError("lock"), ConnectionError("reset"), RuntimeError()])
def test_errors_of_the_moment_are_tried_again(error: Exception) -> None:
    assert not is_permanent(error)


def test_the_error_is_its_class_and_first_line_never_the_statement_or_its_parameters() -> None:
    error = _wrapped(OverflowError("too large"))
    assert describe(error) == "StatementError: (builtins.OverflowError) ..."
    assert len(describe(ValueError("x" * 5000))) == 1000
