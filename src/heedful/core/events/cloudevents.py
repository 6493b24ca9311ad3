"""CloudEvents 1.0 in structured JSON mode: one decoded JSON object in, a ``BusinessEvent`` out.

Plain dictionary checks rather than a pydantic model: this runs for every event of every batch,
and at tens of thousands of events a second the per-event cost is the ingest rate.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC
from typing import Any

from heedful.core.events.bounds import check_data_bounds
from heedful.core.events.fields import DataProblem, check_data, parse_timestamp
from heedful.core.events.model import BusinessEvent
from heedful.core.events.types import known_type
from heedful.core.events.vocabulary import check_custom_data, custom_type
from heedful.core.shared.errors import InvalidInput

SPEC_VERSION = "1.0"
JSON_CONTENT_TYPE = "application/json"
CONTEXT_ATTRIBUTES = frozenset(
    {"specversion", "id", "source", "type", "subject", "time", "datacontenttype", "dataschema"}
)
_NOT_EXTENSIONS = CONTEXT_ATTRIBUTES | {"data", "data_base64"}
EXTENSION_NAME = re.compile(r"[a-z0-9]{1,20}")
# Room for a URI-reference source and a UUID-or-longer id, but not for a whole document.
MAX_LENGTHS = {"id": 200, "source": 500, "type": 200, "subject": 500, "dataschema": 500}
MAX_EXTENSION_TEXT = 1000


class InvalidEvent(InvalidInput):
    """An event that cannot be stored; ``field`` names the attribute (``type``, ``data.price``)."""

    def __init__(self, reason: str, field: str) -> None:
        super().__init__(reason, field=field)
        self.reason = reason


def _bad_text(value: str) -> str | None:
    """Why PostgreSQL would refuse this text, if it would: NUL, or a lone surrogate from \\ud800."""
    if "\x00" in value:
        return "must not contain the NUL character"
    if not value.isascii():
        try:
            value.encode()
        except UnicodeEncodeError:
            return "is not valid Unicode text"
    return None


def storable_text_only(body: bytes) -> bool:
    """True when no text decoded from this JSON body can hold what PostgreSQL refuses.

    Checking every string of every event was a fifth of validation, and the answer is nearly
    always the same for the whole body. A strict JSON decoder lets a NUL or a
    lone surrogate into a string only through a ``\\u`` escape, a UTF-8 body (which ``json.loads``
    decodes with ``surrogatepass``) only through the bytes ED A0-BF, and UTF-16 or UTF-32 bodies
    hold NUL bytes. A body with none of these needs no per-string check; any other (one with an
    escape such as ``\\u00e9``, or Hangul, whose UTF-8 also starts with ED) takes the slow path.
    """
    return b"\\u" not in body and b"\xed" not in body and b"\x00" not in body


def _storable(value: Any) -> bool:
    """True when every text in a JSON value can be stored: the fast pass over every event."""
    kind = type(value)
    if kind is str:
        return "\x00" not in value and (value.isascii() or _bad_text(value) is None)
    if kind is dict:
        for key, item in value.items():
            if "\x00" in key or not key.isascii() or not _storable(item):
                return False  # a non-ASCII key is fine; the slow pass will say so
        return True
    if kind is list:
        return all(_storable(item) for item in value)
    return True


def _unstorable(value: Any, path: str) -> tuple[str, str] | None:
    """The first text anywhere in a JSON value that cannot be stored, with its path."""
    if isinstance(value, str):
        reason = _bad_text(value)
        return (reason, path) if reason else None
    if isinstance(value, Mapping):
        for key, item in value.items():
            found = _unstorable(key, path) or _unstorable(item, f"{path}.{key}")
            if found:
                return found
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found = _unstorable(item, f"{path}[{index}]")
            if found:
                return found
    return None


def _attribute(
    raw: Mapping[str, Any], name: str, *, required: bool, text_checked: bool
) -> str | None:
    value = raw.get(name)
    if value is None:
        if required:
            raise InvalidEvent(f"{name} is required", name)
        return None
    if type(value) is not str or not value:
        raise InvalidEvent(f"{name} must be a non-empty string", name)
    if len(value) > MAX_LENGTHS[name]:
        raise InvalidEvent(f"{name} is longer than {MAX_LENGTHS[name]} characters", name)
    reason = None if text_checked else _bad_text(value)
    if reason:
        raise InvalidEvent(f"{name} {reason}", name)
    return value


def _required(raw: Mapping[str, Any], name: str, text_checked: bool) -> str:
    value = _attribute(raw, name, required=True, text_checked=text_checked)
    if value is None:  # _attribute raised already; this tells the type checker
        raise InvalidEvent(f"{name} is required", name)
    return value


def _extensions(raw: Mapping[str, Any], text_checked: bool) -> dict[str, Any]:
    extensions: dict[str, Any] = {}
    for name, value in raw.items():
        if name in _NOT_EXTENSIONS:
            continue
        if not EXTENSION_NAME.fullmatch(name):
            raise InvalidEvent(
                "extension attribute names are 1 to 20 lowercase letters a-z or digits", name
            )
        if value is None:
            continue  # CloudEvents: an attribute set to null is absent
        if isinstance(value, str):
            reason = (None if text_checked else _bad_text(value)) or (
                f"is longer than {MAX_EXTENSION_TEXT} characters"
                if len(value) > MAX_EXTENSION_TEXT
                else None
            )
            if reason:
                raise InvalidEvent(f"{name} {reason}", name)
        elif not isinstance(value, bool | int | float):
            raise InvalidEvent(f"{name} must be a string, number or boolean", name)
        extensions[name] = value
    return extensions


def parse_event(raw: object, *, text_checked: bool = False) -> BusinessEvent:
    """Validate one structured-mode CloudEvent of a type Heedful knows; raise ``InvalidEvent``.

    ``text_checked``: the caller has established that no text in ``raw`` holds a NUL or a lone
    surrogate (``storable_text_only`` on the body it came from), so strings are not checked again.
    """
    if type(raw) is not dict:
        raise InvalidEvent("an event must be a JSON object", "event")
    specversion = raw.get("specversion")
    if specversion != SPEC_VERSION:
        reason = "specversion is required" if specversion is None else 'specversion must be "1.0"'
        raise InvalidEvent(reason, "specversion")
    event_id = _required(raw, "id", text_checked)
    source = _required(raw, "source", text_checked)
    type_name = _required(raw, "type", text_checked)
    event_type = known_type(type_name)
    if event_type is None and custom_type(type_name) is None:
        raise InvalidEvent("unknown event type: register it at /api/v1/event-types", "type")
    subject = _attribute(raw, "subject", required=False, text_checked=text_checked)
    dataschema = _attribute(raw, "dataschema", required=False, text_checked=text_checked)
    time = None
    if raw.get("time") is not None:
        time = parse_timestamp(raw["time"])
        if time is None:
            raise InvalidEvent("time must be an RFC 3339 timestamp with an offset", "time")
        time = time.astimezone(UTC)
    content_type = raw.get("datacontenttype")
    if content_type is not None and (
        not isinstance(content_type, str)
        or content_type.split(";", 1)[0].strip().lower() != JSON_CONTENT_TYPE
    ):
        raise InvalidEvent("datacontenttype must be application/json", "datacontenttype")
    if "data_base64" in raw:
        raise InvalidEvent(f"{type_name} events carry data as a JSON object", "data_base64")
    data = raw.get("data")
    if not isinstance(data, dict):
        raise InvalidEvent(f"data must be a JSON object for {type_name}", "data")
    try:
        if event_type is not None:
            check_data(event_type, data)
        else:
            check_custom_data(type_name, data)  # the business's own schema (ADR 0042)
        check_data_bounds(data)
    except DataProblem as problem:
        raise InvalidEvent(problem.reason, problem.field) from None
    unstorable = None if text_checked or _storable(data) else _unstorable(data, "data")
    if unstorable:
        reason, path = unstorable
        raise InvalidEvent(f"{path.removeprefix('data.')} {reason}", path)
    return BusinessEvent(
        source=source,
        id=event_id,
        type=type_name,
        data=data,
        subject=subject,
        time=time,
        dataschema=dataschema,
        extensions=_extensions(raw, text_checked),
    )
