"""Fakes for the customers' rooms: profiles, identities, preferences, consent, history, the
rows a merge moves and erasure clears, the audit log, merges and erasures.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from fakes._base import FakeIntegrityError
from fakes._base import Repository as _Repository
from fakes._base import copy as _copy
from fakes._base import insert as _insert
from fakes._base import overwrite as _replace
from heedful.core.customers.audit import AuditEntry
from heedful.core.customers.consent import ConsentDecision
from heedful.core.customers.identities import Identity, IdentityKind
from heedful.core.customers.merge import MergeRecord
from heedful.core.customers.model import Customer, CustomerStatus, fold, query_words, search_terms
from heedful.core.customers.spelling import identity_prefix, sound_key
from heedful.core.history.model import KEPT_ON_ERASURE, HistoryEntry, HistoryKind
from heedful.core.preferences.model import Polarity, Preference
from heedful.core.privacy.ports import Erasure
from heedful.core.shared.ports import CustomerScope, Page

if TYPE_CHECKING:
    from fakes import FakeState


class FakeCustomerRepository(_Repository):
    def add(self, customer: Customer) -> None:
        _insert(self._writing().customers, customer.id, customer)

    def get(self, customer_id: str) -> Customer | None:
        return _copy(self._state.customers.get(customer_id))

    def get_many(self, customer_ids: Sequence[str]) -> list[Customer]:
        found = (self.get(i) for i in customer_ids)
        return [c for c in found if c is not None]

    def update(self, customer: Customer) -> None:
        _replace(self._writing().customers, customer.id, customer)

    def find_by_identity(self, kind: IdentityKind, value: str) -> Customer | None:
        for identity in self._state.identities.values():
            if identity.kind is kind and identity.value == value:
                return self.get(identity.customer_id)
        return None

    def search(self, text: str, scope: CustomerScope, limit: int) -> list[Customer]:
        """Each query word starts a word of the name or its sound key; or the query starts an
        e-mail address or card number of hers (as the SQL repository)."""
        wanted = query_words(text)
        if not wanted:
            return []
        starts = identity_prefix(text)

        def named(customer: Customer) -> bool:
            terms = search_terms(customer.full_name)
            return all(
                any(
                    term.startswith(prefix)
                    for term in terms
                    for prefix in (word, sound_key(word))
                    if prefix
                )
                for word in wanted
            )

        def reached(customer: Customer) -> bool:
            return any(
                identity.customer_id == customer.id
                and identity.kind is kind
                and identity.value.startswith(start)
                for identity in self._state.identities.values()
                for kind, start in starts
            )

        found = [c for c in self._in_scope(scope) if named(c) or reached(c)]
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

    def list_for_many(self, customer_ids: Sequence[str]) -> dict[str, list[Identity]]:
        found = {i: self.list_for(i) for i in customer_ids}
        return {i: rows for i, rows in found.items() if rows}

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

    def standing_for_many(self, customer_ids: Sequence[str]) -> dict[str, list[Preference]]:
        found = {i: self.list_for(i) for i in customer_ids}
        return {i: standing for i, standing in found.items() if standing}

    def standing_subjects_for_many(
        self, customer_ids: Sequence[str]
    ) -> dict[str, list[tuple[Polarity, str]]]:
        # As the table's read orders them: newest first, then by id.
        found: dict[str, list[tuple[Polarity, str]]] = {}
        for customer_id in customer_ids:
            standing = [
                p
                for p in self._state.preferences.values()
                if p.customer_id == customer_id and p.is_standing
            ]
            standing.sort(key=lambda p: p.id)
            standing.sort(key=lambda p: p.recorded_at, reverse=True)
            if standing:
                found[customer_id] = [(p.polarity, p.subject) for p in standing]
        return found


class FakeConsentRepository(_Repository):
    def add(self, decision: ConsentDecision) -> None:
        _insert(self._writing().consents, decision.id, decision)

    def list_for(self, customer_id: str) -> list[ConsentDecision]:
        rows = [d for d in self._state.consents.values() if d.customer_id == customer_id]
        return [_copy(d) for d in sorted(rows, key=lambda d: (d.decided_at, d.id))]

    def list_for_many(self, customer_ids: Sequence[str]) -> dict[str, list[ConsentDecision]]:
        found = {i: self.list_for(i) for i in customer_ids}
        return {i: rows for i, rows in found.items() if rows}


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
        tables.update(thread=state.talk.threads, survey_invitation=state.feedback.invitations)
        tables.update(survey_answer=state.feedback.answers, recovery_loop=state.feedback.loops)
        tables.update(booking=state.dealings.bookings, order=state.dealings.orders)
        tables.update(account=state.dealings.accounts)
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
                # replace(), not setattr: an answer is a frozen dataclass.
                table[row_id] = replace(table[row_id], customer_id=to_customer_id)
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
        for name in ("bookings", "orders", "accounts"):
            rows = getattr(state.dealings, name)
            doomed = [row_id for row_id, row in rows.items() if row.customer_id == customer_id]
            for row_id in doomed:
                del rows[row_id]
            removed[name] = len(doomed)
        return removed


def _kept_on_erasure(attributes: dict[str, str]) -> dict[str, str]:
    return {key: value for key, value in attributes.items() if key in KEPT_ON_ERASURE}


class FakeAuditLog(_Repository):
    def add(self, entry: AuditEntry) -> None:
        self._writing().audit.append(_copy(entry))

    def add_many(self, entries: Sequence[AuditEntry]) -> None:
        for entry in entries:
            self.add(entry)

    def list_for(self, customer_id: str | None, limit: int) -> list[AuditEntry]:
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
