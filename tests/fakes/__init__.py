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
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from copy import deepcopy
from dataclasses import dataclass, field, fields, replace
from datetime import datetime
from types import TracebackType
from typing import Any, Self, TypeVar

from fakes._base import FakeIntegrityError, Repository, copy, insert, overwrite
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
from heedful.core.customers.audit import AuditEntry
from heedful.core.customers.consent import ConsentDecision
from heedful.core.customers.identities import Identity, IdentityKind
from heedful.core.customers.merge import MergeRecord
from heedful.core.customers.model import Customer, CustomerStatus, fold, search_terms
from heedful.core.dead_letters.ports import DeadLetters
from heedful.core.events.model import BusinessEvent, EventInbox, StoredEvent
from heedful.core.history.model import KEPT_ON_ERASURE, HistoryEntry, HistoryKind
from heedful.core.playbooks.ports import PlaybookRepository
from heedful.core.preferences.model import Preference
from heedful.core.promises.ports import (
    Outbox,
    PromiseRepository,
    StockLevels,
    TaskRepository,
    TimerRepository,
)
from heedful.core.shared.ports import (
    AuditLog,
    ConsentRepository,
    CustomerRepository,
    CustomerScope,
    Erasure,
    ErasureRepository,
    HistoryRepository,
    IdempotencyRecord,
    IdempotencyStore,
    IdentityRepository,
    LocationRepository,
    MergeRepository,
    OwnedRows,
    Page,
    PreferenceRepository,
    StaffRepository,
    TokenRepository,
    UnitOfWork,
)
from heedful.core.staff.model import (
    ApiToken,
    Location,
    LoginThrottle,
    SecurityEvent,
    StaffMember,
)

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
    login_throttles: dict[str, LoginThrottle] = field(default_factory=dict)
    security_events: list[SecurityEvent] = field(default_factory=list)
    ledger: LedgerState = field(default_factory=LedgerState)


_Repository = Repository
_copy = copy
_insert = insert
_replace = overwrite


class FakeCustomerRepository(_Repository):
    def add(self, customer: Customer) -> None:
        _insert(self._writing().customers, customer.id, customer)

    def get(self, customer_id: str) -> Customer | None:
        return _copy(self._state.customers.get(customer_id))

    def update(self, customer: Customer) -> None:
        _replace(self._writing().customers, customer.id, customer)

    def find_by_identity(self, kind: IdentityKind, value: str) -> Customer | None:
        for identity in self._state.identities.values():
            if identity.kind is kind and identity.value == value:
                return self.get(identity.customer_id)
        return None

    def search(self, text: str, scope: CustomerScope, limit: int) -> list[Customer]:
        """Active customers whose name has a word starting with each word of the query."""
        wanted = search_terms(text)
        if not wanted:
            return []
        found = [
            customer
            for customer in self._in_scope(scope)
            if all(
                any(term.startswith(word) for term in search_terms(customer.full_name))
                for word in wanted
            )
        ]
        found.sort(key=lambda c: (fold(c.full_name), c.id))
        return [_copy(c) for c in found[:limit]]

    def _in_scope(self, scope: CustomerScope) -> list[Customer]:
        return [
            customer
            for customer in self._state.customers.values()
            if customer.status is CustomerStatus.ACTIVE
            and (
                scope.location_ids is None
                or not scope.location_ids.isdisjoint(customer.location_ids)
            )
        ]

    def list(self, scope: CustomerScope, limit: int, cursor: str | None) -> Page[Customer]:
        """Active customers, oldest first; the cursor is the id of the last one already shown."""
        ordered = sorted(self._in_scope(scope), key=lambda c: (c.created_at, c.id))
        start = 0
        if cursor is not None:
            ids = [c.id for c in ordered]
            start = ids.index(cursor) + 1 if cursor in ids else len(ids)
        page = ordered[start : start + limit]
        more = start + limit < len(ordered)
        next_cursor = page[-1].id if more and page else None
        return Page(items=[_copy(c) for c in page], next_cursor=next_cursor)


class FakeIdentityRepository(_Repository):
    def add(self, identity: Identity) -> None:
        state = self._writing()
        if self.find(identity.kind, identity.value) is not None:
            raise FakeIntegrityError(f"the {identity.kind.value} {identity.value} is taken")
        _insert(state.identities, identity.id, identity)

    def find(self, kind: IdentityKind, value: str) -> Identity | None:
        for identity in self._state.identities.values():
            if identity.kind is kind and identity.value == value:
                return _copy(identity)
        return None

    def list_for(self, customer_id: str) -> list[Identity]:
        rows = [i for i in self._state.identities.values() if i.customer_id == customer_id]
        return [_copy(i) for i in sorted(rows, key=lambda i: (i.added_at, i.id))]

    def remove(self, identity_id: str) -> None:
        state = self._writing()
        if state.identities.pop(identity_id, None) is None:
            raise FakeIntegrityError(f"no identity {identity_id}")


class FakePreferenceRepository(_Repository):
    def add(self, preference: Preference) -> None:
        _insert(self._writing().preferences, preference.id, preference)

    def get(self, preference_id: str) -> Preference | None:
        return _copy(self._state.preferences.get(preference_id))

    def update(self, preference: Preference) -> None:
        _replace(self._writing().preferences, preference.id, preference)

    def list_for(self, customer_id: str, *, include_retracted: bool = False) -> list[Preference]:
        rows = [
            p
            for p in self._state.preferences.values()
            if p.customer_id == customer_id and (include_retracted or p.is_standing)
        ]
        return [_copy(p) for p in sorted(rows, key=lambda p: (p.recorded_at, p.id))]


class FakeConsentRepository(_Repository):
    def add(self, decision: ConsentDecision) -> None:
        _insert(self._writing().consents, decision.id, decision)

    def list_for(self, customer_id: str) -> list[ConsentDecision]:
        rows = [d for d in self._state.consents.values() if d.customer_id == customer_id]
        return [_copy(d) for d in sorted(rows, key=lambda d: (d.decided_at, d.id))]


class FakeHistoryRepository(_Repository):
    def add(self, entry: HistoryEntry) -> None:
        state = self._writing()
        if entry.external_ref and self.find_by_ref(entry.kind, entry.external_ref) is not None:
            raise FakeIntegrityError(f"the {entry.kind.value} {entry.external_ref} is recorded")
        _insert(state.history, entry.id, entry)

    def find_by_ref(self, kind: HistoryKind, external_ref: str) -> HistoryEntry | None:
        for entry in self._state.history.values():
            if entry.kind is kind and entry.external_ref == external_ref:
                return _copy(entry)
        return None

    def list_for(self, customer_id: str, limit: int) -> list[HistoryEntry]:
        """Most recent first, as the card shows them."""
        rows = [e for e in self._state.history.values() if e.customer_id == customer_id]
        rows.sort(key=lambda e: (e.occurred_at, e.id), reverse=True)
        return [_copy(e) for e in rows[:limit]]

    def count_for(self, customer_id: str) -> int:
        return sum(1 for e in self._state.history.values() if e.customer_id == customer_id)


# Surveys and recoveries live on real storage only (tests/integration/test_feedback_merges.py).
_FEEDBACK_ROWS = ("survey_invitation", "survey_answer", "recovery_loop")


class FakeOwnedRows(_Repository):
    """Identities, preferences, consent decisions and history, addressed by entity name."""

    def _table(self, state: FakeState, entity: str) -> dict[str, Any]:
        # Any: the four row types share only ``customer_id``, which is all this class touches.
        tables: dict[str, dict[str, Any]] = {
            "identity": state.identities,
            "preference": state.preferences,
            "consent": state.consents,
            "history": state.history,
        }
        ledger = state.ledger
        tables.update(promise=ledger.promises, message=ledger.messages, task=ledger.tasks)
        if entity == "thread" or entity in _FEEDBACK_ROWS:
            return {}  # the fakes keep no threads or surveys yet
        if entity not in tables:
            raise FakeIntegrityError(f"{entity} rows do not belong to customers")
        return tables[entity]

    def ids_for(self, entity: str, customer_id: str) -> list[str]:
        table = self._table(self._state, entity)
        return sorted(row_id for row_id, row in table.items() if row.customer_id == customer_id)

    def move(self, entity: str, entity_ids: Sequence[str], to_customer_id: str) -> int:
        table = self._table(self._writing(), entity)
        moved = 0
        for row_id in entity_ids:
            if row_id in table:
                table[row_id].customer_id = to_customer_id
                moved += 1
        return moved

    def owner_of(self, entity: str, entity_ids: Sequence[str]) -> dict[str, str]:
        table = self._table(self._state, entity)
        return {row_id: table[row_id].customer_id for row_id in entity_ids if row_id in table}

    def erase_personal_data(
        self,
        customer_id: str,
        known_as: Sequence[str] = (),  # noqa: ARG002 - the fakes keep no events or answers
    ) -> dict[str, int]:
        """Delete what describes the person; keep what counts what they did.

        Purchases and visits stay, without their free-text notes; audit entries keep who did what
        and lose the values they recorded.
        """
        state = self._writing()
        removed: dict[str, int] = {}
        for entity in ("identity", "preference", "consent"):
            table = self._table(state, entity)
            doomed = [row_id for row_id, row in table.items() if row.customer_id == customer_id]
            for row_id in doomed:
                del table[row_id]
            removed[entity] = len(doomed)
        notes = [e for e in state.history.values() if e.customer_id == customer_id and e.note]
        for entry in notes:
            entry.note = ""
        removed["history_note"] = len(notes)
        for entry in state.history.values():
            if entry.customer_id == customer_id:
                # As storage does: items keep their counts and the marks the figures count.
                entry.items = [
                    replace(item, attributes=_kept_on_erasure(item.attributes))
                    for item in entry.items
                ]
        scrubbed = 0
        for index, logged in enumerate(state.audit):
            if logged.customer_id == customer_id and (logged.before or logged.after):
                state.audit[index] = replace(logged, before=None, after=None)
                scrubbed += 1
        removed["audit_values"] = scrubbed
        return removed


def _kept_on_erasure(attributes: dict[str, str]) -> dict[str, str]:
    return {key: value for key, value in attributes.items() if key in KEPT_ON_ERASURE}


class FakeAuditLog(_Repository):
    def add(self, entry: AuditEntry) -> None:
        self._writing().audit.append(_copy(entry))

    def list_for(self, customer_id: str, limit: int) -> list[AuditEntry]:
        """Most recent first; entries written in the same instant keep their written order."""
        rows = [e for e in self._state.audit if e.customer_id == customer_id]
        return [_copy(e) for e in reversed(rows)][:limit]


class FakeMergeRepository(_Repository):
    def add(self, record: MergeRecord) -> None:
        _insert(self._writing().merges, record.id, record)

    def get(self, merge_id: str) -> MergeRecord | None:
        return _copy(self._state.merges.get(merge_id))

    def update(self, record: MergeRecord) -> None:
        _replace(self._writing().merges, record.id, record)

    def list_for(self, customer_id: str) -> list[MergeRecord]:
        rows = [
            r for r in self._state.merges.values() if customer_id in (r.survivor_id, r.absorbed_id)
        ]
        return [_copy(r) for r in sorted(rows, key=lambda r: (r.merged_at, r.id), reverse=True)]


class FakeErasureRepository(_Repository):
    def add(self, erasure: Erasure) -> None:
        self._writing().erasures.append(_copy(erasure))

    def list(self) -> list[Erasure]:
        return [_copy(e) for e in self._state.erasures]


class FakeLocationRepository(_Repository):
    def add(self, location: Location) -> None:
        _insert(self._writing().locations, location.id, location)

    def get(self, location_id: str) -> Location | None:
        return _copy(self._state.locations.get(location_id))

    def update(self, location: Location) -> None:
        _replace(self._writing().locations, location.id, location)

    def get_by_code(self, code: str) -> Location | None:
        found = [loc for loc in self._state.locations.values() if loc.code == code]
        return _copy(found[0]) if found else None

    def list(self) -> list[Location]:
        rows = sorted(self._state.locations.values(), key=lambda loc: (loc.name, loc.id))
        return [_copy(loc) for loc in rows]


class FakeStaffRepository(_Repository):
    def add(self, member: StaffMember) -> None:
        state = self._writing()
        if self.get_by_login(member.login) is not None:
            raise FakeIntegrityError(f"the login {member.login} is taken")
        _insert(state.staff, member.id, member)

    def get(self, staff_id: str) -> StaffMember | None:
        return _copy(self._state.staff.get(staff_id))

    def get_by_login(self, login: str) -> StaffMember | None:
        found = next((m for m in self._state.staff.values() if m.login == login), None)
        return _copy(found)

    def update(self, member: StaffMember) -> None:
        _replace(self._writing().staff, member.id, member)

    def list(self) -> list[StaffMember]:
        rows = sorted(self._state.staff.values(), key=lambda m: (m.login, m.id))
        return [_copy(m) for m in rows]


class FakeTokenRepository(_Repository):
    def add(self, token: ApiToken) -> None:
        state = self._writing()
        if self.get_by_hash(token.token_hash) is not None:
            raise FakeIntegrityError("a token with this hash exists")
        _insert(state.tokens, token.id, token)

    def get(self, token_id: str) -> ApiToken | None:
        return _copy(self._state.tokens.get(token_id))

    def get_by_hash(self, token_hash: str) -> ApiToken | None:
        found = next((t for t in self._state.tokens.values() if t.token_hash == token_hash), None)
        return _copy(found)

    def update(self, token: ApiToken) -> None:
        _replace(self._writing().tokens, token.id, token)

    def list(self) -> list[ApiToken]:
        rows = sorted(self._state.tokens.values(), key=lambda t: (t.created_at, t.id))
        return [_copy(t) for t in rows]


class FakeIdempotencyStore(_Repository):
    def get(self, scope: str, key: str) -> IdempotencyRecord | None:
        return _copy(self._state.idempotency.get((scope, key)))

    def add(self, record: IdempotencyRecord) -> None:
        table = self._writing().idempotency
        if (record.scope, record.key) in table:
            raise FakeIntegrityError(f"the idempotency key {record.key} is used")
        table[(record.scope, record.key)] = _copy(record)

    def purge_older_than(self, cutoff: datetime) -> int:
        table = self._writing().idempotency
        old = [k for k, record in table.items() if record.created_at < cutoff]
        for k in old:
            del table[k]
        return len(old)


class FakeEventInbox(_Repository):
    """Events by sequence; (source, id) seen before is a duplicate, as the unique key makes it."""

    def accept(self, events: Sequence[BusinessEvent], *, received_at: datetime) -> list[bool]:
        state = self._writing()
        seen = {stored.event.key for stored in state.events.values()}
        answers: list[bool] = []
        for event in events:
            if event.key in seen:
                answers.append(False)
                continue
            seen.add(event.key)
            state.last_event_sequence += 1
            sequence = state.last_event_sequence
            state.events[sequence] = StoredEvent(sequence, _copy(event), received_at)
            answers.append(True)
        return answers

    def unprocessed(
        self, limit: int, after_sequence: int | None = None, *, now: datetime | None = None
    ) -> list[StoredEvent]:
        waiting = [
            stored
            for sequence, stored in sorted(self._state.events.items())
            if stored.processed_at is None
            and (after_sequence is None or sequence > after_sequence)
            and (now is None or stored.retry_at is None or stored.retry_at <= now)
        ]
        return _copy(waiting[:limit])

    def mark_processed(self, sequences: Sequence[int], at: datetime) -> None:
        table = self._writing().events
        for sequence in sequences:
            if sequence in table:
                table[sequence] = replace(table[sequence], processed_at=at)

    def try_again_at(self, sequence: int, at: datetime) -> None:
        table = self._writing().events
        table[sequence] = replace(table[sequence], retry_at=at)

    def set_aside(self, sequence: int, at: datetime) -> None:
        # The fake has no dead_at: a set-aside event simply never comes due again.
        table = self._writing().events
        table[sequence] = replace(table[sequence], retry_at=datetime.max.replace(tzinfo=at.tzinfo))

    def put_back(self, sequence: int, at: datetime) -> bool:
        table = self._writing().events
        if sequence not in table or table[sequence].processed_at is not None:
            return False
        table[sequence] = replace(table[sequence], retry_at=at)
        return True

    def get(self, sequence: int) -> StoredEvent | None:
        return _copy(self._state.events.get(sequence))

    def between(self, type: str, since: datetime, until: datetime, limit: int) -> list[StoredEvent]:
        found = [
            stored
            for stored in self._state.events.values()
            if stored.event.type == type and since <= stored.received_at < until
        ]
        found.sort(key=lambda stored: (stored.received_at, stored.sequence))
        return _copy(found[:limit])

    def purge_set_aside(self, sequences: Sequence[int]) -> int:
        table = self._writing().events
        gone = [s for s in sequences if s in table and table[s].processed_at is None]
        for sequence in gone:
            del table[sequence]
        return len(gone)

    def purge(self, processed_before: datetime) -> int:
        table = self._writing().events
        old = [
            sequence
            for sequence, stored in table.items()
            if stored.processed_at is not None and stored.processed_at < processed_before
        ]
        for sequence in old:
            del table[sequence]
        return len(old)


class FakeLedgerNone(_Repository):
    """The promise ledger, outbox and tasks as the fakes see them: empty, for the customer
    use cases that read them (export). The ledger's own tests run on real storage."""

    def find(self, where: object, limit: int) -> list[object]:  # noqa: ARG002 - the port's shape
        return []

    def list_for_customer(self, customer_id: str, limit: int) -> list[object]:  # noqa: ARG002
        return []

    def for_customer(self, customer_id: str, limit: int) -> list[object]:  # noqa: ARG002
        return []  # threads: the conversations' tests run on real storage


class FakeFeedbackNone(_Repository):
    """The feedback room as the fakes see it: nobody asked, nobody answered, nobody assessed.

    Merges, undos and exports read it; the room's own tests run on real storage."""

    def __init__(self, uow: FakeUnitOfWork) -> None:
        super().__init__(uow)
        self.caps = self.invitations = self.answers = self.loops = self.churn = self

    def next_allowed(self, customer_id: str, *, for_change: bool = False) -> None:  # noqa: ARG002
        return None

    def get(self, customer_id: str) -> None:  # noqa: ARG002 - the port's shape
        return None

    def find(self, *args: object, **kwargs: object) -> list[object]:  # noqa: ARG002
        return []

    def list_for_customer(self, customer_id: str, limit: int) -> list[object]:  # noqa: ARG002
        return []


@dataclass
class _Savepoint:
    state: FakeState
    dirty: bool = False


class FakeLoginThrottles(_Repository):
    def get(self, key: str) -> LoginThrottle | None:
        return self._state.login_throttles.get(key)

    def replace(self, before: LoginThrottle | None, after: LoginThrottle) -> bool:
        if self._state.login_throttles.get(after.key) != before:
            return False  # another attempt counted first, as the conditional UPDATE sees it
        self._writing().login_throttles[after.key] = after
        return True

    def clear(self, key: str) -> None:
        self._writing().login_throttles.pop(key, None)

    def forget_unlocked_before(self, last_failure_before: datetime) -> int:
        stale = [
            key
            for key, row in self._state.login_throttles.items()
            if row.locked_at is None and row.last_failure_at < last_failure_before
        ]
        for key in stale:
            del self._writing().login_throttles[key]
        return len(stale)


class FakeSecurityEvents(_Repository):
    def add(self, event: SecurityEvent) -> None:
        self._writing().security_events.append(event)

    def list(
        self,
        *,
        since: datetime | None = None,
        limit: int = 100,
        kinds: frozenset[Any] = frozenset(),
        login: str = "",
    ) -> list[SecurityEvent]:
        rows = [
            e
            for e in self._state.security_events
            if (since is None or e.at >= since)
            and (not kinds or e.kind in kinds)
            and (not login or e.login.lower() == login.lower())
        ]
        return list(reversed(rows))[:limit]


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
        self.playbooks: PlaybookRepository = FakePlaybookRepository(self)
        self.feedback: Any = FakeFeedbackNone(self)
        self.events: EventInbox = FakeEventInbox(self)
        self.threads: Any = FakeLedgerNone(self)
        self.dead_letters: DeadLetters = FakeDeadLetters(self)

        self.login_throttles = FakeLoginThrottles(self)
        self.security_events = FakeSecurityEvents(self)
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
