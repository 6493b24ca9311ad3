"""In-memory implementations of every port in ``heedful.core.shared.ports``.

They behave like the storage adapters where a use case could notice the difference:

- Repositories keep and hand out copies. Changing a loaded object stores nothing until the handler
  calls ``update``, exactly as with a database row, so a forgotten ``update`` fails a test here too.
- Unique keys are enforced (an identity's kind and value, a receipt's kind and external_ref, a
  staff login, a token hash, an idempotency key): a handler that would break one raises
  ``FakeIntegrityError`` as the database would. The event inbox is the exception, as its
  INSERT ... ON CONFLICT DO NOTHING is: an event's source and id seen again is a duplicate, not
  an error.
- ``FakeUnitOfWork`` is a transaction. Every block takes a deepcopy of the state when it is entered
  (a savepoint; the outermost one is the transaction) and puts it back when it is left without
  ``commit()``. An inner ``commit()`` only keeps its changes for the enclosing block; the outermost
  ``commit()`` makes them permanent and is what ``committed`` counts. Writing or committing outside
  a block is a bug in the handler and raises.

One module per room: ``customers``, ``staff``, ``events``, ``ledger`` (promises, timers, tasks,
stock, outbox, dead letters, playbooks), ``conversations`` (threads, teams, SLA policies and
clocks, calendar days, canned replies, names) and ``feedback``. Every repository holds rows; only
the aggregated reads that storage sums in SQL (the feedback facts over the history, the
dashboard's rollup sums) are not kept in memory and raise when asked, rather than answer empty.
``as_unit_of_work`` and the typed attributes of ``FakeUnitOfWork`` make mypy prove that each fake
satisfies its port (``make lint`` checks ``tests/fakes``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from copy import deepcopy
from dataclasses import dataclass, field, fields
from types import TracebackType
from typing import Any, Self, TypeVar

from fakes._base import FakeIntegrityError
from fakes.audits import AuditState, FakeAudits
from fakes.catalog import CatalogState, FakeCatalog, FakeCatalogBulk, FakeCatalogStock
from fakes.conversations import (
    ConversationState,
    FakeCalendarDays,
    FakeCannedReplies,
    FakeCustomerNames,
    FakeSlaClockRepository,
    FakeSlaPolicyRepository,
    FakeTeamRepository,
    FakeThreadRepository,
)
from fakes.customers import (
    FakeAuditLog,
    FakeConsentRepository,
    FakeCustomerRepository,
    FakeErasureRepository,
    FakeHistoryRepository,
    FakeIdentityRepository,
    FakeMergeRepository,
    FakeOwnedRows,
    FakePreferenceRepository,
)
from fakes.dealings import (
    DealingsState,
    FakeAccountRepository,
    FakeBookingRepository,
    FakeCapacity,
    FakeCustomerDealings,
    FakeOrderRepository,
    FakeOwnerRepository,
)
from fakes.events import FakeEventInbox, FakeEventTypes
from fakes.failures import FakeFailureReads
from fakes.feedback import FakeDashboardReads, FakeFeedbackStore, FeedbackState
from fakes.goodwill import FakeGoodwill, GoodwillState
from fakes.ledger import (
    FakeDeadLetters,
    FakeOutbox,
    FakePlaybookRepository,
    FakePromiseRepository,
    FakeStockLevels,
    FakeTaskRepository,
    FakeTimerRepository,
    LedgerState,
)
from fakes.staff import (
    FakeContactSettings,
    FakeIdempotencyStore,
    FakeLocationRepository,
    FakeLoginThrottles,
    FakeOwnTemplates,
    FakeSecurityEvents,
    FakeStaffRepository,
    FakeTokenRepository,
)
from heedful.core.audits import AuditRepository
from heedful.core.calendar.ports import CalendarDayRepository
from heedful.core.catalog.bulk import CatalogBulkLoad
from heedful.core.catalog.model import CatalogItem
from heedful.core.catalog.ports import CatalogRepository, StockRepository
from heedful.core.conversations.canned_replies import CannedReply, CannedReplyRepository
from heedful.core.conversations.customer_names import CustomerNames
from heedful.core.conversations.model import Team, Thread
from heedful.core.conversations.ports import TeamRepository, ThreadRepository
from heedful.core.customers.audit import AuditEntry
from heedful.core.customers.consent import ConsentDecision
from heedful.core.customers.identities import Identity
from heedful.core.customers.merge import MergeRecord
from heedful.core.customers.model import Customer
from heedful.core.customers.ports import (
    AuditLog,
    ConsentRepository,
    CustomerRepository,
    IdentityRepository,
    MergeFollower,
    MergeRepository,
    OwnedRows,
)
from heedful.core.dead_letters.ports import DeadLetters
from heedful.core.dealings.capacity import CapacityRepository
from heedful.core.dealings.ports import (
    AccountRepository,
    BookingRepository,
    CustomerDealingsReads,
    OrderRepository,
)
from heedful.core.events.model import EventInbox, StoredEvent
from heedful.core.events.vocabulary import CustomEventType, EventTypeRepository
from heedful.core.failures.ports import FailureReads
from heedful.core.feedback.customer_records import SurveyCapAndChurnFollow
from heedful.core.feedback.dashboard_ports import DashboardReads
from heedful.core.feedback.model import Survey, SurveyInvitation
from heedful.core.feedback.ports import FeedbackStore
from heedful.core.goodwill.ports import GoodwillRepository
from heedful.core.history.model import HistoryEntry
from heedful.core.history.ports import HistoryRepository
from heedful.core.outreach import ContactSettings, OwnContactRules, PurposeRules
from heedful.core.outreach.outbox import Message
from heedful.core.outreach.own_templates import OwnTemplate, OwnTemplates
from heedful.core.playbooks.ports import PlaybookRepository
from heedful.core.preferences.model import Preference
from heedful.core.preferences.ports import PreferenceRepository
from heedful.core.privacy.ports import Erasure, ErasureRepository
from heedful.core.promises.model import Promise
from heedful.core.promises.ports import (
    Outbox,
    PromiseRepository,
    StockLevels,
    TaskRepository,
    TimerRepository,
)
from heedful.core.shared.ports import IdempotencyRecord, IdempotencyStore
from heedful.core.shared.timers import Timer
from heedful.core.sla.model import SlaClock, SlaPolicy
from heedful.core.sla.ports import SlaClockRepository, SlaPolicyRepository
from heedful.core.staff import OwnerRepository
from heedful.core.staff.model import (
    ApiToken,
    Location,
    LoginThrottle,
    SecurityEvent,
    StaffMember,
)
from heedful.core.staff.ports import (
    LocationRepository,
    LoginThrottles,
    SecurityEvents,
    StaffRepository,
    TokenRepository,
)
from heedful.core.tasks.model import Task
from heedful.core.unit_of_work import UnitOfWork

T = TypeVar("T")


@dataclass
class FakeState:
    """Every stored row. One object, so that a savepoint is one deepcopy."""

    customers: dict[str, Customer] = field(default_factory=dict)
    identities: dict[str, Identity] = field(default_factory=dict)
    preferences: dict[str, Preference] = field(default_factory=dict)
    consents: dict[str, ConsentDecision] = field(default_factory=dict)
    history: dict[str, HistoryEntry] = field(default_factory=dict)
    audit: list[AuditEntry] = field(default_factory=list)
    merges: dict[str, MergeRecord] = field(default_factory=dict)
    erasures: list[Erasure] = field(default_factory=list)
    locations: dict[str, Location] = field(default_factory=dict)
    staff: dict[str, StaffMember] = field(default_factory=dict)
    tokens: dict[str, ApiToken] = field(default_factory=dict)
    idempotency: dict[tuple[str, str], IdempotencyRecord] = field(default_factory=dict)
    events: dict[int, StoredEvent] = field(default_factory=dict)  # by sequence
    last_event_sequence: int = 0  # like an identity column: never reused, even after purge
    stream_positions: dict[str, int] = field(default_factory=dict)  # stored through, by stream
    login_throttles: dict[str, LoginThrottle] = field(default_factory=dict)
    security_events: list[SecurityEvent] = field(default_factory=list)
    contact_rules: dict[str, PurposeRules] = field(default_factory=dict)
    customer_contact_rules: dict[str, OwnContactRules] = field(default_factory=dict)
    own_templates: dict[tuple[str, str], OwnTemplate] = field(default_factory=dict)
    ledger: LedgerState = field(default_factory=LedgerState)
    catalog: CatalogState = field(default_factory=CatalogState)
    talk: ConversationState = field(default_factory=ConversationState)
    feedback: FeedbackState = field(default_factory=FeedbackState)
    dealings: DealingsState = field(default_factory=DealingsState)
    event_types: dict[str, CustomEventType] = field(default_factory=dict)
    goodwill: GoodwillState = field(default_factory=GoodwillState)
    audits: AuditState = field(default_factory=AuditState)


@dataclass
class _Savepoint:
    state: FakeState
    dirty: bool = False


class FakeUnitOfWork:
    """A transaction over ``FakeState``; see the module docstring for the rules it keeps."""

    def __init__(self, rows: Iterable[object] = ()) -> None:
        self.state = FakeState()
        self.committed = 0  # outermost commits: changes made permanent
        self.rolled_back = 0  # blocks left with changes that were thrown away
        self._savepoints: list[_Savepoint] = []
        self.customers: CustomerRepository = FakeCustomerRepository(self)
        self.identities: IdentityRepository = FakeIdentityRepository(self)
        self.preferences: PreferenceRepository = FakePreferenceRepository(self)
        self.consents: ConsentRepository = FakeConsentRepository(self)
        self.history: HistoryRepository = FakeHistoryRepository(self)
        self.owned: OwnedRows = FakeOwnedRows(self)
        self.audit: AuditLog = FakeAuditLog(self)
        self.merges: MergeRepository = FakeMergeRepository(self)
        self.erasures: ErasureRepository = FakeErasureRepository(self)
        self.locations: LocationRepository = FakeLocationRepository(self)
        self.staff: StaffRepository = FakeStaffRepository(self)
        self.tokens: TokenRepository = FakeTokenRepository(self)
        self.idempotency: IdempotencyStore = FakeIdempotencyStore(self)
        self.promises: PromiseRepository = FakePromiseRepository(self)
        self.outbox: Outbox = FakeOutbox(self)
        self.tasks: TaskRepository = FakeTaskRepository(self)
        self.timers: TimerRepository = FakeTimerRepository(self)
        self.stock: StockLevels = FakeStockLevels(self)
        self.catalog: CatalogRepository = FakeCatalog(self)
        self.catalog_stock: StockRepository = FakeCatalogStock(self)
        self.catalog_bulk: CatalogBulkLoad = FakeCatalogBulk(self)
        self.playbooks: PlaybookRepository = FakePlaybookRepository(self)
        self.feedback: FeedbackStore = FakeFeedbackStore(self)
        self.dashboard: DashboardReads = FakeDashboardReads()
        self.events: EventInbox = FakeEventInbox(self)
        self.threads: ThreadRepository = FakeThreadRepository(self)
        self.teams: TeamRepository = FakeTeamRepository(self)
        self.sla_policies: SlaPolicyRepository = FakeSlaPolicyRepository(self)
        self.sla_clocks: SlaClockRepository = FakeSlaClockRepository(self)
        self.calendar_days: CalendarDayRepository = FakeCalendarDays(self)
        self.canned_replies: CannedReplyRepository = FakeCannedReplies(self)
        self.customer_names: CustomerNames = FakeCustomerNames(self)
        self.dead_letters: DeadLetters = FakeDeadLetters(self)
        self.bookings: BookingRepository = FakeBookingRepository(self)
        self.orders: OrderRepository = FakeOrderRepository(self)
        self.accounts: AccountRepository = FakeAccountRepository(self)
        self.dealings: CustomerDealingsReads = FakeCustomerDealings(self)
        self.event_types: EventTypeRepository = FakeEventTypes(self)
        self.owners: OwnerRepository = FakeOwnerRepository(self)
        self.capacity: CapacityRepository = FakeCapacity(self)
        self.goodwill: GoodwillRepository = FakeGoodwill(self)
        self.failures: FailureReads = FakeFailureReads()
        self.audits: AuditRepository = FakeAudits(self)
        self.merge_followers: Sequence[MergeFollower] = (SurveyCapAndChurnFollow(self.feedback),)

        self.login_throttles: LoginThrottles = FakeLoginThrottles(self)
        self.security_events: SecurityEvents = FakeSecurityEvents(self)
        self.contact_rules: ContactSettings = FakeContactSettings(self)
        self.message_templates: OwnTemplates = FakeOwnTemplates(self)
        self.seed(*rows)

    def audit_entries(self) -> list[AuditEntry]:
        """The whole audit log in the order written: tests read all of it."""
        return deepcopy(self.state.audit)

    @property
    def depth(self) -> int:
        return len(self._savepoints)

    def __enter__(self) -> Self:
        self._savepoints.append(_Savepoint(deepcopy(self.state)))
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        savepoint = self._savepoints.pop()
        if savepoint.dirty:
            self.rolled_back += 1
        # Restoring a clean savepoint changes nothing; the popped copy is no longer shared.
        self._restore(savepoint.state)

    def defer_durability(self) -> None:
        """Memory has no disk to wait for."""

    def commit(self) -> None:
        if not self._savepoints:
            raise RuntimeError("commit() outside a unit-of-work block")
        # Keep this block's changes; for an inner block they still wait on the enclosing one.
        self._savepoints[-1] = _Savepoint(deepcopy(self.state))
        if len(self._savepoints) == 1:
            self.committed += 1

    def rollback(self) -> None:
        if not self._savepoints:
            raise RuntimeError("rollback() outside a unit-of-work block")
        savepoint = self._savepoints[-1]
        if savepoint.dirty:
            self.rolled_back += 1
        # The block goes on after an explicit rollback, so the savepoint must stay intact.
        self._restore(deepcopy(savepoint.state))
        savepoint.dirty = False

    def note_write(self) -> None:
        if not self._savepoints:
            raise RuntimeError("a write outside a unit-of-work block would be lost")
        for savepoint in self._savepoints:
            savepoint.dirty = True

    def seed(self, *rows: object) -> None:
        """Store rows as if committed long ago, without counting a commit."""
        if self._savepoints:
            raise RuntimeError("seed the store before any unit-of-work block")
        self._savepoints.append(_Savepoint(self.state))
        try:
            for row in rows:
                self._seed_one(row)
        finally:
            self._savepoints.pop()

    def _seed_one(self, row: object) -> None:
        adders: list[tuple[type[Any], Callable[[Any], None]]] = [
            (Customer, self.customers.add),
            (Identity, self.identities.add),
            (Preference, self.preferences.add),
            (ConsentDecision, self.consents.add),
            (HistoryEntry, self.history.add),
            (AuditEntry, self.audit.add),
            (MergeRecord, self.merges.add),
            (Erasure, self.erasures.add),
            (Location, self.locations.add),
            (StaffMember, self.staff.add),
            (ApiToken, self.tokens.add),
            (IdempotencyRecord, self.idempotency.add),
            (Promise, self.promises.add),
            (CatalogItem, self.catalog.put),
            (Task, self.tasks.add),
            (Timer, self.timers.set),
            (Message, self.outbox.add),
            (Survey, self.feedback.surveys.add),
            (SurveyInvitation, self.feedback.invitations.add),
            (Thread, self.threads.add),
            (Team, self.teams.add),
            (SlaPolicy, self.sla_policies.add),
            (SlaClock, self.sla_clocks.add),
            (CannedReply, self.canned_replies.add),
        ]
        for row_type, add in adders:
            if isinstance(row, row_type):
                add(row)
                return
        raise TypeError(f"cannot seed a {type(row).__name__}")

    def _restore(self, snapshot: FakeState) -> None:
        # In place, so that repositories holding this uow see the restored rows.
        for f in fields(FakeState):
            setattr(self.state, f.name, getattr(snapshot, f.name))


def as_unit_of_work(uow: FakeUnitOfWork) -> UnitOfWork:
    """The type checker proves here that the fake implements every port of the real one."""
    return uow


__all__ = ["FakeIntegrityError", "FakeState", "FakeUnitOfWork", "as_unit_of_work"]
