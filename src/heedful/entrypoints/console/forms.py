"""Reading console forms: every field arrives as text and the core decides what it means."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, TypeVar

from fastapi import Form

from heedful.core.shared.errors import InvalidInput
from heedful.core.shared.phrases import Phrase

# Optional text fields: a missing field is "", so FastAPI never answers a console form with its
# own JSON validation error; the core's rules speak instead, next to the field.
Text = Annotated[str, Form()]

E = TypeVar("E", bound=StrEnum)

CHOOSE_ONE = "choose one of the options"


def choice(enum: type[E], value: str, field: str) -> E:
    """A select or radio value as the core's enum; a tampered or missing one names its field."""
    try:
        return enum(value)
    except ValueError as exc:
        raise InvalidInput(CHOOSE_ONE, said=Phrase("refusal.choose_option"), field=field) from exc
