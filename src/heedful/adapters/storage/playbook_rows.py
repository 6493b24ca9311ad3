"""The playbook repository: versions as JSON rows, firings claimed by their unique key."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection, RowMapping

from heedful.adapters.storage.playbook_tables import playbook_firings, playbook_versions, playbooks
from heedful.adapters.storage.preference_audience import members_liking
from heedful.adapters.storage.tables import history, preferences
from heedful.core.playbooks.liking import Asked, Member
from heedful.core.playbooks.model import Firing, Playbook, PlaybookVersion
from heedful.core.playbooks.reading import read_playbook
from heedful.core.preferences.model import Category, Polarity
from heedful.core.shared.phrases import line_from_json, line_json

_TAKEN_CHUNK = 400  # pairs per query: well under SQLite's and psycopg's parameter limits


def _firing_values(firing: Firing) -> dict[str, Any]:
    return {
        "id": firing.id,
        "playbook_id": firing.playbook_id,
        "version": firing.version,
        "customer_id": firing.customer_id,
        "once_key": firing.once_key,
        "event_ref": firing.event_ref[:500],
        "event_type": firing.event_type,
        "fired_at": firing.fired_at,
        # A phrase as {"key", "params"} beside the plain strings of older rows (ADR 0054).
        "reasons": [line_json(line) for line in firing.reasons],
        "done": [line_json(line) for line in firing.done],
    }


def _values(playbook: Playbook) -> dict[str, Any]:
    return {
        "id": playbook.id,
        "name": playbook.name,
        "event_type": playbook.event_type,
        "enabled": playbook.enabled,
        "version": playbook.version,
        "created_at": playbook.created_at,
        "updated_at": playbook.updated_at,
        "created_by_label": playbook.created_by_label,
        "updated_by_label": playbook.updated_by_label,
    }


def _playbook(row: RowMapping) -> Playbook:
    return Playbook(
        id=row["id"],
        name=row["name"],
        event_type=row["event_type"],
        enabled=row["enabled"],
        version=row["version"],
        body=read_playbook(row["source"]),
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        created_by_label=row["created_by_label"],
        updated_by_label=row["updated_by_label"],
    )


def _version(row: RowMapping) -> PlaybookVersion:
    return PlaybookVersion(
        playbook_id=row["playbook_id"],
        version=row["version"],
        source=row["source"],
        created_at=row["created_at"],
        created_by_label=row["created_by_label"],
    )


def _firing(row: RowMapping) -> Firing:
    return Firing(
        id=row["id"],
        playbook_id=row["playbook_id"],
        version=row["version"],
        customer_id=row["customer_id"],
        once_key=row["once_key"],
        event_ref=row["event_ref"],
        event_type=row["event_type"],
        fired_at=row["fired_at"],
        reasons=tuple(line_from_json(line) for line in row["reasons"]),
        done=tuple(line_from_json(line) for line in row["done"]),
    )


# The current version's JSON travels with the playbook row: one query, not one per playbook.
_CURRENT = sa.select(playbooks, playbook_versions.c.source).join(
    playbook_versions,
    sa.and_(
        playbook_versions.c.playbook_id == playbooks.c.id,
        playbook_versions.c.version == playbooks.c.version,
    ),
)


class SqlPlaybooks:
    """Implements ``heedful.core.playbooks.ports.PlaybookRepository``."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def _version_row(self, version: PlaybookVersion) -> None:
        self._conn.execute(
            playbook_versions.insert().values(
                playbook_id=version.playbook_id,
                version=version.version,
                source=dict(version.source),
                created_at=version.created_at,
                created_by_label=version.created_by_label,
            )
        )

    def add(self, playbook: Playbook, version: PlaybookVersion) -> None:
        self._conn.execute(playbooks.insert().values(_values(playbook)))
        self._version_row(version)

    def add_version(self, playbook: Playbook, version: PlaybookVersion) -> None:
        self._version_row(version)
        self.update(playbook)

    def update(self, playbook: Playbook) -> None:
        self._conn.execute(
            playbooks.update().where(playbooks.c.id == playbook.id).values(_values(playbook))
        )

    def get(self, playbook_id: str) -> Playbook | None:
        row = self._conn.execute(_CURRENT.where(playbooks.c.id == playbook_id)).mappings().first()
        return _playbook(row) if row else None

    def every(self) -> list[Playbook]:
        rows = self._conn.execute(_CURRENT.order_by(playbooks.c.name, playbooks.c.id)).mappings()
        return [_playbook(row) for row in rows]

    def enabled(self) -> list[Playbook]:
        query = _CURRENT.where(playbooks.c.enabled.is_(True)).order_by(playbooks.c.created_at)
        return [_playbook(row) for row in self._conn.execute(query).mappings()]

    def versions(self, playbook_id: str) -> list[PlaybookVersion]:
        query = (
            playbook_versions.select()
            .where(playbook_versions.c.playbook_id == playbook_id)
            .order_by(playbook_versions.c.version)
        )
        return [_version(row) for row in self._conn.execute(query).mappings()]

    def version(self, playbook_id: str, number: int) -> PlaybookVersion | None:
        query = playbook_versions.select().where(
            playbook_versions.c.playbook_id == playbook_id, playbook_versions.c.version == number
        )
        row = self._conn.execute(query).mappings().first()
        return _version(row) if row else None

    def claim(self, firing: Firing) -> bool:
        return bool(self.claim_many([firing]))

    def claim_many(self, wanted: Sequence[Firing]) -> set[str]:
        # ON CONFLICT DO NOTHING on both: PostgreSQL makes a second transaction inserting the
        # same key wait for the first and then do nothing; SQLite has one writer at a time.
        # In key order, so that two workers claiming overlapping windows lock the keys in the
        # same order and one waits for the other instead of deadlocking.
        if not wanted:
            return set()
        insert = postgresql_insert if self._conn.dialect.name == "postgresql" else sqlite_insert
        statement = (
            insert(playbook_firings)
            .on_conflict_do_nothing(index_elements=["playbook_id", "customer_id", "once_key"])
            .returning(playbook_firings.c.id)
        )
        ordered = sorted(wanted, key=lambda f: (f.playbook_id, f.customer_id, f.once_key))
        # One statement compiled once: SQLAlchemy sends it as multi-row INSERTs of a
        # batch each ("insertmanyvalues"), answering the ids of the rows it stored.
        rows = self._conn.execute(statement, [_firing_values(firing) for firing in ordered])
        return {row.id for row in rows}

    def take_firing_turn(self) -> None:
        if self._conn.dialect.name == "postgresql":
            # A transaction-level advisory lock: released at commit or rollback, never left
            # behind by a worker that dies.
            self._conn.execute(sa.text("SELECT pg_advisory_xact_lock(hashtext('heedful.firings'))"))

    def firings(self, playbook_id: str, limit: int) -> list[Firing]:
        query = (
            playbook_firings.select()
            .where(playbook_firings.c.playbook_id == playbook_id)
            .order_by(playbook_firings.c.fired_at.desc(), playbook_firings.c.id)
            .limit(limit)
        )
        return [_firing(row) for row in self._conn.execute(query).mappings()]

    def taken(self, playbook_id: str, keys: Collection[tuple[str, str]]) -> set[tuple[str, str]]:
        c = playbook_firings.c
        found: set[tuple[str, str]] = set()
        wanted = sorted(set(keys))
        # By once key, a chunk at a time: the unique index (playbook, customer, key) answers.
        for start in range(0, len(wanted), _TAKEN_CHUNK):
            chunk = wanted[start : start + _TAKEN_CHUNK]
            rows = self._conn.execute(
                sa.select(c.customer_id, c.once_key).where(
                    c.playbook_id == playbook_id,
                    c.customer_id.in_(sorted({customer for customer, _ in chunk})),
                    c.once_key.in_(sorted({key for _, key in chunk})),
                )
            )
            found.update((row.customer_id, row.once_key) for row in rows)
        return found & set(wanted)

    def customers_with_history_at(
        self, location_id: str, since: datetime, after: str | None, limit: int
    ) -> list[str]:
        where = (history.c.location_id == location_id, history.c.occurred_at >= since)
        latest = sa.func.max(history.c.occurred_at)
        query = sa.select(history.c.customer_id).where(*where).group_by(history.c.customer_id)
        if after is not None:
            # Keyset on (latest visit descending, id): the mark is the last customer's latest.
            mark = (
                sa.select(sa.func.max(history.c.occurred_at))
                .where(*where, history.c.customer_id == after)
                .scalar_subquery()
            )
            query = query.having(
                sa.or_(latest < mark, sa.and_(latest == mark, history.c.customer_id > after))
            )
        query = query.order_by(latest.desc(), history.c.customer_id).limit(limit)
        return [row.customer_id for row in self._conn.execute(query)]

    def customers_with_preference(
        self,
        polarity: Polarity,
        category: Category | None,
        subject: str,
        after: str | None,
        limit: int,
    ) -> list[str]:
        # lower() folds ASCII on SQLite and everything on PostgreSQL; the engine checks each
        # customer's preference again with casefold, so SQLite can miss, never wrongly include.
        # The expression index ix_preferences_standing_subject (migration 0016) serves it: an
        # index range in customer id order, whatever the number of preferences that do not match.
        query = sa.select(preferences.c.customer_id).where(
            sa.func.lower(preferences.c.subject) == subject.lower(),
            preferences.c.polarity == polarity.value,
            preferences.c.retracted_at.is_(None),
        )
        if category is not None:
            query = query.where(preferences.c.category == category.value)
        if after is not None:
            query = query.where(preferences.c.customer_id > after)
        query = query.group_by(preferences.c.customer_id).order_by(preferences.c.customer_id)
        return [row.customer_id for row in self._conn.execute(query.limit(limit))]

    def members_liking(
        self,
        audience: Asked,
        checks: Sequence[Asked],
        after: str | None,
        limit: int,
        once: tuple[str, str] | None = None,
    ) -> list[Member]:
        return members_liking(self._conn, audience, checks, after, limit, once)
