"""Errors the core raises; the entry points turn them into HTTP problems or console messages.

``message`` is English for programs (the API's problem documents name JSON fields and codes);
``said``, when given, is the same refusal as a phrase for people, said in the reader's language
by the console (ADR 0054). A refusal without one is shown to staff in English, or as "not
allowed" / "not found" by its kind (``entrypoints/console/messages.py``).
"""

from __future__ import annotations

from heedful.core.shared.phrases import Phrase


class HeedfulError(Exception):
    """Base of every error a user can cause."""

    code = "error"

    def __init__(
        self, message: str, *, field: str | None = None, said: Phrase | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.said = said


class InvalidInput(HeedfulError):
    """The request names a field whose value breaks a rule."""

    code = "invalid"


class NotFound(HeedfulError):
    code = "not_found"


class Conflict(HeedfulError):
    """The request contradicts what is stored (a taken identity, a merge already undone)."""

    code = "conflict"

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        existing_id: str | None = None,
        said: Phrase | None = None,
    ) -> None:
        super().__init__(message, field=field, said=said)
        self.existing_id = existing_id


class Forbidden(HeedfulError):
    """The actor's role or locations do not allow this."""

    code = "forbidden"
