"""A walk over a playbook's JSON that keeps the path, so that every refusal names where it is."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from heedful.core.playbooks.model import FIELD_PATTERN
from heedful.core.shared.errors import InvalidInput
from heedful.core.shared.phrases import Phrase


class JsonReader:
    """Walks the JSON keeping the path, so that every refusal says where."""

    def __init__(self, value: Any, path: str) -> None:
        self.value, self.path = value, path

    def fail(self, message: str, said: Phrase, at: str | None = None) -> InvalidInput:
        """``message`` for programs, ``said`` for staff in their language (ADR 0054)."""
        return InvalidInput(message, field=at or self.path or "body", said=said)

    def at(self, key: str | int) -> str:
        if isinstance(key, int):
            return f"{self.path}[{key}]"
        return f"{self.path}.{key}" if self.path else key

    def obj(self, allowed: frozenset[str]) -> Mapping[str, Any]:
        if not isinstance(self.value, Mapping):
            raise self.fail("must be an object", Phrase("refusal.object"))
        for key in self.value:
            if key not in allowed:
                raise self.fail(
                    f"{key} is not a playbook setting here",
                    Phrase("refusal.unknown_setting", {"key": str(key)}),
                    self.at(key),
                )
        return self.value

    def child(self, key: str | int) -> JsonReader:
        if isinstance(key, int):
            return JsonReader(self.value[key], self.at(key))
        return JsonReader(self.value.get(key), self.at(key))

    def text(self, most: int = 200, *, required: bool = True) -> str:
        if self.value is None and not required:
            return ""
        if not isinstance(self.value, str) or (required and not self.value.strip()):
            raise self.fail("must be a non-empty string", Phrase("refusal.fill_in"))
        text = " ".join(self.value.split())
        if len(text) > most:
            raise self.fail(
                f"is at most {most} characters",
                Phrase("refusal.at_most_characters", {"most": most}),
            )
        return text

    def whole(self, least: int, most: int) -> int:
        if type(self.value) is not int or not least <= self.value <= most:
            raise self.fail(
                f"must be a whole number from {least} to {most}",
                Phrase("refusal.whole_number", {"least": least, "most": most}),
            )
        return self.value

    def choice(self, enum: type[StrEnum]) -> Any:
        allowed = [member.value for member in enum]
        if self.value not in allowed:
            options = ", ".join(allowed)
            raise self.fail(
                f"must be one of {options}", Phrase("refusal.one_of", {"options": options})
            )
        return enum(self.value)

    def field_path(self) -> str:
        if not isinstance(self.value, str) or not FIELD_PATTERN.match(self.value):
            raise self.fail(
                "must name an event field: data.<name>, subject, source or type",
                Phrase("refusal.event_field"),
            )
        return self.value

    def items(self, most: int) -> list[JsonReader]:
        if not isinstance(self.value, list):
            raise self.fail("must be a list", Phrase("refusal.list"))
        if len(self.value) > most:
            raise self.fail(
                f"has at most {most} entries", Phrase("refusal.at_most_entries", {"most": most})
            )
        return [self.child(n) for n in range(len(self.value))]
