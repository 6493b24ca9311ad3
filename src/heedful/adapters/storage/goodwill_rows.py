"""Goodwill allowances and spends in SQL."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, RowMapping

from heedful.adapters.storage.goodwill_tables import goodwill_allowances, goodwill_spends
from heedful.core.access.model import Role
from heedful.core.goodwill.model import Allowance, Period, Spend, SpendState

_CENT = Decimal("0.01")


def _cents(value: Any) -> Decimal | None:
    return None if value is None else Decimal(value).quantize(_CENT)


def _allowance(row: RowMapping) -> Allowance:
    return Allowance(
        id=row["id"],
        location_id=row["location_id"],
        kind=row["kind"],
        amount=Decimal(row["amount"]).quantize(_CENT),
        currency=row["currency"],
        period=Period(row["period"]),
        set_at=row["set_at"],
        set_by_label=row["set_by_label"],
        staff_id=row["staff_id"],
        role=Role(row["role"]) if row["role"] else None,
        approval_above=(
            None
            if row["approval_above"] is None
            else Decimal(row["approval_above"]).quantize(_CENT)
        ),
        label=row["label"],
    )


def _allowance_row(a: Allowance) -> dict[str, Any]:
    return {
        "id": a.id,
        "location_id": a.location_id,
        "staff_id": a.staff_id,
        "role": a.role.value if a.role else None,
        "kind": a.kind,
        "label": a.label,
        "amount": a.amount,
        "currency": a.currency,
        "period": a.period.value,
        "approval_above": a.approval_above,
        "set_at": a.set_at,
        "set_by_label": a.set_by_label,
    }


def _spend(row: RowMapping) -> Spend:
    return Spend(
        id=row["id"],
        customer_id=row["customer_id"],
        location_id=row["location_id"],
        kind=row["kind"],
        amount=Decimal(row["amount"]).quantize(_CENT),
        currency=row["currency"],
        reason=row["reason"],
        staff_id=row["staff_id"],
        staff_label=row["staff_label"],
        created_at=row["created_at"],
        state=SpendState(row["state"]),
        allowance_id=row["allowance_id"],
        task_id=row["task_id"],
        surprise=bool(row["surprise"]),
        decided_at=row["decided_at"],
        decided_by_label=row["decided_by_label"],
        decision_note=row["decision_note"],
    )


def _spend_row(s: Spend) -> dict[str, Any]:
    return {
        "id": s.id,
        "customer_id": s.customer_id,
        "location_id": s.location_id,
        "allowance_id": s.allowance_id,
        "task_id": s.task_id,
        "kind": s.kind,
        "amount": s.amount,
        "currency": s.currency,
        "reason": s.reason,
        "surprise": s.surprise,
        "staff_id": s.staff_id,
        "staff_label": s.staff_label,
        "state": s.state.value,
        "created_at": s.created_at,
        "decided_at": s.decided_at,
        "decided_by_label": s.decided_by_label,
        "decision_note": s.decision_note,
    }


_DRAWING = [state.value for state in SpendState if state.draws]


class SqlGoodwill:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def put_allowance(self, allowance: Allowance) -> None:
        row = _allowance_row(allowance)
        table = goodwill_allowances
        updated = self._conn.execute(
            table.update().where(table.c.id == allowance.id).values(**row)
        ).rowcount
        if not updated:
            self._conn.execute(table.insert().values(**row))

    def allowances(self, location_ids: Collection[str] | None) -> list[Allowance]:
        table = goodwill_allowances
        query = sa.select(table).order_by(table.c.location_id, table.c.kind, table.c.id)
        if location_ids is not None:
            query = query.where(table.c.location_id.in_(sorted(location_ids)))
        return [_allowance(row) for row in self._conn.execute(query).mappings()]

    def get_allowance(self, allowance_id: str) -> Allowance | None:
        table = goodwill_allowances
        row = self._conn.execute(sa.select(table).where(table.c.id == allowance_id)).mappings()
        found = row.first()
        return None if found is None else _allowance(found)

    def remove_allowance(self, allowance_id: str) -> None:
        table = goodwill_allowances
        self._conn.execute(table.delete().where(table.c.id == allowance_id))

    def add_spend(self, spend: Spend) -> None:
        self._conn.execute(goodwill_spends.insert().values(**_spend_row(spend)))

    def get_spend(self, spend_id: str, *, for_change: bool = False) -> Spend | None:
        query = sa.select(goodwill_spends).where(goodwill_spends.c.id == spend_id)
        if for_change:
            query = query.with_for_update()  # two managers deciding at once: one waits
        found = self._conn.execute(query).mappings().first()
        return None if found is None else _spend(found)

    def update_spend(self, spend: Spend) -> None:
        table = goodwill_spends
        self._conn.execute(table.update().where(table.c.id == spend.id).values(**_spend_row(spend)))

    def lock_spending(self, allowance_id: str, staff_id: str) -> None:
        # PostgreSQL: a lock per person and allowance, held to the end of the transaction (an
        # allowance for a whole role is shared by many; locking its row would queue them all).
        # SQLite needs none: BEGIN IMMEDIATE lets one writer in at a time (engine.py).
        if self._conn.dialect.name != "postgresql":
            return
        self._conn.execute(
            sa.text("SELECT pg_advisory_xact_lock(hashtext('goodwill.spend'), hashtext(:who))"),
            {"who": f"{allowance_id}:{staff_id}"},
        )

    def spent(self, allowance_id: str, staff_id: str, since: datetime) -> Decimal:
        table = goodwill_spends
        total = self._conn.execute(
            sa.select(sa.func.coalesce(sa.func.sum(table.c.amount), 0)).where(
                table.c.allowance_id == allowance_id,
                table.c.staff_id == staff_id,
                table.c.created_at >= since,
                table.c.state.in_(_DRAWING),
            )
        ).scalar_one()
        return Decimal(total).quantize(_CENT)

    def spends_for_customer(self, customer_id: str, limit: int) -> list[Spend]:
        table = goodwill_spends
        query = (
            sa.select(table)
            .where(table.c.customer_id == customer_id)
            .order_by(table.c.created_at.desc(), table.c.id)
            .limit(limit)
        )
        return [_spend(row) for row in self._conn.execute(query).mappings()]

    def spends(
        self,
        location_ids: Collection[str] | None,
        *,
        states: Collection[SpendState] | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int = 500,
    ) -> list[Spend]:
        table = goodwill_spends
        query = sa.select(table).order_by(table.c.created_at, table.c.id).limit(limit)
        if location_ids is not None:
            query = query.where(table.c.location_id.in_(sorted(location_ids)))
        if states is not None:
            query = query.where(table.c.state.in_([s.value for s in states]))
        if since is not None:
            query = query.where(table.c.created_at >= since)
        if until is not None:
            query = query.where(table.c.created_at < until)
        return [_spend(row) for row in self._conn.execute(query).mappings()]
