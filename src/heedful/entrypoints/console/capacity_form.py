"""The location's services and room types as the admin types them, one a line (ADR 0055).

"Lunch 12:00-16:00 8 32" is a service: its name, its hours on the location's clock, its tables
and (optionally) covers; "Deluxe 20" is a room type and its rooms. The lines are read here into
the core's `Service`; whether they make sense together (two services sharing a minute, one name
twice) is the core's to say, and its answer is shown beside the text area it came from.
"""

from __future__ import annotations

import re
from datetime import time

from heedful.core.dealings.capacity import HoldKind, Service
from heedful.core.shared.errors import InvalidInput
from heedful.core.shared.phrases import Phrase

_SERVICE = re.compile(
    r"^(?P<name>.+?)\s+(?P<starts>\d{1,2}:\d{2})\s*[-–]\s*(?P<ends>\d{1,2}:\d{2})"
    r"\s+(?P<tables>\d{1,5})(?:\s+(?P<covers>\d{1,5}))?$"
)
_ROOM_TYPE = re.compile(r"^(?P<name>.+?)\s+(?P<rooms>\d{1,5})$")


def _clock(text: str, field: str) -> time:
    try:
        return time.fromisoformat(text.zfill(5))
    except ValueError as exc:
        raise InvalidInput("a time such as 19:00", field=field) from exc


def read_services(text: str) -> list[Service]:
    found = []
    for line in filter(None, (raw.strip() for raw in text.splitlines())):
        match = _SERVICE.match(line)
        if match is None:
            raise InvalidInput(
                "one service a line: name, hours, tables",
                said=Phrase("refusal.service_line"),
                field="services",
            )
        covers = match["covers"]
        found.append(
            Service(
                match["name"],
                HoldKind.TABLES,
                int(match["tables"]),
                int(covers) if covers else None,
                _clock(match["starts"], "services"),
                _clock(match["ends"], "services"),
            )
        )
    return found


def read_room_types(text: str) -> list[Service]:
    found = []
    for line in filter(None, (raw.strip() for raw in text.splitlines())):
        match = _ROOM_TYPE.match(line)
        if match is None:
            raise InvalidInput(
                "one room type a line: name, rooms",
                said=Phrase("refusal.room_type_line"),
                field="room_types",
            )
        found.append(Service(match["name"], HoldKind.ROOMS, int(match["rooms"])))
    return found


def services_text(services: tuple[Service, ...], kind: HoldKind) -> str:
    """The lines back, as the admin would type them."""
    lines = []
    for s in services:
        if s.kind is not kind:
            continue
        if kind is HoldKind.ROOMS:
            lines.append(f"{s.name} {s.units}")
            continue
        assert s.starts is not None
        assert s.ends is not None
        hours = f"{s.starts:%H:%M}-{s.ends:%H:%M}"
        covers = f" {s.covers}" if s.covers is not None else ""
        lines.append(f"{s.name} {hours} {s.units}{covers}")
    return "\n".join(lines)


def form_field(error: InvalidInput, tables: int) -> InvalidInput:
    """The core names ``services[3].from``; the form has two text areas: say which one."""
    match = re.match(r"^services\[(\d+)\]", error.field or "")
    if match is None:
        return error
    field = "services" if int(match.group(1)) < tables else "room_types"
    return InvalidInput(error.message, field=field, said=error.said)
