"""Errors the core raises; the entry points turn them into HTTP problems or console messages."""

from __future__ import annotations


class HeedfulError(Exception):
    """Base of every error a user can cause."""

    code = "error"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidInput(HeedfulError):
    """The request names a field whose value breaks a rule."""

    code = "invalid"


class NotFound(HeedfulError):
    code = "not_found"


class Conflict(HeedfulError):
    """The request contradicts what is stored (a taken identity, a merge already undone)."""

    code = "conflict"

    def __init__(
        self, message: str, *, field: str | None = None, existing_id: str | None = None
    ) -> None:
        super().__init__(message, field=field)
        self.existing_id = existing_id


class Forbidden(HeedfulError):
    """The actor's role or locations do not allow this."""

    code = "forbidden"
