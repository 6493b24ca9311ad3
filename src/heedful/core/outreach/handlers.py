"""Outbox use cases: a customer's messages, the dead letters, and sending a dead one again."""

from __future__ import annotations

from heedful.core.access import Actor, Permission, load_customer
from heedful.core.customers import audit
from heedful.core.dead_letters import LetterKind
from heedful.core.outreach.outbox import Message, MessageStatus
from heedful.core.shared.clock import Clock
from heedful.core.shared.errors import Conflict, NotFound
from heedful.core.shared.phrases import Phrase
from heedful.core.unit_of_work import UnitOfWork

# Messages are filtered by location after they are read: read ahead so that a manager of one
# shop still gets a full page when other shops' letters come first.
_READ_AHEAD = 5
_MOST_ROWS = 2500


def list_customer_messages(
    customer_id: str, uow: UnitOfWork, actor: Actor, limit: int = 50
) -> list[Message]:
    """What the outbox holds for the customer, newest first, from the actor's locations.

    Like the promise list, staff see what their own locations sent; a message that belongs to
    no location (a customer-wide notice) is seen by everyone who sees the customer.
    """
    with uow:
        customer = load_customer(uow, actor, customer_id)
        found = uow.outbox.list_for_customer(customer.id, min(limit * _READ_AHEAD, _MOST_ROWS))
    return [m for m in found if actor.may_act_at(m.location_id)][:limit]


def _manages(uow: UnitOfWork, actor: Actor, message: Message) -> bool:
    if actor.sees_every_location:
        return True
    if message.location_id is not None:
        return actor.may_act_at(message.location_id)
    customer = uow.customers.get(message.customer_id)
    return customer is not None and actor.may_see_customer_at(customer.location_ids)


def list_messages(
    uow: UnitOfWork,
    actor: Actor,
    statuses: frozenset[MessageStatus] = frozenset({MessageStatus.DEAD}),
    limit: int = 100,
) -> list[Message]:
    """The outbox by status for those who run it; by default the dead letters, newest first."""
    actor.require(Permission.MANAGE_OUTBOX)
    with uow:
        found = uow.outbox.list_by_status(statuses, min(limit * _READ_AHEAD, _MOST_ROWS))
        return [m for m in found if _manages(uow, actor, m)][:limit]


def retry_message(message_id: str, uow: UnitOfWork, clock: Clock, actor: Actor) -> Message:
    """Queue a dead message again, with its attempts counted from zero (the relay decides anew)."""
    actor.require(Permission.MANAGE_OUTBOX)
    now = clock.now()
    with uow:
        message = uow.outbox.get(message_id)
        if message is None or not _manages(uow, actor, message):
            raise NotFound(f"no message {message_id}")
        if message.status is not MessageStatus.DEAD:
            # Anything else is still on its way or ended for a reason (no consent, a cap) that
            # sending again would override.
            raise Conflict(
                f"only a dead message is sent again; this one is {message.status.value}",
                said=Phrase("refusal.not_dead"),
                field="status",
            )
        message.requeue(now)
        uow.outbox.update(message)
        uow.dead_letters.forget(LetterKind.MESSAGE, [message.id])
        audit(
            uow,
            actor,
            now,
            "message.requeued",
            customer_id=message.customer_id,
            entity="message",
            entity_id=message.id,
            after={"template_key": message.template_key, "status": message.status.value},
        )
        uow.commit()
    return message
