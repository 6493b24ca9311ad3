"""Instant refunds (seed 002): a refund asked for is a promise with a deadline in minutes.

``heedful.refund.requested`` opens a ``refund_by`` promise for the order, due ``within_minutes``
after the request (15 by default), and puts a "refund now" task on the location's queue at once:
a reminder a day ahead, as slower refunds get, would come after the deadline. The existing
``heedful.refund.issued`` for the same ``order_ref`` keeps it, and the promise report measures the
minutes between the two beside the other kinds (ADR 0041). A request repeated for an order whose
refund is already promised opens nothing new.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from heedful.core.access import SYSTEM
from heedful.core.events import OUTSIDE_SCOPE, customer_named, location_named, sender_may_name
from heedful.core.promises import (
    MakePromise,
    PromiseFilter,
    PromiseKind,
    PromiseState,
    make_promise,
)
from heedful.core.shared.clock import FrozenClock
from heedful.core.shared.phrases import Phrase
from heedful.core.tasks import TaskKind, reminder

if TYPE_CHECKING:
    from heedful.core.engine.reactions import Reacting

DEFAULT_MINUTES = 15
# A refund promised for tomorrow is not instant; the longer ones are promises staff make by hand.
MOST_MINUTES = 24 * 60


def open_refund_promise(moment: Reacting) -> None:
    uow, data, cause = moment.uow, moment.stored.event.data, moment.cause
    customer = customer_named(uow, data["customer"])
    if customer is None or not customer.is_active:
        moment.report.skipped.append(f"{cause}: customer not known")
        return
    if not sender_may_name(moment.stored.event, customer):
        moment.report.skipped.append(f"{cause}: {OUTSIDE_SCOPE}")
        return
    location_id = location_named(uow, str(data["location"]), moment.stored.event.sender_locations)
    if location_id is None:
        moment.report.skipped.append(f"{cause}: location not known")
        return
    reference = str(data["order_ref"]).strip()
    open_ones = uow.promises.find(
        PromiseFilter(customer_id=customer.id, states=frozenset({PromiseState.OPEN})), 500
    )
    if any(p.kind is PromiseKind.REFUND_BY and p.reference == reference for p in open_ones):
        return
    minutes = min(max(int(float(data.get("within_minutes") or DEFAULT_MINUTES)), 1), MOST_MINUTES)
    due_at = moment.now + timedelta(minutes=minutes)
    amount = " ".join(str(data.get(k) or "") for k in ("amount", "currency")).strip()
    text = (
        Phrase("promise.refund_order_amount", {"reference": reference, "amount": amount})
        if amount
        else Phrase("promise.refund_order", {"reference": reference})
    )
    promise = make_promise(
        MakePromise(
            customer_id=customer.id,
            kind=PromiseKind.REFUND_BY,
            location_id=location_id,
            text=text,
            due_at=due_at,
            reference=reference,
        ),
        uow,
        FrozenClock(moment.now),
        SYSTEM,
    )
    task = reminder(
        TaskKind.PROMISE_REMINDER,
        text,
        location_id,
        moment.now,
        customer_id=customer.id,
        promise_id=promise.id,
        holder_id=None,
        due_at=due_at,
        note=str(data.get("reason") or ""),
    )
    uow.tasks.add(task)
