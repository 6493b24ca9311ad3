"""Business events as Heedful keeps them, and the inbox that stores each one exactly once."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

# A source's system may retry for days; the key that recognises a repeat is kept at least this
# long, so a purge may never drop processed events younger than this.
MIN_RETENTION_DAYS = 30


@dataclass(frozen=True, slots=True)
class BusinessEvent:
    """One CloudEvent from a business system: "stock of bag-noir M at Kyiv is now 2".

    ``source`` + ``id`` name it uniquely (CloudEvents' rule): a system that sends it again is
    retrying, not reporting a second thing. ``data`` is kept as sent; the engine flattens it.
    """

    source: str
    id: str
    type: str
    data: Mapping[str, Any]
    subject: str | None = None
    time: datetime | None = None  # when it happened, as the sender says; aware UTC
    dataschema: str | None = None
    extensions: Mapping[str, Any] = field(default_factory=dict)
    # The locations of the token that sent it, set by Heedful at ingest and never read from the
    # event's JSON: None for admins and the system (every location). The engine treats a
    # customer or a location outside them as unknown (ADR 0029).
    sender_locations: frozenset[str] | None = None

    @property
    def key(self) -> tuple[str, str]:
        return (self.source, self.id)


@dataclass(frozen=True, slots=True)
class StoredEvent:
    """An event in the inbox; ``sequence`` is the order of arrival the engine works in."""

    sequence: int
    event: BusinessEvent
    received_at: datetime
    processed_at: datetime | None = None
    retry_at: datetime | None = None  # set after a failed try: not taken again before then


class EventInbox(Protocol):
    """The durable inbox of business events, deduplicated by source and id."""

    def accept(self, events: Sequence[BusinessEvent], *, received_at: datetime) -> list[bool]:
        """Store the events not seen before; per event, in input order: True if new.

        An event repeated within ``events`` is new once and a duplicate after that.
        """
        ...

    def unprocessed(
        self, limit: int, after_sequence: int | None = None, *, now: datetime | None = None
    ) -> list[StoredEvent]:
        """The oldest events not yet processed, in sequence order; never a dead letter.

        With ``now``, an event that failed and waits out its backoff is left for later. A stored
        event this version cannot read is set aside as a dead letter, and the ones behind it are
        handed out instead.

        On PostgreSQL the rows are locked for this transaction and rows other workers hold are
        skipped, so several workers share the work without taking an event twice.
        """
        ...

    def mark_processed(self, sequences: Sequence[int], at: datetime) -> None: ...
    def purge_set_aside(self, sequences: Sequence[int]) -> int:
        """Drop these events if they are still set aside (dead, never processed)."""
        ...

    def try_again_at(self, sequence: int, at: datetime) -> None:
        """A failed event waits until ``at`` before it is taken again."""
        ...

    def set_aside(self, sequence: int, at: datetime) -> None:
        """A dead letter: left out of ``unprocessed`` until ``put_back``."""
        ...

    def put_back(self, sequence: int, at: datetime) -> bool:
        """An operator's retry: the event is due again at ``at``; False if there is none such."""
        ...

    def get(self, sequence: int) -> StoredEvent | None: ...

    def between(self, type: str, since: datetime, until: datetime, limit: int) -> list[StoredEvent]:
        """Events of one type received in [since, until), oldest first: replays and dry-runs."""
        ...

    def purge(self, processed_before: datetime) -> int:
        """Drop events processed before the cutoff; return how many went."""
        ...

    def take_stream_turn(self, stream: str, start_after: int) -> int:
        """Where ``stream`` is stored through (its sequence); this transaction now holds the
        stream's intake until it ends, so no other worker stores from the stream meanwhile.

        A stream not seen before starts after ``start_after``.
        """
        ...

    def stream_stored_through(self, stream: str, through: int) -> None:
        """Record, with the events stored in this transaction, how far the stream is stored."""
        ...
