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
    "purge_events",
    "read_events",
    "store_events",
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
