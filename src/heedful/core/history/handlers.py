"""Recording purchases and visits pushed by tills, booking systems and core banking."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from heedful.core.access import Actor, Permission, load_customer
from heedful.core.customers import audit, note_location
from heedful.core.history.model import HistoryEntry, HistoryKind, Item
from heedful.core.shared.clock import Clock
from heedful.core.shared.errors import Conflict, Forbidden, InvalidInput
from heedful.core.shared.ids import new_id
from heedful.core.shared.phrases import Phrase
from heedful.core.unit_of_work import UnitOfWork

# A till clock a few minutes fast is normal; a purchase dated next week is a bug upstream.
FUTURE_TOLERANCE = timedelta(minutes=10)


@dataclass(frozen=True)
class RecordHistory:
    customer_id: str
    kind: HistoryKind
    occurred_at: datetime
    location_id: str | None = None
    items: tuple[Item, ...] = ()
    amount_minor: int | None = None
    currency: str | None = None
    external_ref: str | None = None
    note: str = ""


def record_history(
    cmd: RecordHistory, uow: UnitOfWork, clock: Clock, actor: Actor
) -> tuple[HistoryEntry, bool]:
    """Store one purchase or visit. Returns the entry and whether it is new.

    The same receipt or booking (kind + external_ref) sent twice is stored once: source systems
    retry, and a doubled purchase would teach "the usual" a habit that is not there.
    """
    actor.require(Permission.EDIT_CUSTOMERS)
    now = clock.now()
    if cmd.occurred_at.tzinfo is None:
        raise InvalidInput("give the time with its UTC offset", field="occurred_at")
    if cmd.occurred_at > now + FUTURE_TOLERANCE:
        raise InvalidInput("this happened in the future", field="occurred_at")
    if cmd.currency is not None and (len(cmd.currency) != 3 or not cmd.currency.isalpha()):
        raise InvalidInput("currency is a three-letter ISO 4217 code", field="currency")
    for index, item in enumerate(cmd.items):
        if item.quantity < 1:
            raise InvalidInput("quantity is at least 1", field=f"items[{index}].quantity")
    with uow:
        customer = load_customer(uow, actor, cmd.customer_id, for_change=True)
        if cmd.external_ref:
            existing = uow.history.find_by_ref(cmd.kind, cmd.external_ref)
            if existing is not None and existing.customer_id != customer.id:
                # Answering with the other customer's entry would show it to this caller.
                raise Conflict(
                    f"{cmd.kind.value} {cmd.external_ref} is recorded for another customer",
                    field="external_ref",
                )
            if existing is not None:
                return existing, False
        if cmd.location_id is not None and uow.locations.get(cmd.location_id) is None:
            raise InvalidInput(
                f"no location {cmd.location_id}",
                said=Phrase("refusal.no_location"),
                field="location_id",
            )
        if not actor.may_act_at(cmd.location_id):
            # A visit recorded at a location makes the customer visible to its staff.
            raise Forbidden(
                "you do not work at that location",
                said=Phrase("refusal.not_your_location"),
                field="location_id",
            )
        entry = HistoryEntry(
            id=new_id("his_"),
            customer_id=customer.id,
            kind=cmd.kind,
            occurred_at=cmd.occurred_at.astimezone(UTC),  # stored and answered in UTC
            recorded_at=now,
            location_id=cmd.location_id,
            items=list(cmd.items),
            amount_minor=cmd.amount_minor,
            currency=cmd.currency.upper() if cmd.currency else None,
            external_ref=cmd.external_ref,
            note=" ".join(cmd.note.split())[:1000],
        )
        uow.history.add(entry)
        note_location(uow, actor, now, customer, cmd.location_id)
        audit(
            uow,
            actor,
            now,
            f"{cmd.kind.value}.recorded",
            customer_id=customer.id,
            entity="history",
            entity_id=entry.id,
            after={
                "kind": entry.kind.value,
                "occurred_at": entry.occurred_at.isoformat(),
                "location_id": entry.location_id,
                "items": len(entry.items),
            },
        )
        uow.commit()
    return entry, True
