"""What the goodwill room needs stored: allowances and spends."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from decimal import Decimal
from typing import Protocol

from heedful.core.customers import AuditEntry, Customer
from heedful.core.feedback import AnswerFilter, HistoryLine, SurveyAnswer
from heedful.core.goodwill.model import Allowance, Spend, SpendState
from heedful.core.history import HistoryKind
from heedful.core.shared.ports import UnitOfWorkShape
from heedful.core.staff import Location, StaffMember
from heedful.core.tasks import Task


class GoodwillRepository(Protocol):
    def put_allowance(self, allowance: Allowance) -> None:
        """Insert, or replace the one with the same id."""
        ...

    def allowances(self, location_ids: Collection[str] | None) -> list[Allowance]:
        """At these locations (None: every one), by location, kind and holder."""
        ...

    def get_allowance(self, allowance_id: str) -> Allowance | None: ...
    def remove_allowance(self, allowance_id: str) -> None: ...
    def add_spend(self, spend: Spend) -> None: ...
    def get_spend(self, spend_id: str, *, for_change: bool = False) -> Spend | None: ...
    def update_spend(self, spend: Spend) -> None: ...
    def lock_spending(self, allowance_id: str, staff_id: str) -> None:
        """Until the transaction ends, another spend by this person from this allowance waits
        here: it then reads what this one drew. Other people's spends do not wait."""
        ...

    def spent(self, allowance_id: str, staff_id: str, since: datetime) -> Decimal:
        """What this person drew on the allowance since then (given or awaiting approval)."""
        ...

    def spends_for_customer(self, customer_id: str, limit: int) -> list[Spend]:
        """Hers, newest first."""
        ...

    def spends(
        self,
        location_ids: Collection[str] | None,
        *,
        states: Collection[SpendState] | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int = 500,
    ) -> list[Spend]:
        """At these locations in [since, until), oldest first."""
        ...


# The few readers goodwill needs from other rooms, named here by shape (ADR 0030): the handlers
# take this narrow unit of work, not the whole one, so the room knows only what it uses.
class _Customers(Protocol):
    def get(self, customer_id: str) -> Customer | None: ...


class _Locations(Protocol):
    def get(self, location_id: str) -> Location | None: ...


class _Staff(Protocol):
    def get(self, staff_id: str) -> StaffMember | None: ...


class _Tasks(Protocol):
    def get(self, task_id: str) -> Task | None: ...


class _Audit(Protocol):
    def add(self, entry: AuditEntry) -> None: ...


class _Answers(Protocol):
    def find(self, where: AnswerFilter, limit: int) -> list[SurveyAnswer]: ...


class _Facts(Protocol):
    def history_lines(
        self,
        since: datetime,
        until: datetime,
        kinds: frozenset[HistoryKind],
        *,
        location_id: str | None = None,
        segment: str | None = None,
    ) -> list[HistoryLine]: ...


class _Feedback(Protocol):
    @property
    def answers(self) -> _Answers: ...
    @property
    def facts(self) -> _Facts: ...


class GoodwillWork(UnitOfWorkShape, Protocol):
    """The part of the unit of work the goodwill room uses."""

    @property
    def goodwill(self) -> GoodwillRepository: ...
    @property
    def customers(self) -> _Customers: ...
    @property
    def locations(self) -> _Locations: ...
    @property
    def staff(self) -> _Staff: ...
    @property
    def tasks(self) -> _Tasks: ...
    @property
    def audit(self) -> _Audit: ...
    @property
    def feedback(self) -> _Feedback: ...
