"""Use case: take in a batch of business events, store the good ones once, report the rest."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import timedelta
from typing import Any

from heedful.core.events.cloudevents import InvalidEvent, parse_event
from heedful.core.events.model import MIN_RETENTION_DAYS, BusinessEvent
from heedful.core.shared.clock import Clock
from heedful.core.shared.errors import InvalidInput
from heedful.core.shared.ports import UnitOfWork

# One batch is one transaction and one INSERT; a thousand events keep that statement well under
# a megabyte of parameters and a request under a few tens of milliseconds.
MAX_BATCH = 1000


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
    with each event so that the engine acts only within them.
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


def accept_events(
    uow: UnitOfWork,
    clock: Clock,
    raw_events: Sequence[object],
    *,
    sender_locations: frozenset[str] | None = None,
) -> IngestReport:
    """Store every valid event not seen before (by source and id), committed before returning.

    The caller answers the sender only after this returns: an acknowledged event survives a
    crash, and a retried one is counted as a duplicate rather than stored twice.
    """
    if len(raw_events) > MAX_BATCH:
        raise InvalidInput(f"send at most {MAX_BATCH} events per batch", field="body")
    events, report = read_events(raw_events, sender_locations=sender_locations)
    new = store_events(uow, clock, events)
    report.accepted = sum(new)
    report.duplicates = len(new) - report.accepted
    return report


def store_events(uow: UnitOfWork, clock: Clock, events: Sequence[BusinessEvent]) -> list[bool]:
    """Store parsed events in one transaction; per event, True if it was new.

    Entry points that gather the events of many requests into one commit (group commit) call
    this directly, after ``read_events`` on each request.
    """
    if not events:
        return []
    with uow:
        new = uow.events.accept(events, received_at=clock.now())
        uow.commit()
    return new


def purge_events(uow: UnitOfWork, clock: Clock, retention_days: int) -> int:
    """Drop events processed more than ``retention_days`` ago; return how many went.

    Never under ``MIN_RETENTION_DAYS``: the purged keys are what recognised a sender's retries.
    """
    if retention_days < MIN_RETENTION_DAYS:
        raise InvalidInput(
            f"events are kept at least {MIN_RETENTION_DAYS} days", field="retention_days"
        )
    with uow:
        purged = uow.events.purge(processed_before=clock.now() - timedelta(days=retention_days))
        uow.commit()
    return purged
