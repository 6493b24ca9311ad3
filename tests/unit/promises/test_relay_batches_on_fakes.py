"""The relay's batch read of its customers is gone by only briefly (ADR 34), on the fakes."""

from __future__ import annotations

from unit.ledger_world import a_ledger_world

from heedful.core.customers.consent import Purpose
from heedful.core.outreach.envelope import Envelope
from heedful.core.outreach.outbox import MessageStatus


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
