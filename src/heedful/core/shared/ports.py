"""The ports: what the core needs from the outside world, as Protocols the adapters implement."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from types import TracebackType
from typing import Any, Generic, Protocol, Self, TypeVar

from heedful.core.conversations.canned_replies import CannedReplyRepository
from heedful.core.conversations.customer_names import CustomerNames
from heedful.core.conversations.ports import (
    CalendarDayRepository,
    SlaClockRepository,
    SlaPolicyRepository,
    TeamRepository,
    ThreadRepository,
)
from heedful.core.customers.audit import AuditEntry
from heedful.core.customers.consent import ConsentDecision
from heedful.core.customers.identities import Identity, IdentityKind
from heedful.core.customers.merge import MergeRecord
from heedful.core.customers.model import Customer
from heedful.core.dead_letters.ports import DeadLetters
from heedful.core.events.model import EventInbox
from heedful.core.feedback.dashboard_ports import DashboardReads
from heedful.core.feedback.ports import FeedbackStore
from heedful.core.history.model import HistoryEntry, HistoryKind
from heedful.core.playbooks.ports import PlaybookRepository
from heedful.core.preferences.model import Preference
from heedful.core.promises.ports import (
    Outbox,
    PromiseRepository,
    StockLevels,
    TaskRepository,
    TimerRepository,
)

# Re-exported: tests/fakes.py and others import it from here, where it used to live.
from heedful.core.shared.scope import CustomerScope as CustomerScope  # noqa: PLC0414
from heedful.core.staff.model import ApiToken, Location, StaffMember
from heedful.core.staff.ports import LoginThrottles, SecurityEvents

T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    next_cursor: str | None


@dataclass(frozen=True)
class Erasure:
    id: str
    customer_id: str
    erased_at: datetime
    erased_by: str
    erased_by_label: str
    reason: str
    removed: dict[str, int]


# The fingerprint of a stored answer that named an erased customer: replays answer 410 Gone.
ERASED_ANSWER = "erased"


@dataclass(frozen=True)
class IdempotencyRecord:
    scope: str  # the principal, so two integrators never collide on a key
    key: str
    fingerprint: str  # method, path and body hash: a reused key with another body is refused
    status_code: int
    response: Any
    created_at: datetime
    # The customers the request or its answer names, so erasing one finds the answer (ADR 0026).
    customer_ids: frozenset[str] = frozenset()


class CustomerRepository(Protocol):
    def add(self, customer: Customer) -> None: ...
    def get(self, customer_id: str) -> Customer | None: ...
    def update(self, customer: Customer) -> None: ...
    def find_by_identity(self, kind: IdentityKind, value: str) -> Customer | None: ...
    def search(self, text: str, scope: CustomerScope, limit: int) -> list[Customer]: ...
    def list(self, scope: CustomerScope, limit: int, cursor: str | None) -> Page[Customer]: ...


class IdentityRepository(Protocol):
    def add(self, identity: Identity) -> None: ...
    def find(self, kind: IdentityKind, value: str) -> Identity | None: ...
    def list_for(self, customer_id: str) -> list[Identity]: ...
    def remove(self, identity_id: str) -> None: ...


class PreferenceRepository(Protocol):
    def add(self, preference: Preference) -> None: ...
    def get(self, preference_id: str) -> Preference | None: ...
    def update(self, preference: Preference) -> None: ...
    def list_for(
        self, customer_id: str, *, include_retracted: bool = False
    ) -> list[Preference]: ...


class ConsentRepository(Protocol):
    def add(self, decision: ConsentDecision) -> None: ...
    def list_for(self, customer_id: str) -> list[ConsentDecision]: ...


class HistoryRepository(Protocol):
    def add(self, entry: HistoryEntry) -> None: ...
    def find_by_ref(self, kind: HistoryKind, external_ref: str) -> HistoryEntry | None: ...
    def list_for(self, customer_id: str, limit: int) -> list[HistoryEntry]: ...
    def count_for(self, customer_id: str) -> int: ...


class OwnedRows(Protocol):
    """Rows that belong to a customer, moved by merges and removed by erasure."""

    def ids_for(self, entity: str, customer_id: str) -> list[str]: ...
    def move(self, entity: str, entity_ids: Sequence[str], to_customer_id: str) -> int: ...
    def owner_of(self, entity: str, entity_ids: Sequence[str]) -> dict[str, str]: ...
    def erase_personal_data(self, customer_id: str, known_as: Sequence[str] = ()) -> dict[str, int]:
        """Clear her personal data in every room; ``known_as`` are values that name her
        (identities, name) to look for where rows hold no customer id (events, stored answers).
        """
        ...


class AuditLog(Protocol):
    def add(self, entry: AuditEntry) -> None: ...
    def list_for(self, customer_id: str, limit: int) -> list[AuditEntry]: ...


class MergeRepository(Protocol):
    def add(self, record: MergeRecord) -> None: ...
    def get(self, merge_id: str) -> MergeRecord | None: ...
    def update(self, record: MergeRecord) -> None: ...
    def list_for(self, customer_id: str) -> list[MergeRecord]: ...


class ErasureRepository(Protocol):
    def add(self, erasure: Erasure) -> None: ...
    def list(self) -> list[Erasure]: ...


class LocationRepository(Protocol):
    def add(self, location: Location) -> None: ...
    def get(self, location_id: str) -> Location | None: ...
    def update(self, location: Location) -> None: ...
    def get_by_code(self, code: str) -> Location | None: ...
    def list(self) -> list[Location]: ...


class StaffRepository(Protocol):
    def add(self, member: StaffMember) -> None: ...
    def get(self, staff_id: str) -> StaffMember | None: ...
    def get_by_login(self, login: str) -> StaffMember | None: ...
    def update(self, member: StaffMember) -> None: ...
    def list(self) -> list[StaffMember]: ...


class TokenRepository(Protocol):
    def add(self, token: ApiToken) -> None: ...
    def get(self, token_id: str) -> ApiToken | None: ...
    def get_by_hash(self, token_hash: str) -> ApiToken | None: ...
    def update(self, token: ApiToken) -> None: ...
    def list(self) -> list[ApiToken]: ...


class IdempotencyStore(Protocol):
    def get(self, scope: str, key: str) -> IdempotencyRecord | None: ...
    def add(self, record: IdempotencyRecord) -> None: ...
    def purge_older_than(self, cutoff: datetime) -> int: ...


class UnitOfWork(Protocol):
    """One transaction. Leaving the block without ``commit()`` rolls everything back.

    Blocks nest: an entry point may open an outer block (to store an idempotency record with the
    use case's rows); the inner ``commit()`` then waits for the outer one.
    """

    customers: CustomerRepository
    identities: IdentityRepository
    preferences: PreferenceRepository
    consents: ConsentRepository
    history: HistoryRepository
    owned: OwnedRows
    audit: AuditLog
    merges: MergeRepository
    erasures: ErasureRepository
    locations: LocationRepository
    staff: StaffRepository
    tokens: TokenRepository
    idempotency: IdempotencyStore
    events: EventInbox
    promises: PromiseRepository
    timers: TimerRepository
    tasks: TaskRepository
    stock: StockLevels
    outbox: Outbox
    playbooks: PlaybookRepository
    feedback: FeedbackStore
    dashboard: DashboardReads
    threads: ThreadRepository
    teams: TeamRepository
    sla_policies: SlaPolicyRepository
    sla_clocks: SlaClockRepository
    calendar_days: CalendarDayRepository
    canned_replies: CannedReplyRepository
    customer_names: CustomerNames
    dead_letters: DeadLetters

    login_throttles: LoginThrottles
    security_events: SecurityEvents

    def __enter__(self) -> Self: ...
    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...
    def commit(self) -> None: ...
    def rollback(self) -> None: ...
