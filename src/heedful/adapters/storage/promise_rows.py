"""The promise ledger's rows: promises, their evidence and the waiting list."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from functools import cache, lru_cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from heedful.adapters.storage.driver_statements import column_reader, write_many
from heedful.adapters.storage.key_lists import one_of
from heedful.adapters.storage.promise_row_values import evidence_entry, promise_of, promise_values
from heedful.adapters.storage.promise_tables import promises
from heedful.core.promises.model import (
    Promise,
    PromiseKind,
    PromiseState,
    WantedItem,
)
from heedful.core.promises.ports import KeepTime, Outcome, OutcomeCount, PromiseFilter

# Built once, with bound parameters (a promise is updated with each message sent about it).
_UPDATE = promises.update().where(promises.c.id == sa.bindparam("promise_id"))
# What telling her changes, and only that: SQLite rewrites the entry of every index whose
# column an UPDATE sets, changed or not, and setting all 22 columns of a told promise cost the
# batch more than the rest of its writes together (issue 18's profile, ADR 65).
_NOTICE_UPDATE = (
    promises.update()
    .where(promises.c.id == sa.bindparam("promise_id"))
    .values(notice_message_id=sa.bindparam("notice_id"), evidence=sa.bindparam("notes"))
)
# The told promises read from the store, by their primary key: on SQLite the row itself (its
# rowid), where by ``id`` each first went down the index of a million ids (ADR 80).
_NOTICE_UPDATE_BY_SEQUENCE = (
    promises.update()
    .where(promises.c.sequence == sa.bindparam("promise_sequence"))
    .values(notice_message_id=sa.bindparam("notice_id"), evidence=sa.bindparam("notes"))
)

# What recording a send changes: the relay wrote all 22 columns of each promise, and setting
# them cost a batch's writes most of their CPU (issue 18's profile, ADR 79; ADR 65's reason too).
_SENT_UPDATE = (
    promises.update()
    .where(promises.c.id == sa.bindparam("promise_id"))
    .values(
        state=sa.bindparam("new_state"),
        closed_at=sa.bindparam("new_closed_at"),
        closed_by_label=sa.bindparam("new_closed_by_label"),
        evidence=sa.bindparam("notes"),
    )
)

_BY_IDS = (
    sa.select(promises)
    .where(one_of(promises.c.id, "promise_ids"))
    .order_by(promises.c.id)  # one order for every relay's locks: no deadlock
)
_BY_IDS_LOCKED = _BY_IDS.with_for_update()
# Still waiting to be told: what the partial index ix_promises_waiting holds, less those told.
_STILL_WAITING = (
    promises.c.state == PromiseState.OPEN.value,
    promises.c.kind == PromiseKind.TELL_WHEN_AVAILABLE.value,
    promises.c.notice_message_id.is_(None),
)
# Built once (a stock report that wakes someone asks it): building the expression per call cost
# more CPU than running it (issue 18's profile).
_WAITING_FOR = (
    sa.select(promises)
    .where(
        promises.c.item_product == sa.bindparam("product"),
        promises.c.location_id == sa.bindparam("location_id"),
        *_STILL_WAITING,
        promises.c.item_variant.in_([sa.bindparam("any_variant"), sa.bindparam("variant")]),
        promises.c.item_size.in_([sa.bindparam("any_size"), sa.bindparam("size")]),
    )
    .order_by(promises.c.sequence)
    .limit(sa.bindparam("limit"))
)
# Locked on PostgreSQL, skipping what other workers hold (``claiming.claimed``), built once too.
_WAITING_FOR_LOCKED = _WAITING_FOR.with_for_update(skip_locked=True)
# PostgreSQL only: ``= ANY(array)`` (``one_of``), one statement text whatever the batch's count.
_CLAIM_WAITING = (
    sa.select(promises.c.id)
    .where(one_of(promises.c.id, "ids"), *_STILL_WAITING)
    .order_by(promises.c.id)  # one order for every worker's locks
    .with_for_update(skip_locked=True)
)


# PostgreSQL only (``_waiting_in_each_line``): each line's first few in one statement, a probe of
# ix_promises_waiting per line that stops at its own count. The window over a list of lines it
# replaces read every wait of each line, and its list of row values took longer to plan than to
# run (issue 18's benchmark: 67 ms a batch of 200 reports). ``OFFSET 0`` keeps it a probe per line.
_FIRST_OF_EACH_LINE = sa.text(
    "SELECT found.* FROM unnest(CAST(:products AS VARCHAR[]), CAST(:locations AS VARCHAR[]),"
    " CAST(:wanted AS INTEGER[])) AS line(product, location_id, wanted)"
    " CROSS JOIN LATERAL (SELECT * FROM promises WHERE item_product = line.product"
    " AND location_id = line.location_id AND state = 'open' AND kind = 'tell_when_available'"
    " AND notice_message_id IS NULL ORDER BY sequence LIMIT line.wanted OFFSET 0) AS found"
    " ORDER BY found.sequence"
).columns(*promises.c)


# SQLite only (``_waiting_in_one_by_one``): the first ``limit`` still waiting in a line, from
# ix_promises_waiting in order; told ones (their message not yet gone) are passed by.
_FIRST_IN_LINE = (
    f"SELECT {', '.join(c.name for c in promises.c)} FROM promises"  # noqa: S608 - the table's own
    " WHERE item_product = ? AND location_id = ?"
    " AND state = 'open' AND kind = 'tell_when_available' AND notice_message_id IS NULL"
    " ORDER BY sequence LIMIT ?"
)


@cache
@lru_cache(maxsize=4)  # a few dialects; asked once a batch
def _row_readers(dialect: sa.Dialect) -> tuple[tuple[str, Any], ...]:
    """Each column of ``promises`` with what SQLAlchemy does to its value as read (JSON decoded,
    a datetime made aware; None: taken as it comes), for rows read on the driver's cursor."""
    return tuple((column.name, column_reader(column.type, dialect)) for column in promises.c)


def _one_of(column: sa.Column[Any], values: frozenset[Any]) -> sa.ColumnElement[bool]:
    # "= 'open'" rather than "IN ('open')" for one value: the partial indexes' predicates
    # (state = 'open' AND kind = 'tell_when_available') are proved from an equality.
    stored = sorted(value.value for value in values)
    return column == stored[0] if len(stored) == 1 else column.in_(stored)


class SqlPromises:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, promise: Promise) -> None:
        result = self._conn.execute(promises.insert().values(promise_values(promise)))
        key = result.inserted_primary_key
        assert key is not None
        promise.sequence = int(key[0])

    def add_many(self, added: Sequence[Promise]) -> None:
        if not added:
            return
        # One executemany with RETURNING (SQLAlchemy's insertmanyvalues on both backends): the
        # identity column gives each its place in line, read back by id.
        rows = self._conn.execute(
            promises.insert().returning(promises.c.id, promises.c.sequence),
            [promise_values(promise) for promise in added],
        )
        given = {row.id: int(row.sequence) for row in rows}
        for promise in added:
            promise.sequence = given[promise.id]

    def get(self, promise_id: str, *, for_change: bool = False) -> Promise | None:
        query = sa.select(promises).where(promises.c.id == promise_id)
        if for_change and self._conn.dialect.name == "postgresql":
            query = query.with_for_update()
        row = self._conn.execute(query).mappings().first()
        return promise_of(row) if row else None

    def get_many(self, promise_ids: Sequence[str], *, for_change: bool = False) -> list[Promise]:
        if not promise_ids:
            return []
        locked = for_change and self._conn.dialect.name == "postgresql"
        query = _BY_IDS_LOCKED if locked else _BY_IDS
        rows = self._conn.execute(query, {"promise_ids": sorted(promise_ids)})
        return [promise_of(row) for row in rows.mappings()]

    def update(self, promise: Promise) -> None:
        values = promise_values(promise)
        values["promise_id"] = values.pop("id")
        self._conn.execute(_UPDATE, values)

    def update_many(self, updated: Sequence[Promise]) -> None:
        if updated:  # one executemany: the relay keeps a batch's promises at once
            rows = []
            for promise in updated:
                values = promise_values(promise)
                values["promise_id"] = values.pop("id")
                rows.append(values)
            self._conn.execute(_UPDATE, rows)

    def update_notices(self, told: Sequence[Promise]) -> None:
        if not told:
            return
        if all(promise.sequence > 0 for promise in told):  # all read from the store
            rows = [{"promise_sequence": promise.sequence,
                     "notice_id": promise.notice_message_id,
                     "notes": [evidence_entry(e) for e in promise.evidence]}
                    for promise in told]  # fmt: skip
            write_many(self._conn, _NOTICE_UPDATE_BY_SEQUENCE, rows)
            return
        rows = [{"promise_id": promise.id, "notice_id": promise.notice_message_id,
                 "notes": [evidence_entry(e) for e in promise.evidence]}
                for promise in told]  # fmt: skip
        write_many(self._conn, _NOTICE_UPDATE, rows)

    def update_evidence_and_state(self, updated: Sequence[Promise]) -> None:
        if updated:
            rows = [{"promise_id": promise.id, "new_state": promise.state.value,
                     "new_closed_at": promise.closed_at,
                     "new_closed_by_label": promise.closed_by_label,
                     "notes": [evidence_entry(e) for e in promise.evidence]}
                    for promise in updated]  # fmt: skip
            self._conn.execute(_SENT_UPDATE, rows)

    def find(self, where: PromiseFilter, limit: int) -> list[Promise]:
        query = sa.select(promises)
        if where.customer_id is not None:
            query = query.where(promises.c.customer_id == where.customer_id)
        if where.location_ids is not None:
            query = query.where(promises.c.location_id.in_(sorted(where.location_ids)))
        if where.states is not None:
            query = query.where(_one_of(promises.c.state, where.states))
        if where.kinds is not None:
            query = query.where(_one_of(promises.c.kind, where.kinds))
        if where.item_products is not None:
            query = query.where(promises.c.item_product.in_(sorted(where.item_products)))
        if where.due_before is not None:
            query = query.where(promises.c.due_at <= where.due_before)
            order: list[Any] = [promises.c.due_at, promises.c.sequence]
        else:
            order = [promises.c.sequence.desc()]
        rows = self._conn.execute(query.order_by(*order).limit(limit)).mappings()
        return [promise_of(row) for row in rows]

    def waiting_in(self, lines: Mapping[tuple[str, str], int]) -> list[Promise]:
        if not lines:
            return []
        if self._conn.dialect.name == "sqlite":
            return self._waiting_in_one_by_one(lines)
        if self._conn.dialect.name == "postgresql":
            return self._waiting_in_each_line(lines)
        # The partial index ix_promises_waiting (item_product, location_id, sequence) serves it:
        # each line's waits in order; the window keeps the first of each, as many as the line
        # asking most wants (the others' extra rows are dropped here).
        asked = sorted(lines)
        most = max(lines.values())
        found: list[Promise] = []
        for start in range(0, len(asked), 500):
            chunk = asked[start : start + 500]
            place = (
                sa.func.row_number()
                .over(
                    partition_by=(promises.c.item_product, promises.c.location_id),
                    order_by=promises.c.sequence,
                )
                .label("place_in_line")
            )
            ranked = (
                sa.select(promises, place)
                .where(
                    sa.tuple_(promises.c.item_product, promises.c.location_id).in_(chunk),
                    *_STILL_WAITING,
                )
                .subquery()
            )
            query = (
                sa.select(*(ranked.c[column.name] for column in promises.c), ranked.c.place_in_line)
                .where(ranked.c.place_in_line <= most)
                .order_by(ranked.c.sequence)
            )
            found.extend(
                promise_of(row)
                for row in self._conn.execute(query).mappings()
                if row["place_in_line"] <= lines[(row["item_product"], row["location_id"])]
            )
        found.sort(key=lambda promise: promise.sequence)
        return found

    def _waiting_in_each_line(self, lines: Mapping[tuple[str, str], int]) -> list[Promise]:
        """PostgreSQL: each line's first ``lines[line]`` from ix_promises_waiting, a probe per
        line in one statement (``_FIRST_OF_EACH_LINE``)."""
        asked = sorted(lines)
        values = {
            "products": [product for product, _ in asked],
            "locations": [location_id for _, location_id in asked],
            "wanted": [lines[line] for line in asked],
        }
        return [
            promise_of(row) for row in self._conn.execute(_FIRST_OF_EACH_LINE, values).mappings()
        ]

    def _waiting_in_one_by_one(self, lines: Mapping[tuple[str, str], int]) -> list[Promise]:
        """SQLite: each line's first few, their whole rows, by one indexed look-up per line.

        The window over a list of lines made SQLite scan the whole partial index (every open
        wish, not only the batch's lines) and sort full rows: 25 ms a batch at 20,000 wishes,
        growing with them. One indexed look-up per line is a few microseconds in process (no
        round trip), done on the driver's cursor with one prepared statement (ADR 65). Each
        look-up returns the rows themselves, mapped as SQLAlchemy maps them
        (``_row_readers``): their places and then their rows by a list of places cost a second
        statement, compiled anew for each length of the list, and a row object per promise
        (issue 18's profile: a sixth of the worker's CPU per event at the issue's size, ADR 77).
        """
        readers = _row_readers(self._conn.dialect)
        cursor = self._conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        found: list[Promise] = []
        try:
            for (product, location_id), wanted in lines.items():
                cursor.execute(_FIRST_IN_LINE, (product, location_id, wanted))
                for raw in cursor.fetchall():
                    row = {name: read(value) if read else value
                           for (name, read), value in zip(readers, raw, strict=True)}  # fmt: skip
                    found.append(promise_of(row))  # type: ignore[arg-type]
        finally:
            cursor.close()
        found.sort(key=lambda promise: promise.sequence)
        return found

    def claim_waiting(self, promise_ids: Sequence[str]) -> set[str]:
        if self._conn.dialect.name != "postgresql":
            return set(promise_ids)  # one writer at a time: what this transaction read is its own
        if not promise_ids:
            return set()
        rows = self._conn.execute(_CLAIM_WAITING, {"ids": sorted(promise_ids)})
        return {promise_id for (promise_id,) in rows}

    def waiting_for(self, item: WantedItem, limit: int) -> list[Promise]:
        postgres = self._conn.dialect.name == "postgresql"
        query = _WAITING_FOR_LOCKED if postgres else _WAITING_FOR
        values = {
            "product": item.product,
            "location_id": item.location_id,
            "any_variant": "",
            "variant": item.variant,
            "any_size": "",
            "size": item.size,
            "limit": limit,
        }
        rows = self._conn.execute(query, values).mappings()
        return [promise_of(row) for row in rows]

    def count_outcomes(
        self,
        week_starts: Sequence[datetime],
        until: datetime,
        now: datetime,
        location_ids: frozenset[str] | None,
    ) -> list[OutcomeCount]:
        # The database counts: a year of promises comes back as a few hundred rows, not one
        # per promise. Weeks are bucketed against boundaries computed in Python, so a week
        # follows the report's time zone (clock changes included) on SQLite as on PostgreSQL.
        made_at = promises.c.made_at
        # Made before the start of week i + 1: in week i; after every start: in the last week.
        later_starts = week_starts[1:]
        week: sa.ColumnElement[Any] = sa.literal_column(str(len(later_starts)))
        if later_starts:
            week = sa.case(
                *[
                    (made_at < start, sa.literal_column(str(i)))
                    for i, start in enumerate(later_starts)
                ],
                else_=week,
            )
        is_open = promises.c.state == PromiseState.OPEN.value
        outcome = sa.case(
            (sa.and_(is_open, promises.c.due_at < now), sa.literal(Outcome.OVERDUE.value)),
            (is_open, sa.literal(Outcome.WAITING.value)),
            else_=promises.c.state,
        )
        rows = sa.select(
            promises.c.kind,
            promises.c.location_id,
            promises.c.made_by,
            promises.c.made_by_label,
            outcome.label("outcome"),
            week.label("week"),
        ).where(made_at >= week_starts[0], made_at < until)
        if location_ids is not None:
            rows = rows.where(promises.c.location_id.in_(sorted(location_ids)))
        # Grouped outside: PostgreSQL cannot tell that two bound copies of a CASE are the same.
        each = rows.subquery()
        query = sa.select(
            each.c.kind,
            each.c.location_id,
            each.c.made_by,
            sa.func.max(each.c.made_by_label).label("made_by_label"),
            each.c.outcome,
            each.c.week,
            sa.func.count().label("promises"),
        ).group_by(each.c.kind, each.c.location_id, each.c.made_by, each.c.outcome, each.c.week)
        return [
            OutcomeCount(
                kind=row.kind,
                location_id=row.location_id,
                made_by=row.made_by,
                made_by_label=row.made_by_label,
                outcome=Outcome(row.outcome),
                week=int(row.week),
                count=int(row.promises),
            )
            for row in self._conn.execute(query)
        ]

    def keep_times(
        self,
        since: datetime,
        until: datetime,
        location_ids: frozenset[str] | None,
        limit: int,
    ) -> list[KeepTime]:
        # Two timestamps a kept promise; subtracted here, not in SQL, where SQLite and PostgreSQL
        # disagree on date arithmetic.
        p = promises.c
        query = (
            sa.select(p.kind, p.location_id, p.made_by, p.made_at, p.closed_at)
            .where(
                p.made_at >= since,
                p.made_at < until,
                p.state.in_([PromiseState.KEPT.value, PromiseState.KEPT_LATE.value]),
                p.closed_at.is_not(None),
            )
            .order_by(p.made_at)
            .limit(limit)
        )
        if location_ids is not None:
            query = query.where(p.location_id.in_(sorted(location_ids)))
        return [
            KeepTime(
                row.kind,
                row.location_id,
                row.made_by,
                max(0.0, (row.closed_at - row.made_at).total_seconds()),
            )
            for row in self._conn.execute(query)
        ]
