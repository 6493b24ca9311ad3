"""Back in stock, done right: first come first served, as many told as units arrived.

Seed 000: the boutique promised to tell her when the handbag was back, and nobody did. Here a
restock tells the first customers in line (``tell_per_unit`` for each unit that arrived), each in
their own language through the outbox; the others keep their place for the next delivery. The
relay asks `still_wanted` just before sending, so nobody is told about stock already gone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from heedful.core.access import SYSTEM
from heedful.core.customers import Purpose
from heedful.core.outreach import Message
from heedful.core.promises.model import Evidence, EvidenceKind, Promise, WantedItem
from heedful.core.shared.ids import new_id
from heedful.core.unit_of_work import UnitOfWork

DEFAULT_TELL_PER_UNIT = 1


@dataclass
class Restock:
    arrived: int
    told: list[str] = field(default_factory=list)  # promise ids, in the order they waited


def stock_changed(
    uow: UnitOfWork,
    now: datetime,
    item: WantedItem,
    quantity: int,
    *,
    tell_per_unit: int = DEFAULT_TELL_PER_UNIT,
    cause: str = "",
) -> Restock:
    """Records the units on hand and tells the customers the new units are for.

    Only units that arrived count (on hand now minus before): a sale that lowers the stock, or
    a count that repeats the last one, tells nobody.
    """
    before = uow.stock.set(item, quantity, now)
    arrived = quantity - (before or 0)
    restock = Restock(arrived=max(arrived, 0))
    if arrived <= 0:
        return restock
    for promise in uow.promises.waiting_for(item, limit=arrived * tell_per_unit):
        restock.told.append(_tell(uow, promise, item, now, cause).id)
    return restock


def _tell(
    uow: UnitOfWork, promise: Promise, item: WantedItem, now: datetime, cause: str
) -> Promise:
    message = Message(
        id=new_id("msg_"),
        customer_id=promise.customer_id,
        template_key="back_in_stock",
        purpose=Purpose.SERVICE,  # she asked to be told: marketing caps do not apply
        created_at=now,
        ready_at=now,
        location_id=promise.location_id,
        promise_id=promise.id,
        context={"item": {"product": item.product, "variant": item.variant, "size": item.size}},
    )
    uow.outbox.add(message)
    promise.notice_message_id = message.id
    promise.note(Evidence(now, EvidenceKind.EVENT, f"{item.label()} arrived", SYSTEM.label, cause))
    promise.note(
        Evidence(now, EvidenceKind.MESSAGE_QUEUED, "customer to be told", SYSTEM.label, message.id)
    )
    uow.promises.update(promise)
    return promise


def still_wanted(uow: UnitOfWork, message: Message, promise: Promise, now: datetime) -> bool:
    """A back-in-stock notice goes only while she still waits and the stock is still there.

    The relay asks just before sending; any other message is always still wanted.
    """
    if message.template_key != "back_in_stock":
        return True
    if not promise.is_open:
        message.suppress(f"the promise is {promise.state.value}")
        return False
    wanted = message.context.get("item", {})
    item = WantedItem(
        product=str(wanted.get("product") or (promise.item.product if promise.item else "?")),
        location_id=promise.location_id,
        variant=str(wanted.get("variant", "")),
        size=str(wanted.get("size", "")),
    )
    if (uow.stock.get(item) or 0) > 0:
        return True
    message.suppress("the stock went before the customer could be told")
    # Back in line at her old place: the next delivery is hers.
    promise.notice_message_id = None
    promise.note(
        Evidence(now, EvidenceKind.MESSAGE_NOT_SENT, message.reason, SYSTEM.label, message.id)
    )
    uow.promises.update(promise)
    return False
