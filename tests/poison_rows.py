"""What the set-aside tests put ahead of good rows: a stock event, a message first in line."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from promise_world import PromiseWorld

from heedful.core.customers.consent import Purpose
from heedful.core.events.model import BusinessEvent
from heedful.core.outreach.outbox import Message
from heedful.core.promises.handlers import MakePromise
from heedful.core.promises.model import PromiseKind
from heedful.core.shared.ids import new_id


def stock_event(world: PromiseWorld, event_id: str, quantity: int | None = None) -> BusinessEvent:
    """The black bag in Kyiv; without a quantity, as a poison row's stand-in to be spoiled."""
    data: dict[str, Any] = {
        "product": "bag-noir",
        "variant": "black",
        "size": "M",
        "location": world.kyiv.id,
    }
    if quantity is not None:
        data["quantity"] = quantity
    return BusinessEvent(
        source="urn:atelier-lypky:stock", id=event_id, type="heedful.stock.changed", data=data
    )


def queue_first(
    world: PromiseWorld, customer_id: str, context: dict[str, Any] | None = None
) -> Message:
    """A back-in-stock message already stored, ready a minute ago: first in the relay's line."""
    now = world.clock.now()
    message = Message(
        id=new_id("msg_"),
        customer_id=customer_id,
        template_key="back_in_stock",
        purpose=Purpose.SERVICE,
        created_at=now,
        ready_at=now - timedelta(minutes=1),
        location_id=world.kyiv.id,
        context=dict(context or {}),
    )
    with world.uow as uow:
        uow.outbox.add(message)
        uow.commit()
    return message


def call_anna_back(world: PromiseWorld) -> MakePromise:
    """A promise to call Anna back, due in three hours: a deadline behind a poison timer."""
    return MakePromise(
        customer_id=world.customer("Anna Kovalenko").id,
        kind=PromiseKind.CALL_BACK,
        location_id=world.kyiv.id,
        text="Call Anna back about the alteration",
        due_at=world.clock.now() + timedelta(hours=3),
    )
