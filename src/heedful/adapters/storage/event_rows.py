"""The event inbox on SQL: one statement per batch, deduplicated by (source, event_id)."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import datetime
from functools import cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as postgres_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection, RowMapping

from heedful.adapters.clock import SystemClock
from heedful.adapters.storage.driver_statements import read_on_driver
from heedful.adapters.storage.tables import events, stream_positions
from heedful.adapters.storage.unreadable import note_unreadable, read_queue, text
from heedful.adapters.storage.wakeup import EVENTS_CHANNEL
from heedful.core.dead_letters.model import LetterKind
from heedful.core.events.model import BusinessEvent, StoredEvent
from heedful.core.events.ordering import ordering_key

# PostgreSQL: the whole batch as one JSON document, one array per event, unnested into one
# INSERT. One parameter, encoded by the C JSON encoder in one call: psycopg adapts a list of
# strings per element in Python (escaping each with a regular expression), which cost more than
# everything else the server did for a batch. `data` and `extensions` go in as the JSON they are.
# ORDER BY the position hands out sequences in the order the sender listed the events.
_INSERT_FROM_JSON = """
INSERT INTO events
    (source, event_id, type, subject, time, dataschema, data, extensions, received_at,
     sender_locations, ordering_key)
SELECT event->>0, event->>1, event->>2, event->>3, (event->>4)::timestamptz, event->>5,
       event->6, event->7, %(received_at)s, NULLIF(event->8, 'null'::jsonb), event->>9
FROM jsonb_array_elements(%(batch)s::jsonb) WITH ORDINALITY AS batch(event, position)
ORDER BY position
ON CONFLICT (source, event_id) DO NOTHING
RETURNING source, event_id
"""


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _row(event: BusinessEvent) -> list[Any]:
    """An event as the positional array ``_INSERT_FROM_JSON`` reads."""
    time = event.time.isoformat() if event.time is not None else None
    return [
        event.source,
        event.id,
        event.type,
        event.subject,
        time,
        event.dataschema,
        event.data,
        event.extensions,
        _locations(event),
        ordering_key(event),
    ]


def _locations(event: BusinessEvent) -> list[str] | None:
    scope = event.sender_locations
    return sorted(scope) if scope is not None else None


def _stored(row: RowMapping) -> StoredEvent:
    # Ingest keeps only objects (core/events/cloudevents.py); anything else was written by
    # another hand and would fail deep in the engine instead of here, where it is set aside.
    for column in ("data", "extensions"):
        if not isinstance(row[column], dict):
            raise TypeError(f"an event's {column} must be a JSON object, not {row[column]!r:.40}")
    return StoredEvent(
        sequence=row["sequence"],
        event=BusinessEvent(
            source=row["source"],
            id=row["event_id"],
            type=row["type"],
            data=row["data"],
            subject=row["subject"],
            time=row["time"],
            dataschema=row["dataschema"],
            extensions=row["extensions"],
            sender_locations=(
                frozenset(row["sender_locations"]) if row["sender_locations"] is not None else None
            ),
        ),
        received_at=row["received_at"],
        processed_at=row["processed_at"],
        retry_at=row["retry_at"],
    )


@cache
def _sqlite_claim(due: bool, after: bool) -> sa.Select[Any]:
    """The claim SQLite runs on the driver's cursor, with its values as parameters: ``now``
    (when ``due``), ``after`` (a sequence, when ``after``) and ``limit``."""
    query = events.select().where(_waiting(events, sa.bindparam("now") if due else None))
    if after:
        query = query.where(events.c.sequence > sa.bindparam("after"))
    return query.order_by(events.c.sequence).limit(sa.bindparam("limit"))


def _waiting(
    table: sa.FromClause, now: datetime | sa.BindParameter[Any] | None
) -> sa.ColumnElement[bool]:
    """Waiting and due: not done, not set aside, not waiting out a backoff."""
    waiting = sa.and_(table.c.processed_at.is_(None), table.c.dead_at.is_(None))
    if now is None:
        return waiting
    # Failed events are few; this filter costs a look at each waiting row, not a scan.
    return sa.and_(waiting, sa.or_(table.c.retry_at.is_(None), table.c.retry_at <= now))


def _earlier_waits(now: datetime | None, after_sequence: int | None) -> sa.Exists:
    """An earlier event with the same key waits (one probe of ``ix_events_waiting_by_key``).

    Waiting means claimable: an event waiting out its backoff after a failure holds nothing
    up, as with one worker, where the events behind it are handled meanwhile (ADR 22). Up to
    ``after_sequence`` the caller has the events already.
    """
    earlier = events.alias("earlier")
    probe: sa.Select[Any] = sa.select(sa.literal_column("1")).where(
        earlier.c.ordering_key == events.c.ordering_key,
        earlier.c.sequence < events.c.sequence,
        _waiting(earlier, now),
    )
    if after_sequence is not None:
        probe = probe.where(earlier.c.sequence > after_sequence)
    # OFFSET 0 keeps the probe a probe (ADR 64): without it PostgreSQL may turn NOT EXISTS into
    # an anti join, and an inbox's statistics lag its filling (thousands waiting, "1 row" in
    # the planner's eyes), so it chose a nested loop reading the whole key index once per event
    # looked at: 783 ms to claim 200 of 4,000 waiting events, against 0.8 ms probing.
    return probe.offset(sa.literal_column("0")).exists()


# How far past the oldest waiting events a claim looks for events whose turn it is, in batches.
# Each event looked at costs one probe of the key index; without a bound, a worker finding
# the inbox full of a few keys' events, all behind other workers' claims, would probe every
# one of them (2.4 s for 100,000 events of 100 keys) to take none. Within the window it takes
# what it may, else nothing this pass; the window moves on as the events in it are done, so
# nothing beyond it waits forever, and it counts only events that are due, so a pile of
# failed events waiting out their backoff cannot fill it.
CLAIM_WINDOW = 5


def _within_window(waiting: sa.Select[Any], limit: int) -> sa.ColumnElement[bool]:
    edge = (
        waiting.with_only_columns(events.c.sequence)
        .order_by(events.c.sequence)
        .offset(limit * CLAIM_WINDOW - 1)
        .limit(1)
        .scalar_subquery()
    )
    # Fewer waiting than the window: no bound (the largest sequence a BIGINT holds).
    return events.c.sequence <= sa.func.coalesce(edge, 2**63 - 1)


class SqlEventInbox:
    """Implements ``heedful.core.events.model.EventInbox``."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self._postgres = conn.dialect.name == "postgresql"

    def accept(self, events_in: Sequence[BusinessEvent], *, received_at: datetime) -> list[bool]:
        # A repeat inside the batch is settled here: the database sees each key once.
        first: dict[tuple[str, str], BusinessEvent] = {}
        for event in events_in:
            first.setdefault((event.source, event.id), event)
        if not first:
            return []
        batch = list(first.values())
        insert = self._insert_postgres if self._postgres else self._insert_portable
        inserted = insert(batch, received_at)
        answers: list[bool] = []
        for event in events_in:
            key = (event.source, event.id)
            answers.append(key in inserted)
            inserted.discard(key)  # the same key later in the batch is its duplicate
        return answers

    def _insert_postgres(
        self, batch: list[BusinessEvent], received_at: datetime
    ) -> set[tuple[str, str]]:
        params = {"received_at": received_at, "batch": _json([_row(e) for e in batch])}
        rows = self._conn.exec_driver_sql(_INSERT_FROM_JSON, params)
        inserted = {(source, event_id) for source, event_id in rows}
        if inserted:
            # Delivered at commit, and only then: workers in other processes that LISTEN wake
            # at once instead of at their next poll (see adapters/storage/wakeup.py).
            self._conn.exec_driver_sql(f"NOTIFY {EVENTS_CHANNEL}")
        return inserted

    def _insert_portable(
        self, batch: list[BusinessEvent], received_at: datetime
    ) -> set[tuple[str, str]]:
        statement = (
            sqlite_insert(events)
            .on_conflict_do_nothing(index_elements=["source", "event_id"])
            .returning(events.c.source, events.c.event_id)
        )
        rows = self._conn.execute(
            statement,
            [
                {
                    "source": e.source,
                    "event_id": e.id,
                    "type": e.type,
                    "subject": e.subject,
                    "time": e.time,
                    "dataschema": e.dataschema,
                    "data": dict(e.data),
                    "extensions": dict(e.extensions),
                    "received_at": received_at,
                    "sender_locations": _locations(e),
                    "ordering_key": ordering_key(e),
                }
                for e in batch
            ],
        )
        return {(source, event_id) for source, event_id in rows}

    def unprocessed(
        self, limit: int, after_sequence: int | None = None, *, now: datetime | None = None
    ) -> list[StoredEvent]:
        """The oldest waiting events, claimed; on PostgreSQL only those whose turn it is.

        Several workers share the inbox there, so an event is handed out only when no earlier
        event with its ordering key waits (ADR 61): first the oldest events that are first of
        their key (``_earlier_waits``), then, if the batch has room, the events behind them with
        the same keys, which no other worker can take while this one holds their first. Both
        look only so far (``CLAIM_WINDOW``). SQLite has one writer: a worker claims, handles and
        commits its batch before the next claims, and the oldest events are always in turn.
        """
        # The partial index's own predicate, so that the planner walks only waiting events.
        query = events.select().where(_waiting(events, now))
        if after_sequence is not None:
            query = query.where(events.c.sequence > after_sequence)
        at = now if now is not None else SystemClock().now()

        def set_aside(sequence: int, row: RowMapping | None, error: Exception) -> None:
            what = f"event {text(row, 'type', 'source')}/{text(row, 'event_id')}"
            note_unreadable(self._conn, LetterKind.EVENT, str(sequence), what, error, at)
            self.set_aside(sequence, at)

        def claim(query: sa.Select[Any], limit: int) -> list[StoredEvent]:
            ordered = query.order_by(events.c.sequence).limit(limit)
            return read_queue(self._conn, ordered, events.c.sequence, _stored, set_aside)

        if self._conn.dialect.name == "sqlite":
            return self._claim_on_driver(limit, after_sequence, now, set_aside)
        if not self._postgres:
            return claim(query, limit)
        query = query.where(_within_window(query, limit))
        firsts = claim(query.where(~_earlier_waits(now, after_sequence)), limit)
        if not firsts or len(firsts) >= limit:
            return firsts
        taken = [item.sequence for item in firsts]
        keys = self._conn.execute(
            sa.select(events.c.ordering_key)
            .where(events.c.sequence.in_(taken), events.c.ordering_key.is_not(None))
            .distinct()
        ).scalars()
        # Behind this worker's firsts, in order: every earlier event of their keys is either
        # done or claimed here (an earlier one committed late by a slow ingest is taken too,
        # and handled first, as its sequence says).
        behind = query.where(events.c.ordering_key.in_(list(keys)), events.c.sequence.not_in(taken))
        return sorted(firsts + claim(behind, limit - len(firsts)), key=lambda item: item.sequence)

    def purge_set_aside(self, sequences: Sequence[int]) -> int:
        if not sequences:
            return 0
        result = self._conn.execute(
            events.delete().where(
                events.c.sequence.in_(list(sequences)),
                events.c.processed_at.is_(None),
                events.c.dead_at.is_not(None),
            )
        )
        return int(result.rowcount)

    def try_again_at(self, sequence: int, at: datetime) -> None:
        self._conn.execute(events.update().where(events.c.sequence == sequence).values(retry_at=at))

    def set_aside(self, sequence: int, at: datetime) -> None:
        self._conn.execute(
            events.update().where(events.c.sequence == sequence).values(dead_at=at, retry_at=None)
        )

    def put_back(self, sequence: int, at: datetime) -> bool:
        result = self._conn.execute(
            events.update()
            .where(events.c.sequence == sequence, events.c.processed_at.is_(None))
            .values(dead_at=None, retry_at=at)
        )
        return bool(result.rowcount)

    def get(self, sequence: int) -> StoredEvent | None:
        row = self._conn.execute(events.select().where(events.c.sequence == sequence)).mappings()
        found = row.first()
        return _stored(found) if found is not None else None

    def _claim_on_driver(
        self,
        limit: int,
        after_sequence: int | None,
        now: datetime | None,
        set_aside: Callable[[int, Any, Exception], None],
    ) -> list[StoredEvent]:
        """SQLite: the oldest waiting events on the driver's cursor (ADR 80), each row read
        alone as ``read_queue`` reads them: one this version cannot read is set aside (out of
        the waiting), and the claim asks again for the rows behind it."""
        statement = _sqlite_claim(now is not None, after_sequence is not None)
        values: dict[str, Any] = {"limit": limit}
        if now is not None:
            values["now"] = now
        if after_sequence is not None:
            values["after"] = after_sequence
        while True:
            columns, rows = read_on_driver(self._conn, statement, values)
            readable: list[StoredEvent] = []
            unreadable = 0
            for raw in rows:
                try:
                    row = {name: read(value) if read else value
                           for (name, read), value in zip(columns, raw, strict=True)}  # fmt: skip
                    readable.append(_stored(row))  # type: ignore[arg-type]
                except Exception as error:  # any row this version cannot map
                    stored = {name: value for (name, _), value in zip(columns, raw, strict=True)}
                    set_aside(stored["sequence"], stored, error)  # as stored: the words it has
                    unreadable += 1
            if not unreadable:
                return readable

    def mark_processed(self, sequences: Sequence[int], at: datetime) -> None:
        if sequences:
            self._conn.execute(
                events.update()
                .where(events.c.sequence.in_(list(sequences)))
                .values(processed_at=at)
            )

    def between(self, type: str, since: datetime, until: datetime, limit: int) -> list[StoredEvent]:
        query = (
            events.select()
            .where(
                events.c.type == type,
                events.c.received_at >= since,
                events.c.received_at < until,
            )
            .order_by(events.c.received_at, events.c.sequence)
            .limit(limit)
        )
        return [_stored(row) for row in self._conn.execute(query).mappings()]

    def purge(self, processed_before: datetime) -> int:
        result = self._conn.execute(
            events.delete().where(
                events.c.processed_at.is_not(None), events.c.processed_at < processed_before
            )
        )
        return int(result.rowcount)

    def take_stream_turn(self, stream: str, start_after: int) -> int:
        insert = postgres_insert if self._postgres else sqlite_insert
        self._conn.execute(
            insert(stream_positions)
            .values(stream=stream, stored_through=start_after)
            .on_conflict_do_nothing(index_elements=["stream"])
        )
        # PostgreSQL: the row lock is the intake's turn, held to this transaction's end (a dead
        # worker's goes with its connection). SQLite: BEGIN IMMEDIATE already let one writer in.
        query = (
            sa.select(stream_positions.c.stored_through)
            .where(stream_positions.c.stream == stream)
            .with_for_update()
        )
        return int(self._conn.execute(query).scalar_one())

    def stream_stored_through(self, stream: str, through: int) -> None:
        self._conn.execute(
            stream_positions.update()
            .where(stream_positions.c.stream == stream)
            .values(stored_through=through)
        )


def count_events(conn: Connection) -> int:
    """For operators and benchmarks: how many events the inbox holds."""
    return int(conn.execute(sa.select(sa.func.count()).select_from(events)).scalar_one())
