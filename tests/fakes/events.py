"""The fake event inbox: events by sequence, a repeated (source, id) a duplicate."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from fakes._base import Repository as _Repository
from fakes._base import copy as _copy
from fakes._base import insert, overwrite
from heedful.core.events.model import BusinessEvent, StoredEvent
from heedful.core.events.vocabulary import CustomEventType


class FakeEventInbox(_Repository):
    """Events by sequence; (source, id) seen before is a duplicate, as the unique key makes it."""

    def accept(self, events: Sequence[BusinessEvent], *, received_at: datetime) -> list[bool]:
        state = self._writing()
        seen = {stored.event.key for stored in state.events.values()}
        answers: list[bool] = []
        for event in events:
            if event.key in seen:
                answers.append(False)
                continue
            seen.add(event.key)
            state.last_event_sequence += 1
            sequence = state.last_event_sequence
            state.events[sequence] = StoredEvent(sequence, _copy(event), received_at)
            answers.append(True)
        return answers

    def unprocessed(
        self, limit: int, after_sequence: int | None = None, *, now: datetime | None = None
    ) -> list[StoredEvent]:
        waiting = [
            stored
            for sequence, stored in sorted(self._state.events.items())
            if stored.processed_at is None
            and (after_sequence is None or sequence > after_sequence)
            and (now is None or stored.retry_at is None or stored.retry_at <= now)
        ]
        return _copy(waiting[:limit])

    def mark_processed(self, sequences: Sequence[int], at: datetime) -> None:
        table = self._writing().events
        for sequence in sequences:
            if sequence in table:
                table[sequence] = replace(table[sequence], processed_at=at)

    def try_again_at(self, sequence: int, at: datetime) -> None:
        table = self._writing().events
        table[sequence] = replace(table[sequence], retry_at=at)

    def set_aside(self, sequence: int, at: datetime) -> None:
        # The fake has no dead_at: a set-aside event simply never comes due again.
        table = self._writing().events
        table[sequence] = replace(table[sequence], retry_at=datetime.max.replace(tzinfo=at.tzinfo))

    def put_back(self, sequence: int, at: datetime) -> bool:
        table = self._writing().events
        if sequence not in table or table[sequence].processed_at is not None:
            return False
        table[sequence] = replace(table[sequence], retry_at=at)
        return True

    def get(self, sequence: int) -> StoredEvent | None:
        return _copy(self._state.events.get(sequence))

    def between(self, type: str, since: datetime, until: datetime, limit: int) -> list[StoredEvent]:
        found = [
            stored
            for stored in self._state.events.values()
            if stored.event.type == type and since <= stored.received_at < until
        ]
        found.sort(key=lambda stored: (stored.received_at, stored.sequence))
        return _copy(found[:limit])

    def purge_set_aside(self, sequences: Sequence[int]) -> int:
        table = self._writing().events
        gone = [s for s in sequences if s in table and table[s].processed_at is None]
        for sequence in gone:
            del table[sequence]
        return len(gone)

    def purge(self, processed_before: datetime) -> int:
        table = self._writing().events
        old = [
            sequence
            for sequence, stored in table.items()
            if stored.processed_at is not None and stored.processed_at < processed_before
        ]
        for sequence in old:
            del table[sequence]
        return len(old)

    def take_stream_turn(self, stream: str, start_after: int) -> int:
        # One writer at a time in the fakes: the turn is the transaction itself.
        return self._writing().stream_positions.setdefault(stream, start_after)

    def stream_stored_through(self, stream: str, through: int) -> None:
        self._writing().stream_positions[stream] = through


class FakeEventTypes(_Repository):
    """A business's own event types by name, as ``event_type_rows.py`` keeps them."""

    def all(self) -> list[CustomEventType]:
        return _copy(sorted(self._state.event_types.values(), key=lambda t: t.name))

    def get(self, name: str) -> CustomEventType | None:
        return _copy(self._state.event_types.get(name))

    def add(self, event_type: CustomEventType) -> None:
        insert(self._writing().event_types, event_type.name, event_type)

    def update(self, event_type: CustomEventType) -> None:
        overwrite(self._writing().event_types, event_type.name, event_type)

    def remove(self, name: str) -> bool:
        return self._writing().event_types.pop(name, None) is not None

    def last_changed(self) -> tuple[int, datetime | None]:
        held = [t.changed_at for t in self._state.event_types.values()]
        return len(held), max(held, default=None)
