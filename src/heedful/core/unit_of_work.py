"""The whole unit of work: every room's repositories in one transaction (ADR 0030).

It sits above every room because it names them all; `core/shared` keeps only its shape.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

from heedful.core.shared.ports import UnitOfWorkShape

# For the type checker only: at run time a Protocol's annotations stay strings, and importing every
# room here would make a cycle of any room whose handlers take the whole unit of work.
if TYPE_CHECKING:
    from heedful.core.audits.ports import AuditRepository
    from heedful.core.calendar.ports import CalendarDayRepository
    from heedful.core.catalog.bulk import CatalogBulkLoad
    from heedful.core.catalog.ports import CatalogRepository, StockRepository
    from heedful.core.conversations.canned_replies import CannedReplyRepository
    from heedful.core.conversations.customer_names import CustomerNames
    from heedful.core.conversations.ports import TeamRepository, ThreadRepository
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
    from heedful.core.events.model import EventInbox
    from heedful.core.events.vocabulary import EventTypeRepository
    from heedful.core.failures.ports import FailureReads
    from heedful.core.feedback.dashboard_ports import DashboardReads
    from heedful.core.feedback.ports import FeedbackStore
    from heedful.core.goodwill.ports import GoodwillRepository
    from heedful.core.history.ports import HistoryRepository
    from heedful.core.outreach.contact_settings import ContactSettings
    from heedful.core.outreach.own_templates import OwnTemplates
    from heedful.core.playbooks.ports import PlaybookRepository
    from heedful.core.preferences.ports import PreferenceRepository
    from heedful.core.privacy.ports import ErasureRepository
    from heedful.core.promises.ports import (
        Outbox,
        PromiseRepository,
        StockLevels,
        TaskRepository,
        TimerRepository,
    )
    from heedful.core.shared.ports import IdempotencyStore, UnitOfWorkShape
    from heedful.core.sla.ports import SlaClockRepository, SlaPolicyRepository
    from heedful.core.staff.owners import OwnerRepository
    from heedful.core.staff.ports import (
        LocationRepository,
        LoginThrottles,
        SecurityEvents,
        StaffRepository,
        TokenRepository,
    )


class UnitOfWork(UnitOfWorkShape, Protocol):
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
    owners: OwnerRepository
    capacity: CapacityRepository
    tokens: TokenRepository
    idempotency: IdempotencyStore
    events: EventInbox
    promises: PromiseRepository
    timers: TimerRepository
    tasks: TaskRepository
    stock: StockLevels
    catalog: CatalogRepository
    catalog_stock: StockRepository
    catalog_bulk: CatalogBulkLoad
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
    bookings: BookingRepository
    orders: OrderRepository
    accounts: AccountRepository
    dealings: CustomerDealingsReads
    event_types: EventTypeRepository
    goodwill: GoodwillRepository
    failures: FailureReads
    audits: AuditRepository
    # Rooms above customers that keep a key per customer follow her merges (customers' port).
    merge_followers: Sequence[MergeFollower]

    login_throttles: LoginThrottles
    security_events: SecurityEvents
    # What an admin set up in the console (outreach room, ADR 0043).
    contact_rules: ContactSettings
    message_templates: OwnTemplates
