"""The canned reply repository: one row per reply, its words as a JSON object."""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine import Connection, RowMapping

from heedful.adapters.storage.canned_reply_tables import canned_replies
from heedful.core.conversations.canned_replies import CannedReply


def _values(reply: CannedReply) -> dict[str, Any]:
    return {
        "id": reply.id,
        "title": reply.title,
        "texts": dict(reply.texts),
        "location_id": reply.location_id,
        "active": reply.active,
        "created_at": reply.created_at,
        "updated_at": reply.updated_at,
        "updated_by_label": reply.updated_by_label,
    }


def _reply(row: RowMapping) -> CannedReply:
    return CannedReply(
        id=row["id"],
        title=row["title"],
        texts={str(k): str(v) for k, v in row["texts"].items()},
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        updated_by_label=row["updated_by_label"],
        location_id=row["location_id"],
        active=row["active"],
    )


class SqlCannedReplies:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, reply: CannedReply) -> None:
        self._conn.execute(canned_replies.insert().values(**_values(reply)))

    def get(self, reply_id: str) -> CannedReply | None:
        row = (
            self._conn.execute(canned_replies.select().where(canned_replies.c.id == reply_id))
            .mappings()
            .first()
        )
        return _reply(row) if row is not None else None

    def update(self, reply: CannedReply) -> None:
        self._conn.execute(
            canned_replies.update().where(canned_replies.c.id == reply.id).values(**_values(reply))
        )

    def list(self, *, active_only: bool = True) -> list[CannedReply]:
        query = canned_replies.select().order_by(canned_replies.c.title, canned_replies.c.id)
        if active_only:
            query = query.where(canned_replies.c.active)
        return [_reply(row) for row in self._conn.execute(query).mappings()]
