"""Goodwill allowances and spends in memory, ordered as storage orders them."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from fakes._base import Repository as _Repository
from fakes._base import copy as _copy
from fakes._base import insert as _insert
from fakes._base import overwrite as _replace
from heedful.core.goodwill.model import Allowance, Spend, SpendState


@dataclass
class GoodwillState:
    allowances: dict[str, Allowance] = field(default_factory=dict)
    spends: dict[str, Spend] = field(default_factory=dict)


class FakeGoodwill(_Repository):
    def put_allowance(self, allowance: Allowance) -> None:
        self._writing().goodwill.allowances[allowance.id] = _copy(allowance)

    def allowances(self, location_ids: Collection[str] | None) -> list[Allowance]:
        found = [
            a
            for a in self._state.goodwill.allowances.values()
            if location_ids is None or a.location_id in location_ids
        ]
        return [_copy(a) for a in sorted(found, key=lambda a: (a.location_id, a.kind, a.id))]

    def get_allowance(self, allowance_id: str) -> Allowance | None:
        found = self._state.goodwill.allowances.get(allowance_id)
        return None if found is None else _copy(found)

    def remove_allowance(self, allowance_id: str) -> None:
        self._writing().goodwill.allowances.pop(allowance_id, None)

    def add_spend(self, spend: Spend) -> None:
        _insert(self._writing().goodwill.spends, spend.id, spend)

    def get_spend(self, spend_id: str, *, for_change: bool = False) -> Spend | None:  # noqa: ARG002
        found = self._state.goodwill.spends.get(spend_id)
        return None if found is None else _copy(found)

    def update_spend(self, spend: Spend) -> None:
        _replace(self._writing().goodwill.spends, spend.id, spend)

    def lock_spending(self, allowance_id: str, staff_id: str) -> None:
        pass  # one thread at a time in the fakes

    def spent(self, allowance_id: str, staff_id: str, since: datetime) -> Decimal:
        return sum(
            (
                s.amount
                for s in self._state.goodwill.spends.values()
                if (s.allowance_id, s.staff_id) == (allowance_id, staff_id)
                and s.created_at >= since
                and s.state.draws
            ),
            Decimal("0.00"),
        )

    def spends_for_customer(self, customer_id: str, limit: int) -> list[Spend]:
        found = [s for s in self._state.goodwill.spends.values() if s.customer_id == customer_id]
        found.sort(key=lambda s: s.id)
        found.sort(key=lambda s: s.created_at, reverse=True)
        return [_copy(s) for s in found[:limit]]

    def spends(
        self,
        location_ids: Collection[str] | None,
        *,
        states: Collection[SpendState] | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int = 500,
    ) -> list[Spend]:
        found = [
            s
            for s in self._state.goodwill.spends.values()
            if (location_ids is None or s.location_id in location_ids)
            and (states is None or s.state in states)
            and (since is None or s.created_at >= since)
            and (until is None or s.created_at < until)
        ]
        found.sort(key=lambda s: (s.created_at, s.id))
        return [_copy(s) for s in found[:limit]]
