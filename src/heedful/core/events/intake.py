"""What every way in decides about a sender's events, decided here once: HTTP, file and stream.

The route and the lean path of ``POST /api/v1/events``, ``heedful ingest FILE`` and the JetStream
consumer differ only in how the bytes arrive and how the answer is shaped. Reading the JSON (and
refusing what JSON has not: NaN, Infinity, nesting past any bound), the batch limit, reading each
event, and counting what was stored, what was a duplicate and what was refused are all here.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from heedful.core.events.bounds import MAX_DATA_DEPTH
from heedful.core.events.cloudevents import InvalidEvent, parse_event
from heedful.core.events.model import BusinessEvent
from heedful.core.shared.errors import InvalidInput

# One batch is one transaction and one INSERT; a thousand events keep that statement well under
# a megabyte of parameters and a request under a few tens of milliseconds.
MAX_BATCH = 1000


class UnreadableJson(ValueError):
    """Text that is not JSON, or nests so deep that the decoder gave up before it could be asked."""

    def __init__(self, *, too_deep: bool) -> None:
        super().__init__("too deep" if too_deep else "not JSON")
        self.too_deep = too_deep

    def reason(self, what: str) -> str:
        """Why, for the sender: ``what`` names what they sent ("the body", "the line")."""
        if self.too_deep:
            return f"the JSON nests deeper than {MAX_DATA_DEPTH} levels"
        return f"{what} is not valid JSON"


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")  # NaN and Infinity: Python reads them, JSON has none


def decode_json(text: bytes | str) -> Any:
    """The decoded JSON, or ``UnreadableJson``; the stdlib decoder, once per body, line or message.

    Nesting within bounds is checked per event (``core/events/bounds.py``); a RecursionError means
    far past them, and is a refusal like any other, never a crash of the reader.
    """
    try:
        return json.loads(text, parse_constant=_refuse_constant)
    except (ValueError, UnicodeDecodeError):
        raise UnreadableJson(too_deep=False) from None
    except RecursionError:
        raise UnreadableJson(too_deep=True) from None


def check_batch_size(count: int) -> None:
    """Refuse a batch over ``MAX_BATCH`` events as a whole, before any of it is read."""
    if count > MAX_BATCH:
        raise InvalidInput(f"send at most {MAX_BATCH} events per batch", field="body")


@dataclass(frozen=True, slots=True)
class Rejection:
    index: int  # the event's position in the batch, from 0
    reason: str
    field: str


@dataclass
class IngestReport:
    accepted: int = 0
    duplicates: int = 0
    rejected: list[Rejection] = field(default_factory=list)

    def count_stored(self, new: Sequence[bool]) -> None:
        """Per stored event, True if it was new: the others were seen before (source and id)."""
        self.accepted = sum(new)
        self.duplicates = len(new) - self.accepted

    def refuse_one(self) -> None:
        """A single event (not a batch) that cannot be stored is the request's fault: raise
        ``InvalidInput`` naming its attribute, and store nothing."""
        if self.rejected:
            refused = self.rejected[0]
            raise InvalidInput(refused.reason, field=refused.field)

    def as_json(self) -> dict[str, Any]:
        return {
            "accepted": self.accepted,
            "duplicates": self.duplicates,
            "rejected": [
                {"index": r.index, "reason": r.reason, "field": r.field} for r in self.rejected
            ],
        }


def read_events(
    raw_events: Sequence[object],
    *,
    text_checked: bool = False,
    sender_locations: frozenset[str] | None = None,
) -> tuple[list[BusinessEvent], IngestReport]:
    """Parse each event; a bad one is reported by its index and never holds up the others.

    ``text_checked``: as for ``parse_event``, established once for the body they came in.
    ``sender_locations``: the sending token's locations (None: it sees every location), kept
    with each event so that the engine acts only within them (ADR 0029); never from the body.
    """
    events: list[BusinessEvent] = []
    report = IngestReport()
    for index, raw in enumerate(raw_events):
        try:
            events.append(parse_event(raw, text_checked=text_checked))
        except InvalidEvent as problem:
            report.rejected.append(Rejection(index, problem.reason, problem.field or "event"))
    if sender_locations is not None:
        events = [replace(event, sender_locations=sender_locations) for event in events]
    return events, report
