"""Event types a business registers itself: a name, a JSON Schema, and the state it updates.

Heedful's own types (``types.py``) are checked field by field; a business's own types are
checked against the JSON Schema it gave (Draft 2020-12), so that an event Heedful has no word
for is a configuration step, not a refusal (ADR 0042). A type may say it updates the state one
of Heedful's own types keeps (``acts_as``): its data then carries that type's fields too, and
the engine applies it as that type, while playbooks still see it under its own name.

The registered types live in a table; every process keeps them in memory (``use_custom_types``)
so that reading an event costs no query. Each process refreshes them after a change it made
itself at once and after another process's change within seconds (``bootstrap``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError, ValidationError, best_match

from heedful.core.events.fields import DataProblem, check_data
from heedful.core.events.types import EVENT_TYPES
from heedful.core.shared.errors import InvalidInput

# Lowercase dotted words, past tense by convention (acme.table.turned); ``heedful.`` is ours.
NAME = re.compile(r"[a-z0-9][a-z0-9_-]*(\.[a-z0-9][a-z0-9_-]*)+")
MAX_NAME = 200  # a CloudEvent's type is at most 200 characters (cloudevents.MAX_LENGTHS)
RESERVED_PREFIX = "heedful."
MAX_DESCRIPTION = 1000
# A schema is read for every event of its type and kept in every process's memory: 32 KB is
# room for a few hundred fields with descriptions, and not for a document pasted by mistake.
MAX_SCHEMA_BYTES = 32_768
MAX_CUSTOM_TYPES = 500  # each is held in memory by every process


@dataclass(frozen=True, slots=True)
class CustomEventType:
    name: str
    description: str
    schema: Mapping[str, Any]
    acts_as: str | None  # one of Heedful's own types whose state it updates; None: none
    created_at: datetime
    changed_at: datetime
    changed_by: str  # the staff member or token that last changed it, as shown


class EventTypeRepository(Protocol):
    def all(self) -> list[CustomEventType]: ...
    def get(self, name: str) -> CustomEventType | None: ...
    def add(self, event_type: CustomEventType) -> None: ...
    def update(self, event_type: CustomEventType) -> None: ...
    def remove(self, name: str) -> bool: ...
    def last_changed(self) -> tuple[int, datetime | None]:
        """How many there are and when the latest changed: a process refreshes when it moves."""
        ...


def _schema_path(path: Iterable[object]) -> str:
    out = "schema"
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


def _local_refs_only(node: object, path: list[object]) -> None:
    # A $ref to a URL would make Heedful fetch documents from the internet to read an event;
    # only references inside the schema itself (#/$defs/...) are allowed.
    if isinstance(node, Mapping):
        ref = node.get("$ref")
        if ref is not None and (not isinstance(ref, str) or not ref.startswith("#")):
            raise InvalidInput(
                "only references inside the schema (#/...) are allowed",
                field=_schema_path([*path, "$ref"]),
            )
        for key, value in node.items():
            _local_refs_only(value, [*path, key])
    elif isinstance(node, list):
        for index, value in enumerate(node):
            _local_refs_only(value, [*path, index])


def check_schema(schema: object) -> Mapping[str, Any]:
    """The schema if it is a valid JSON Schema for event data; else InvalidInput naming where."""
    if not isinstance(schema, Mapping):
        raise InvalidInput("the schema must be a JSON object", field="schema")
    size = len(json.dumps(schema, ensure_ascii=False).encode())
    if size > MAX_SCHEMA_BYTES:
        raise InvalidInput(
            f"the schema is {size:,} bytes; at most {MAX_SCHEMA_BYTES:,} are kept", field="schema"
        )
    if schema.get("type") != "object":
        raise InvalidInput(
            'an event\'s data is a JSON object: the schema says "type": "object"',
            field="schema.type",
        )
    try:
        Draft202012Validator.check_schema(schema)
    except SchemaError as error:
        raise InvalidInput(
            f"not a valid JSON Schema: {error.message}", field=_schema_path(error.absolute_path)
        ) from None
    _local_refs_only(schema, [])
    return schema


def check_name(name: str) -> str:
    if len(name) > MAX_NAME or not NAME.fullmatch(name):
        raise InvalidInput(
            "a type is lowercase dotted words, such as acme.table.turned", field="name"
        )
    if name.startswith(RESERVED_PREFIX):
        raise InvalidInput("types starting with heedful. are Heedful's own", field="name")
    return name


@dataclass(frozen=True, slots=True)
class _Compiled:
    event_type: CustomEventType
    validator: Draft202012Validator


# name -> the compiled type. Replaced whole, never changed in place, so a reader on another
# thread sees either the old set or the new one.
_CUSTOM: dict[str, _Compiled] = {}


def use_custom_types(event_types: Iterable[CustomEventType]) -> None:
    """Make these the business's own types in this process (replacing those held before)."""
    global _CUSTOM  # noqa: PLW0603 - the process's one copy, swapped whole
    _CUSTOM = {t.name: _Compiled(t, Draft202012Validator(dict(t.schema))) for t in event_types}


def held_fingerprint() -> tuple[int, datetime | None]:
    """How many types this process holds and when the latest changed, as ``last_changed`` says
    it of the table: when the two differ, the table moved (or a change here was rolled back)."""
    held = [c.event_type.changed_at for c in _CUSTOM.values()]
    return len(held), max(held, default=None)


def custom_type(name: str) -> CustomEventType | None:
    compiled = _CUSTOM.get(name)
    return compiled.event_type if compiled is not None else None


def custom_types() -> list[CustomEventType]:
    return sorted((c.event_type for c in _CUSTOM.values()), key=lambda t: t.name)


def _data_path(error: ValidationError) -> str:
    path = "data"
    for part in error.absolute_path:
        path += f"[{part}]" if isinstance(part, int) else f".{part}"
    required = error.validator_value
    if error.validator == "required" and isinstance(error.instance, Mapping):
        missing = (
            [n for n in required if n not in error.instance] if isinstance(required, list) else []
        )
        if missing:
            path += f".{missing[0]}"
    return path


def check_custom_data(name: str, data: Mapping[str, Any]) -> bool:
    """Check ``data`` for a business's own type; False if there is no such type.

    Raises ``DataProblem`` naming the field: first the fields of the type it acts as, then its
    own schema.
    """
    compiled = _CUSTOM.get(name)
    if compiled is None:
        return False
    acts_as = compiled.event_type.acts_as
    if acts_as is not None and acts_as in EVENT_TYPES:
        check_data(EVENT_TYPES[acts_as], data)
    error = best_match(compiled.validator.iter_errors(data))
    if error is not None:
        field = _data_path(error)
        raise DataProblem(f"{field.removeprefix('data.')}: {error.message}"[:500], field)
    return True


def acts_as(name: str) -> str | None:
    """The built-in type whose state an event of this type updates, if any."""
    compiled = _CUSTOM.get(name)
    return compiled.event_type.acts_as if compiled is not None else None
