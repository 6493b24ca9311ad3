"""The relay's batches on the fakes: brief reads (ADR 34), outcomes kept apart (ADR 52)."""

from __future__ import annotations

from typing import Any

from unit.ledger_world import PlainComposer, a_ledger_world

from heedful.core.customers.consent import Purpose
from heedful.core.engine.relay import Relay
from heedful.core.outreach.envelope import Composed, Envelope, SendFailed
from heedful.core.outreach.outbox import MessageStatus
from heedful.core.promises.model import PromiseState


def test_a_consent_withdrawn_while_a_slow_server_holds_the_batch_stops_the_message_behind() -> None:
    world = a_ledger_world()
    olha, petro = (world.customer(n, email=f"{n.lower()}@example.com") for n in ("Olha", "Petro"))
    for customer in (olha, petro):
        world.wait_for(customer)
    world.stock(2)
    world.engine()
    take = world.mailbox.send

    def slow_server(envelope: Envelope) -> str:
        reference = take(envelope)
        if len(world.mailbox.received) == 1:
            world.later(seconds=30)  # the server took its time over the first e-mail
            behind = petro if envelope.customer_id == olha.id else olha
            world.consent(behind, Purpose.SERVICE, granted=False)
        return reference

    world.mailbox.send = slow_server  # type: ignore[method-assign]
    report = world.relay()

    assert (report.sent, report.suppressed) == (1, 1)
    [first] = world.mailbox.received
    behind = petro if first.customer_id == olha.id else olha
    [message] = world.messages(behind)
    assert message.status is MessageStatus.SUPPRESSED
    assert "consent" in message.reason


def test_a_send_refused_for_now_is_retried_alone_and_the_rest_of_the_batch_is_kept() -> None:
    world = a_ledger_world()
    waiting = [
        world.customer(n, email=f"{n.lower()}@example.com") for n in ("Olha", "Petro", "Ira")
    ]
    promises = [world.wait_for(customer) for customer in waiting]
    world.stock(3)
    world.engine()
    world.mailbox.refusals.append(SendFailed("451 try again later", temporary=True))

    report = world.relay()

    assert (report.sent, report.retrying) == (2, 1)
    told = {envelope.customer_id for envelope in world.mailbox.received}
    for customer, promise in zip(waiting, promises, strict=True):
        [message] = world.messages(customer)
        if customer.id in told:
            assert message.status is MessageStatus.SENT
            assert world.promise(promise.id).state is PromiseState.KEPT
        else:
            assert message.status is MessageStatus.RETRYING
            assert world.promise(promise.id).is_open


def test_a_batch_that_took_longer_to_decide_than_its_reads_go_by_still_sends_its_first() -> None:
    world = a_ledger_world()
    for name in ("Olha", "Petro", "Ira"):
        world.wait_for(world.customer(name, email=f"{name.lower()}@example.com"))
    world.stock(3)
    world.engine()

    class SlowComposer(PlainComposer):
        def compose(self, *args: Any, **kwargs: Any) -> Composed:
            world.later(seconds=3)  # a loaded machine: three messages take 9 s to fill in
            return super().compose(*args, **kwargs)

    relay = Relay(senders={"email": world.mailbox}, composer=SlowComposer(), rules=world.rules)
    first = relay.run(lambda: world.uow, world.shop.clock, limit=3)

    assert first.sent >= 1  # the queue moves on, one batch at least one message at a time
    while relay.run(lambda: world.uow, world.shop.clock).total:
        pass
    assert len(world.mailbox.received) == 3
