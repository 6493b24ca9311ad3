"""Capacity and holds in SQL."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from sqlalchemy.engine import Connection, RowMapping

from heedful.adapters.storage.capacity_tables import (
    capacity_holds,
    capacity_services,
    location_capacities,
)
from heedful.core.dealings.capacity import Capacity, Hold, HoldKind, HoldState, Service


def _hold(row: RowMapping) -> Hold:
    return Hold(
        id=row["id"],
        location_id=row["location_id"],
        kind=HoldKind(row["kind"]),
        count=row["count"],
        starts_at=row["starts_at"],
        releases_at=row["releases_at"],
        created_at=row["created_at"],
        created_by_label=row["created_by_label"],
        reason=row["reason"],
        playbook_id=row["playbook_id"],
        seated=row["seated"],
        service=row["service"],
        state=HoldState(row["state"]),
        ended_at=row["ended_at"],
        ended_by_label=row["ended_by_label"],
    )


def _hold_row(h: Hold) -> dict[str, Any]:
    return {
        "id": h.id,
        "location_id": h.location_id,
        "kind": h.kind.value,
        "count": h.count,
        "seated": h.seated,
        "service": h.service,
        "starts_at": h.starts_at,
        "releases_at": h.releases_at,
        "state": h.state.value,
        "reason": h.reason,
        "playbook_id": h.playbook_id,
        "created_at": h.created_at,
        "created_by_label": h.created_by_label,
        "ended_at": h.ended_at,
        "ended_by_label": h.ended_by_label,
    }


def _time(text: str | None) -> time | None:
    return time.fromisoformat(text) if text else None


class SqlCapacity:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def get(self, location_id: str) -> Capacity | None:
        c = location_capacities.c
        row = (
            self._conn.execute(location_capacities.select().where(c.location_id == location_id))
            .mappings()
            .first()
        )
        if row is None:
            return None
        return Capacity(
            row["location_id"],
            row["tables"],
            row["covers"],
            row["rooms"],
            row["changed_at"],
            row["changed_by_label"],
            self._services(location_id),
        )

    def _services(self, location_id: str) -> tuple[Service, ...]:
        c = capacity_services.c
        rows = self._conn.execute(
            capacity_services.select()
            .where(c.location_id == location_id)
            .order_by(c.position, c.kind, c.name)
        ).mappings()
        return tuple(
            Service(
                row["name"],
                HoldKind(row["kind"]),
                row["units"],
                row["covers"],
                _time(row["starts"]),
                _time(row["ends"]),
            )
            for row in rows
        )

    def put(self, capacity: Capacity) -> None:
        values = {
            "tables": capacity.tables,
            "covers": capacity.covers,
            "rooms": capacity.rooms,
            "changed_at": capacity.changed_at,
            "changed_by_label": capacity.changed_by_label,
        }
        c = location_capacities.c
        changed = self._conn.execute(
            location_capacities.update()
            .where(c.location_id == capacity.location_id)
            .values(**values)
        )
        if changed.rowcount == 0:
            self._conn.execute(
                location_capacities.insert().values(location_id=capacity.location_id, **values)
            )

        # The services are said whole each time: the set replaces the last one.
        self._conn.execute(
            capacity_services.delete().where(
                capacity_services.c.location_id == capacity.location_id
            )
        )
        if capacity.services:
            self._conn.execute(
                capacity_services.insert(),
                [
                    {
                        "location_id": capacity.location_id,
                        "kind": s.kind.value,
                        "name": s.name,
                        "units": s.units,
                        "covers": s.covers,
                        "starts": s.starts.strftime("%H:%M") if s.starts else None,
                        "ends": s.ends.strftime("%H:%M") if s.ends else None,
                        "position": n,
                    }
                    for n, s in enumerate(capacity.services)
                ],
            )

    def add_hold(self, hold: Hold) -> None:
        self._conn.execute(capacity_holds.insert().values(**_hold_row(hold)))

    def get_hold(self, hold_id: str) -> Hold | None:
        c = capacity_holds.c
        row = self._conn.execute(capacity_holds.select().where(c.id == hold_id)).mappings().first()
        return None if row is None else _hold(row)

    def update_hold(self, hold: Hold) -> None:
        values = _hold_row(hold)
        del values["id"]
        c = capacity_holds.c
        self._conn.execute(capacity_holds.update().where(c.id == hold.id).values(**values))

    def holds_overlapping(self, location_id: str, start: datetime, end: datetime) -> list[Hold]:
        c = capacity_holds.c
        # A hold lasts hours, never a day: those starting up to a day before are all it can be.
        rows = self._conn.execute(
            capacity_holds.select()
            .where(
                c.location_id == location_id,
                c.starts_at >= start - (end - start),
                c.starts_at < end,
                c.releases_at > start,
            )
            .order_by(c.starts_at, c.id)
        ).mappings()
        return [_hold(row) for row in rows]

    def due_holds(self, now: datetime, limit: int) -> list[Hold]:
        c = capacity_holds.c
        rows = self._conn.execute(
            capacity_holds.select()
            .where(c.state == HoldState.HELD.value, c.releases_at <= now)
            .order_by(c.releases_at, c.id)
            .limit(limit)
        ).mappings()
        return [_hold(row) for row in rows]
