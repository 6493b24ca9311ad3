"""The event type repository: one row per type a business registered, its schema as JSON."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, RowMapping

from heedful.adapters.storage.event_type_tables import event_types
from heedful.core.events.vocabulary import CustomEventType


def _values(event_type: CustomEventType) -> dict[str, Any]:
    return {
        "name": event_type.name,
        "description": event_type.description,
        "schema": dict(event_type.schema),
        "acts_as": event_type.acts_as,
        "created_at": event_type.created_at,
        "changed_at": event_type.changed_at,
        "changed_by_label": event_type.changed_by,
    }


def _event_type(row: RowMapping) -> CustomEventType:
    return CustomEventType(
        name=row["name"],
        description=row["description"],
        schema=dict(row["schema"]),
        acts_as=row["acts_as"],
        created_at=row["created_at"],
        changed_at=row["changed_at"],
        changed_by=row["changed_by_label"],
    )


class SqlEventTypes:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def all(self) -> list[CustomEventType]:
        query = event_types.select().order_by(event_types.c.name)
        return [_event_type(row) for row in self._conn.execute(query).mappings()]

    def get(self, name: str) -> CustomEventType | None:
        row = (
            self._conn.execute(event_types.select().where(event_types.c.name == name))
            .mappings()
            .first()
        )
        return _event_type(row) if row is not None else None

    def add(self, event_type: CustomEventType) -> None:
        self._conn.execute(event_types.insert().values(**_values(event_type)))

    def update(self, event_type: CustomEventType) -> None:
        self._conn.execute(
            event_types.update()
            .where(event_types.c.name == event_type.name)
            .values(**_values(event_type))
        )

    def remove(self, name: str) -> bool:
        gone = self._conn.execute(event_types.delete().where(event_types.c.name == name))
        return gone.rowcount == 1

    def last_changed(self) -> tuple[int, datetime | None]:
        row = self._conn.execute(
            sa.select(sa.func.count(), sa.func.max(event_types.c.changed_at))
        ).one()
        return int(row[0]), row[1]
