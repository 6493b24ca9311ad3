"""The trail kept of what was done to customers' records: the audit log, merges and erasures."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, RowMapping

from heedful.adapters.storage.tables import (
    audit_log,
    erasures,
    merges,
)
from heedful.core.customers.audit import AuditEntry
from heedful.core.customers.merge import FieldChange, MergeRecord
from heedful.core.privacy.ports import Erasure


class SqlAuditLog:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, entry: AuditEntry) -> None:
        self.add_many([entry])

    def add_many(self, entries: Sequence[AuditEntry]) -> None:
        if not entries:
            return
        self._conn.execute(
            audit_log.insert(),
            [
                {
                    "id": entry.id,
                    "at": entry.at,
                    "actor_id": entry.actor_id,
                    "actor_label": entry.actor_label,
                    "action": entry.action,
                    "customer_id": entry.customer_id,
                    "entity": entry.entity,
                    "entity_id": entry.entity_id,
                    "before": entry.before,
                    "after": entry.after,
                }
                for entry in entries
            ],
        )

    def list_for(self, customer_id: str | None, limit: int) -> list[AuditEntry]:
        whose = (
            audit_log.c.customer_id.is_(None)
            if customer_id is None
            else audit_log.c.customer_id == customer_id
        )
        rows = self._conn.execute(
            audit_log.select()
            .where(whose)
            .order_by(audit_log.c.at.desc(), audit_log.c.id)
            .limit(limit)
        ).mappings()
        return [
            AuditEntry(
                id=r["id"],
                at=r["at"],
                actor_id=r["actor_id"],
                actor_label=r["actor_label"],
                action=r["action"],
                customer_id=r["customer_id"],
                entity=r["entity"],
                entity_id=r["entity_id"],
                before=r["before"],
                after=r["after"],
            )
            for r in rows
        ]


def _change_out(c: FieldChange) -> dict[str, Any]:
    return {
        "entity": c.entity,
        "entity_id": c.entity_id,
        "field": c.field,
        "before": c.before,
        "after": c.after,
    }


class SqlMerges:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    @staticmethod
    def _record(r: RowMapping) -> MergeRecord:
        return MergeRecord(
            id=r["id"],
            survivor_id=r["survivor_id"],
            absorbed_id=r["absorbed_id"],
            merged_at=r["merged_at"],
            merged_by=r["merged_by"],
            merged_by_label=r["merged_by_label"],
            reason=r["reason"],
            changes=[FieldChange(**c) for c in r["changes"]],
            survivor_before=r["survivor_before"],
            absorbed_before=r["absorbed_before"],
            undone_at=r["undone_at"],
            undone_by=r["undone_by"],
            notes=list(r["notes"]),
        )

    def add(self, record: MergeRecord) -> None:
        self._conn.execute(
            merges.insert().values(
                id=record.id,
                survivor_id=record.survivor_id,
                absorbed_id=record.absorbed_id,
                merged_at=record.merged_at,
                merged_by=record.merged_by,
                merged_by_label=record.merged_by_label,
                reason=record.reason[:500],
                changes=[_change_out(c) for c in record.changes],
                survivor_before=record.survivor_before,
                absorbed_before=record.absorbed_before,
                undone_at=record.undone_at,
                undone_by=record.undone_by,
                notes=record.notes,
            )
        )

    def get(self, merge_id: str) -> MergeRecord | None:
        row = self._conn.execute(merges.select().where(merges.c.id == merge_id)).mappings().first()
        return self._record(row) if row else None

    def update(self, record: MergeRecord) -> None:
        self._conn.execute(
            merges.update()
            .where(merges.c.id == record.id)
            .values(undone_at=record.undone_at, undone_by=record.undone_by, notes=record.notes)
        )

    def list_for(self, customer_id: str) -> list[MergeRecord]:
        rows = self._conn.execute(
            merges.select()
            .where(sa.or_(merges.c.survivor_id == customer_id, merges.c.absorbed_id == customer_id))
            .order_by(merges.c.merged_at.desc())
        ).mappings()
        return [self._record(r) for r in rows]


class SqlErasures:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, erasure: Erasure) -> None:
        self._conn.execute(
            erasures.insert().values(
                id=erasure.id,
                customer_id=erasure.customer_id,
                erased_at=erasure.erased_at,
                erased_by=erasure.erased_by,
                erased_by_label=erasure.erased_by_label,
                reason=erasure.reason,
                removed=erasure.removed,
            )
        )

    def list(self) -> list[Erasure]:
        rows = self._conn.execute(
            erasures.select().order_by(erasures.c.erased_at.desc())
        ).mappings()
        return [
            Erasure(
                id=r["id"],
                customer_id=r["customer_id"],
                erased_at=r["erased_at"],
                erased_by=r["erased_by"],
                erased_by_label=r["erased_by_label"],
                reason=r["reason"],
                removed=dict(r["removed"]),
            )
            for r in rows
        ]
