"""Privacy rights (GDPR art. 15 and 17; Russia's 152-FZ art. 14 and 21): export and erasure."""

from __future__ import annotations

from dataclasses import asdict, is_dataclass, replace
from datetime import date, datetime
from enum import Enum
from typing import Any

from heedful.core.access import Actor, Permission, load_customer
from heedful.core.conversations import conversations_export
from heedful.core.customers import (
    ERASED_NAME,
    Customer,
    CustomerStatus,
    audit,
    needles,
    redact_within,
)
from heedful.core.feedback import feedback_export
from heedful.core.privacy.ports import Erasure
from heedful.core.promises import PromiseFilter
from heedful.core.shared.clock import Clock
from heedful.core.shared.errors import Conflict, InvalidInput
from heedful.core.shared.ids import new_id
from heedful.core.shared.phrases import Phrase
from heedful.core.unit_of_work import UnitOfWork

__all__ = ["ERASED_NAME", "erase_customer", "export_customer"]

_PERSONAL_FIELDS = frozenset({"full_name", "birthday"})
_EVERYTHING = 1_000_000


def _plain(value: Any) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        return _plain(asdict(value))
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [_plain(v) for v in value]
        return sorted(items) if isinstance(value, (set, frozenset)) else items
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    return value


def export_customer(
    customer_id: str, uow: UnitOfWork, clock: Clock, actor: Actor
) -> dict[str, Any]:
    """Everything Heedful holds on one person, as plain JSON-ready data."""
    actor.require(Permission.EXPORT_CUSTOMER)
    now = clock.now()
    with uow:
        customer = load_customer(uow, actor, customer_id)
        document = {
            "format": "heedful.customer-export/1",
            "exported_at": now.isoformat(),
            "customer": _plain(customer.snapshot()),
            "identities": _plain(uow.identities.list_for(customer.id)),
            "preferences": _plain(uow.preferences.list_for(customer.id, include_retracted=True)),
            "consent": _plain(uow.consents.list_for(customer.id)),
            "history": _plain(uow.history.list_for(customer.id, _EVERYTHING)),
            "merges": _plain(uow.merges.list_for(customer.id)),
            "promises": _plain(
                uow.promises.find(PromiseFilter(customer_id=customer.id), _EVERYTHING)
            ),
            "messages": _plain(uow.outbox.list_for_customer(customer.id, _EVERYTHING)),
            "tasks": _plain(uow.tasks.list_for_customer(customer.id, _EVERYTHING)),
            "bookings": _plain(uow.bookings.list_for_customer(customer.id, _EVERYTHING)),
            "orders": _plain(uow.orders.list_for_customer(customer.id, _EVERYTHING)),
            "accounts": _plain(uow.accounts.list_for_customer(customer.id, _EVERYTHING)),
            **{key: _plain(rows) for key, rows in feedback_export(uow, customer.id).items()},
            **{key: _plain(rows) for key, rows in conversations_export(uow, customer.id).items()},
            "audit_log": _plain(uow.audit.list_for(customer.id, _EVERYTHING)),
        }
        audit(
            uow,
            actor,
            now,
            "customer.exported",
            customer_id=customer.id,
            entity="customer",
            entity_id=customer.id,
        )
        uow.commit()
    return document


def erase_customer(
    customer_id: str, reason: str, uow: UnitOfWork, clock: Clock, actor: Actor
) -> Erasure:
    """Remove the person and keep the numbers.

    Identities, preferences, consent decisions, names and free-text notes go; purchases and visits
    stay under the now-anonymous id (amounts, places and times feed aggregates); audit entries keep
    who did what but lose the personal values they recorded. The erasure itself is recorded.
    """
    actor.require(Permission.ERASE_CUSTOMER)
    why = " ".join(reason.split())
    if not why:
        raise InvalidInput(
            "record why the customer is erased (their request, a retention rule)",
            said=Phrase("refusal.erasure_reason"),
            field="reason",
        )
    now = clock.now()
    with uow:
        # Follow merges: an old id still names the person, and erasing only that stale record
        # would leave everything else about them in place.
        customer = load_customer(uow, actor, customer_id)
        if customer.status is CustomerStatus.ERASED:
            raise Conflict(
                "this customer was already erased",
                said=Phrase("refusal.already_erased"),
                field="customer_id",
            )
        removed: dict[str, int] = {}
        # Records merged into this one hold the person's old name and their own audit trail.
        people = [customer, *_records_merged_into(uow, customer.id)]
        # Her values, read before they go: rows that hold no customer id (events, stored answers)
        # are found by them, and the reason staff typed must not keep them either.
        known_as = [value for person in people for value in _values_of(uow, person)]
        for person in people:
            found = needles(person.id, known_as)[1:]
            for key, count in uow.owned.erase_personal_data(person.id, found).items():
                removed[key] = removed.get(key, 0) + count
            person.full_name = ERASED_NAME
            person.birthday = None
            person.status = CustomerStatus.ERASED
            person.erased_at = person.updated_at = now
            uow.customers.update(person)
        removed["merge_records"] = _scrub_merges(uow, [person.id for person in people])
        erasure = Erasure(
            id=new_id("era_"),
            customer_id=customer.id,
            erased_at=now,
            erased_by=actor.id,
            erased_by_label=actor.label,
            reason=redact_within(why, needles(customer.id, known_as))[:500],
            removed=removed,
        )
        uow.erasures.add(erasure)
        audit(
            uow,
            actor,
            now,
            "customer.erased",
            customer_id=customer.id,
            entity="customer",
            entity_id=customer.id,
            after={"erasure_id": erasure.id, "removed": removed},
        )
        uow.commit()
    return erasure


def _values_of(uow: UnitOfWork, person: Customer) -> list[str]:
    return [person.full_name, *(identity.value for identity in uow.identities.list_for(person.id))]


def _records_merged_into(uow: UnitOfWork, survivor_id: str) -> list[Customer]:
    found: list[Customer] = []
    waiting, seen = [survivor_id], {survivor_id}
    while waiting:
        current = waiting.pop()
        for record in uow.merges.list_for(current):
            if record.survivor_id != current or record.is_undone or record.absorbed_id in seen:
                continue
            seen.add(record.absorbed_id)
            absorbed = uow.customers.get(record.absorbed_id)
            if absorbed is not None and absorbed.status is CustomerStatus.MERGED:
                found.append(absorbed)
                waiting.append(absorbed.id)
    return found


def _scrub_merges(uow: UnitOfWork, customer_ids: list[str]) -> int:
    """Blank the name and birthday that merge records copied, so undo cannot bring them back."""
    records = {record.id: record for cid in customer_ids for record in uow.merges.list_for(cid)}
    for record in records.values():
        for snapshot in (record.survivor_before, record.absorbed_before):
            snapshot.update({"full_name": ERASED_NAME, "birthday": None})
        record.reason = ERASED_NAME  # "same person arrived with phone +380..." names them
        record.changes = [
            replace(change, before=None, after=None) if change.field in _PERSONAL_FIELDS else change
            for change in record.changes
        ]
        uow.merges.update(record)
    return len(records)
