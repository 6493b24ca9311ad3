"""The unit of work on SQLAlchemy: one connection, one transaction, savepoints when nested."""

from __future__ import annotations

from collections.abc import Sequence
from types import TracebackType
from typing import Self

from sqlalchemy.engine import Connection, Engine, RootTransaction, Transaction

from heedful.adapters.storage.admin_rows import SqlIdempotency, SqlLocations, SqlStaff, SqlTokens
from heedful.adapters.storage.audit_rows import SqlAudits
from heedful.adapters.storage.canned_reply_rows import SqlCannedReplies
from heedful.adapters.storage.capacity_rows import SqlCapacity
from heedful.adapters.storage.card_dealing_rows import SqlCustomerDealings
from heedful.adapters.storage.catalog_bulk import SqlCatalogBulk
from heedful.adapters.storage.catalog_rows import SqlCatalog, SqlCatalogStock
from heedful.adapters.storage.conversation_rows import SqlTeams, SqlThreads
from heedful.adapters.storage.customer_name_rows import SqlCustomerNames
from heedful.adapters.storage.customer_rows import SqlCustomers, SqlIdentities
from heedful.adapters.storage.dashboard_rows import SqlDashboardReads
from heedful.adapters.storage.dead_letter_rows import SqlDeadLetters
from heedful.adapters.storage.dealing_rows import SqlAccounts, SqlBookings, SqlOrders, SqlOwners
from heedful.adapters.storage.engine import (
    begin_read_only,
    end_read_only,
    relax_durability,
    relax_transaction,
    restore_durability,
)
from heedful.adapters.storage.event_rows import SqlEventInbox
from heedful.adapters.storage.event_type_rows import SqlEventTypes
from heedful.adapters.storage.failure_rows import SqlFailureReads
from heedful.adapters.storage.feedback_rows import SqlFeedbackStore
from heedful.adapters.storage.goodwill_rows import SqlGoodwill
from heedful.adapters.storage.outbox_rows import SqlOutbox, SqlStockLevels
from heedful.adapters.storage.playbook_rows import SqlPlaybooks
from heedful.adapters.storage.promise_rows import SqlPromises
from heedful.adapters.storage.record_rows import (
    SqlConsents,
    SqlHistory,
    SqlOwnedRows,
    SqlPreferences,
)
from heedful.adapters.storage.security_rows import SqlLoginThrottles, SqlSecurityEvents
from heedful.adapters.storage.setup_rows import SqlContactSettings, SqlOwnTemplates
from heedful.adapters.storage.sla_rows import SqlCalendarDays, SqlSlaClocks, SqlSlaPolicies
from heedful.adapters.storage.task_rows import SqlTasks, SqlTimers
from heedful.adapters.storage.trail_rows import SqlAuditLog, SqlErasures, SqlMerges
from heedful.core.audits import AuditRepository
from heedful.core.calendar import ports as calendar_ports
from heedful.core.catalog import ports as catalog_ports
from heedful.core.catalog.bulk import CatalogBulkLoad
from heedful.core.conversations import ports as conversation_ports
from heedful.core.conversations.canned_replies import CannedReplyRepository
from heedful.core.conversations.customer_names import CustomerNames
from heedful.core.customers import ports as customer_ports
from heedful.core.dead_letters.ports import DeadLetters
from heedful.core.dealings import ports as dealing_ports
from heedful.core.dealings.capacity import CapacityRepository
from heedful.core.events.model import EventInbox
from heedful.core.events.vocabulary import EventTypeRepository
from heedful.core.failures.ports import FailureReads
from heedful.core.feedback.customer_records import SurveyCapAndChurnFollow
from heedful.core.feedback.dashboard_ports import DashboardReads
from heedful.core.feedback.ports import FeedbackStore
from heedful.core.goodwill.ports import GoodwillRepository
from heedful.core.history import ports as history_ports
from heedful.core.outreach import ContactSettings
from heedful.core.outreach.own_templates import OwnTemplates
from heedful.core.playbooks.ports import PlaybookRepository
from heedful.core.preferences import ports as preference_ports
from heedful.core.privacy import ports as privacy_ports
from heedful.core.promises import ports as promise_ports
from heedful.core.shared import ports
from heedful.core.sla import ports as sla_ports
from heedful.core.staff import OwnerRepository, OwnersFollowMerge
from heedful.core.staff import ports as staff_ports


class SqlUnitOfWork:
    """Implements ``heedful.core.unit_of_work.UnitOfWork``.

    The outermost block owns a connection and its transaction. A nested block is a SAVEPOINT: its
    ``commit()`` releases the savepoint (the outer block still decides), and leaving it without a
    commit undoes only what it did. One instance serves one request or job, on one thread.
    """

    # Declared as the ports' types: the Protocol's attributes are what callers may rely on.
    customers: customer_ports.CustomerRepository
    identities: customer_ports.IdentityRepository
    preferences: preference_ports.PreferenceRepository
    consents: customer_ports.ConsentRepository
    history: history_ports.HistoryRepository
    owned: customer_ports.OwnedRows
    audit: customer_ports.AuditLog
    merges: customer_ports.MergeRepository
    erasures: privacy_ports.ErasureRepository
    locations: staff_ports.LocationRepository
    staff: staff_ports.StaffRepository
    owners: OwnerRepository
    capacity: CapacityRepository
    tokens: staff_ports.TokenRepository
    idempotency: ports.IdempotencyStore
    events: EventInbox
    promises: promise_ports.PromiseRepository
    timers: promise_ports.TimerRepository
    tasks: promise_ports.TaskRepository
    stock: promise_ports.StockLevels
    catalog: catalog_ports.CatalogRepository
    catalog_stock: catalog_ports.StockRepository
    catalog_bulk: CatalogBulkLoad
    outbox: promise_ports.Outbox
    playbooks: PlaybookRepository
    threads: conversation_ports.ThreadRepository
    teams: conversation_ports.TeamRepository
    sla_policies: sla_ports.SlaPolicyRepository
    sla_clocks: sla_ports.SlaClockRepository
    calendar_days: calendar_ports.CalendarDayRepository
    canned_replies: CannedReplyRepository
    customer_names: CustomerNames
    feedback: FeedbackStore
    dashboard: DashboardReads
    dead_letters: DeadLetters
    bookings: dealing_ports.BookingRepository
    event_types: EventTypeRepository
    orders: dealing_ports.OrderRepository
    accounts: dealing_ports.AccountRepository
    dealings: dealing_ports.CustomerDealingsReads
    goodwill: GoodwillRepository
    failures: FailureReads
    audits: AuditRepository
    merge_followers: Sequence[customer_ports.MergeFollower]

    login_throttles: staff_ports.LoginThrottles
    security_events: staff_ports.SecurityEvents
    contact_rules: ContactSettings
    message_templates: OwnTemplates

    def __init__(self, engine: Engine, *, read_only: bool = False) -> None:
        # Read-only: a read path's work (the card, a list, a search). On SQLite it reads beside
        # the worker's write instead of queueing for the write lock; a write in it fails with
        # ``WriteInReadOnlyWork`` on both databases (ADR 70).
        self._engine = engine
        self.read_only = read_only
        self._deferred = False
        self._conn: Connection | None = None
        # None: a nested block of a read-only unit of work, which opens no savepoint (below).
        self._stack: list[Transaction | None] = []
        self._done: list[bool] = []

    def defer_durability(self) -> None:
        self._deferred = True

    def __enter__(self) -> Self:
        if self._conn is None:
            self._conn = self._engine.connect()
            if self.read_only:
                begin_read_only(self._conn)
            if self._deferred:
                relax_durability(self._conn)
            self._stack.append(self._conn.begin())
            if self._deferred:
                relax_transaction(self._conn)
            self._bind(self._conn)
        elif self.read_only:
            # Nothing written, so nothing for a savepoint to undo: a page that reads through
            # many use cases in one read-only unit of work (the console's card, ADR 74) pays
            # no SAVEPOINT and ROLLBACK TO round trips for each.
            self._stack.append(None)
        else:
            self._stack.append(self._conn.begin_nested())
        self._done.append(False)
        return self

    def _bind(self, conn: Connection) -> None:
        self.customers = SqlCustomers(conn)
        self.identities = SqlIdentities(conn)
        self.preferences = SqlPreferences(conn)
        self.consents = SqlConsents(conn)
        self.history = SqlHistory(conn)
        self.owned = SqlOwnedRows(conn)
        self.audit = SqlAuditLog(conn)
        self.merges = SqlMerges(conn)
        self.erasures = SqlErasures(conn)
        self.locations = SqlLocations(conn)
        self.staff = SqlStaff(conn)
        self.owners = SqlOwners(conn)
        self.capacity = SqlCapacity(conn)
        self.tokens = SqlTokens(conn)
        self.idempotency = SqlIdempotency(conn)
        self.events = SqlEventInbox(conn)
        self.promises = SqlPromises(conn)
        self.timers = SqlTimers(conn)
        self.tasks = SqlTasks(conn)
        self.stock = SqlStockLevels(conn)
        self.catalog = SqlCatalog(conn)
        self.catalog_stock = SqlCatalogStock(conn)
        self.catalog_bulk = SqlCatalogBulk(conn)
        self.outbox = SqlOutbox(conn)
        self.playbooks = SqlPlaybooks(conn)
        self.threads = SqlThreads(conn)
        self.teams = SqlTeams(conn)
        self.sla_policies = SqlSlaPolicies(conn)
        self.sla_clocks = SqlSlaClocks(conn)
        self.calendar_days = SqlCalendarDays(conn)
        self.canned_replies = SqlCannedReplies(conn)
        self.contact_rules = SqlContactSettings(conn)
        self.message_templates = SqlOwnTemplates(conn)
        self.customer_names = SqlCustomerNames(conn)
        self.feedback = SqlFeedbackStore(conn)
        self.dashboard = SqlDashboardReads(conn)
        self.dead_letters = SqlDeadLetters(conn)
        self.bookings = SqlBookings(conn)
        self.orders = SqlOrders(conn)
        self.accounts = SqlAccounts(conn)
        self.dealings = SqlCustomerDealings(conn)
        self.event_types = SqlEventTypes(conn)
        self.goodwill = SqlGoodwill(conn)
        self.failures = SqlFailureReads(conn)
        self.audits = SqlAudits(conn)
        self.merge_followers = (
            SurveyCapAndChurnFollow(self.feedback),
            OwnersFollowMerge(self.owners),
        )

        self.login_throttles = SqlLoginThrottles(conn)
        self.security_events = SqlSecurityEvents(conn)

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        transaction = self._stack.pop()
        done = self._done.pop()
        try:
            if transaction is not None and transaction.is_active and not done:
                transaction.rollback()
        finally:
            if not self._stack and self._conn is not None:
                if self._deferred:
                    self._deferred = False
                    restore_durability(self._conn)
                try:
                    if self.read_only and not self._conn.invalidated:
                        end_read_only(self._conn)
                finally:
                    self._conn.close()
                self._conn = None

    def commit(self) -> None:
        transaction = self._stack[-1]
        if transaction is not None:
            transaction.commit()
        self._done[-1] = True
        if isinstance(transaction, RootTransaction) and self._conn is not None:
            # Reads after the commit (rare) run in a fresh transaction that exit will close.
            self._stack[-1] = self._conn.begin()
            self._done[-1] = False

    def rollback(self) -> None:
        transaction = self._stack[-1]
        if transaction is not None and transaction.is_active:
            transaction.rollback()
        self._done[-1] = True

    @property
    def connection(self) -> Connection:
        """For adapters that add their own rows to this transaction (never for the core)."""
        if self._conn is None:
            raise RuntimeError("the unit of work is not open")
        return self._conn
