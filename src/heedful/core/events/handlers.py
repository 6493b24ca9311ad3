"""Use case: take in a batch of business events, store the good ones once, report the rest."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from heedful.core.events.intake import (
    MAX_BATCH,
    IngestReport,
    Rejection,
    check_batch_size,
    read_events,
)
from heedful.core.events.model import MIN_RETENTION_DAYS, BusinessEvent
from heedful.core.shared.clock import Clock
from heedful.core.shared.errors import InvalidInput
from heedful.core.unit_of_work import UnitOfWork

# The reading and counting every way in shares live in intake.py; named here too for callers.
__all__ = [
    "MAX_BATCH",
    "IngestReport",
    "Rejection",
    "accept_events",
    "accept_from_stream",
    "purge_events",
    "read_events",
    "store_events",
    "stream_position",
]


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
    check_batch_size(len(raw_events))
    events, report = read_events(raw_events, sender_locations=sender_locations)
    report.count_stored(store_events(uow, clock, events))
    return report


def stream_position(uow: UnitOfWork, stream: str, start_after: int) -> int:
    """How far ``stream`` is stored; a stream not seen before is recorded as starting after
    ``start_after`` (the first worker to start decides, the others read it)."""
    with uow:
        position = uow.events.take_stream_turn(stream, start_after)
        uow.commit()
    return position


def accept_from_stream(
    uow: UnitOfWork,
    clock: Clock,
    stream: str,
    messages: Sequence[tuple[int, object]],
    *,
    read_from: int,
) -> tuple[int, IngestReport]:
    """Store a run of a stream's messages, (stream sequence, raw event), in the stream's order.

    ``messages`` are every message of the stream from ``read_from`` on, as far as they go. The
    stream is stored single-file: this transaction takes the stream's turn, stores only what lies
    beyond the stored position, and moves the position with the events (ADR 68), so a message
    is stored once, in its place, whichever worker read it and whoever died holding it. Returns
    the stream's position afterwards (the caller drops what lies before it) and the report.
    """
    report = IngestReport()
    with uow:
        position = uow.events.take_stream_turn(stream, read_from - 1)
        if position < read_from - 1:
            # A turn that died left the stream behind what this worker read: its messages in
            # between must be read again first.
            return position, report
        fresh = [(sequence, raw) for sequence, raw in messages if sequence > position]
        if not fresh:
            return position, report
        for start in range(0, len(fresh), MAX_BATCH):
            raw = [event for _, event in fresh[start : start + MAX_BATCH]]
            events, part = read_events(raw)
            part.count_stored(uow.events.accept(events, received_at=clock.now()) if events else [])
            report.accepted += part.accepted
            report.duplicates += part.duplicates
            report.rejected += [
                Rejection(start + r.index, r.reason, r.field) for r in part.rejected
            ]
        # Refused messages are passed too: they will not become events by being read again.
        position = fresh[-1][0]
        uow.events.stream_stored_through(stream, position)
        uow.commit()
    return position, report


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
