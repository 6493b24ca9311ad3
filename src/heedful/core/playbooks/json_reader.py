"""A walk over a playbook's JSON that keeps the path, so that every refusal names where it is."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from heedful.core.playbooks.model import FIELD_PATTERN
from heedful.core.shared.errors import InvalidInput


class JsonReader:
    """Walks the JSON keeping the path, so that every refusal says where."""

    def __init__(self, value: Any, path: str) -> None:
        self.value, self.path = value, path

    def fail(self, message: str, at: str | None = None) -> InvalidInput:
        return InvalidInput(message, field=at or self.path or "body")

    def at(self, key: str | int) -> str:
        if isinstance(key, int):
            return f"{self.path}[{key}]"
        return f"{self.path}.{key}" if self.path else key

    def obj(self, allowed: frozenset[str]) -> Mapping[str, Any]:
        if not isinstance(self.value, Mapping):
            raise self.fail("must be an object")
        for key in self.value:
            if key not in allowed:
                raise self.fail(f"{key} is not a playbook setting here", self.at(key))
        return self.value

    def child(self, key: str | int) -> JsonReader:
        if isinstance(key, int):
            return JsonReader(self.value[key], self.at(key))
        return JsonReader(self.value.get(key), self.at(key))

    def text(self, most: int = 200, *, required: bool = True) -> str:
        if self.value is None and not required:
            return ""
        if not isinstance(self.value, str) or (required and not self.value.strip()):
            raise self.fail("must be a non-empty string")
        text = " ".join(self.value.split())
        if len(text) > most:
            raise self.fail(f"is at most {most} characters")
        return text

    def whole(self, least: int, most: int) -> int:
        if type(self.value) is not int or not least <= self.value <= most:
            raise self.fail(f"must be a whole number from {least} to {most}")
        return self.value

    def choice(self, enum: type[StrEnum]) -> Any:
        allowed = [member.value for member in enum]
        if self.value not in allowed:
            raise self.fail(f"must be one of {', '.join(allowed)}")
        return enum(self.value)

    def field_path(self) -> str:
        if not isinstance(self.value, str) or not FIELD_PATTERN.match(self.value):
            raise self.fail("must name an event field: data.<name>, subject, source or type")
        return self.value

    def items(self, most: int) -> list[JsonReader]:
        if not isinstance(self.value, list):
            raise self.fail("must be a list")
        if len(self.value) > most:
            raise self.fail(f"has at most {most} entries")
        return [self.child(n) for n in range(len(self.value))]
