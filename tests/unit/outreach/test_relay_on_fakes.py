"""The relay's outcomes, on the in-memory fakes: sent, held for quiet hours in the customer's time
zone, capped, suppressed without consent or after erasure, retried and then dead."""

from __future__ import annotations

from datetime import UTC, datetime

from unit.ledger_world import LedgerWorld, a_ledger_world

from heedful.core.customers.consent import Purpose
from heedful.core.customers.model import Customer
from heedful.core.outreach.envelope import SendFailed
from heedful.core.outreach.outbox import MAX_ATTEMPTS, Message, MessageStatus
from heedful.core.privacy.erasure import erase_customer
from heedful.core.promises.model import EvidenceKind
from heedful.core.shared.ids import new_id

# 10:00 in Kyiv (UTC+2 in March): not quiet there.
MORNING_IN_KYIV = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def _world(at: datetime = MORNING_IN_KYIV) -> LedgerWorld:
    world = a_ledger_world()
    world.shop.clock.set(at)
    return world


def _told_back_in_stock(world: LedgerWorld, customer: Customer) -> str:
    promise = world.wait_for(customer)
    world.stock(1)
    world.engine()
    world.stock(0)
    notice = world.promise(promise.id).notice_message_id
    assert notice is not None
    return promise.id


def _offer(world: LedgerWorld, customer: Customer) -> Message:
    now = world.shop.clock.now()
    message = Message(new_id("msg_"), customer.id, "offer", Purpose.MARKETING, now, now)
    with world.uow as uow:
        uow.outbox.add(message)
        uow.commit()
    return message


def _status(world: LedgerWorld, customer: Customer) -> list[MessageStatus]:
    return [m.status for m in world.messages(customer)]


def test_a_back_in_stock_message_is_sent_to_her_address_and_noted_on_the_promise() -> None:
    world = _world()
    anna = world.customer("Anna", email="anna@example.com")
    promise_id = _told_back_in_stock(world, anna)

    report = world.relay()

    assert report.sent == 1
    assert [e.to for e in world.mailbox.received] == ["anna@example.com"]
    assert _status(world, anna) == [MessageStatus.SENT]
    assert EvidenceKind.MESSAGE_SENT in {e.kind for e in world.promise(promise_id).evidence}


def test_a_message_at_night_in_her_time_zone_is_held_until_nine_there_then_sent() -> None:
    # 22:00 in Kyiv, 15:00 in New York.
    world = _world(datetime(2026, 3, 2, 20, 0, tzinfo=UTC))
    anna = world.customer("Anna", email="anna@example.com")
    maria = world.customer("Maria", email="maria@example.com", time_zone="America/New_York")
    for customer in (anna, maria):
        _told_back_in_stock(world, customer)

    report = world.relay()

    assert (report.held, report.sent) == (1, 1)
    [held] = world.messages(anna)
    assert held.status is MessageStatus.HELD
    assert held.ready_at == datetime(2026, 3, 3, 7, 0, tzinfo=UTC)  # 09:00 in Kyiv
    world.shop.clock.set(held.ready_at)
    assert world.relay().sent == 1
    assert _status(world, anna) == [MessageStatus.SENT]


def test_a_third_offer_in_a_week_is_capped_but_a_service_message_is_not() -> None:
    world = _world()
    anna = world.customer("Anna", email="anna@example.com", consent=Purpose.MARKETING)
    world.consent(anna, Purpose.SERVICE)
    for _ in range(3):
        _offer(world, anna)
    _told_back_in_stock(world, anna)

    report = world.relay()

    assert (report.sent, report.capped) == (3, 1)
    assert sorted(_status(world, anna)) == sorted([MessageStatus.SENT] * 3 + [MessageStatus.CAPPED])


def test_without_consent_the_message_is_suppressed_with_the_reason() -> None:
    world = _world()
    anna = world.customer("Anna", email="anna@example.com", consent=None)
    _told_back_in_stock(world, anna)
    # Asking to be told was her consent; she withdrew it before the message went.
    world.consent(anna, Purpose.SERVICE, granted=False)

    report = world.relay()

    assert report.suppressed == 1
    [message] = world.messages(anna)
    assert message.status is MessageStatus.SUPPRESSED
    assert message.reason == "no service consent on email"
    assert world.mailbox.received == []


def test_a_message_to_an_erased_customer_is_suppressed() -> None:
    world = _world()
    anna = world.customer("Anna", email="anna@example.com")
    _told_back_in_stock(world, anna)
    erase_customer(anna.id, "she asked", world.uow, world.shop.clock, world.shop.admin)

    report = world.relay()

    assert report.suppressed == 1
    assert world.mailbox.received == []


def test_a_channel_down_for_now_is_retried_later_and_the_message_dies_after_the_last_try() -> None:
    world = _world()
    anna = world.customer("Anna", email="anna@example.com")
    _told_back_in_stock(world, anna)
    world.mailbox.refusals = [SendFailed("busy", temporary=True) for _ in range(MAX_ATTEMPTS)]

    first = world.relay()

    assert first.retrying == 1
    [message] = world.messages(anna)
    assert message.status is MessageStatus.RETRYING
    assert message.ready_at > world.shop.clock.now()
    assert world.relay().total == 0  # not before its backoff
    for _ in range(MAX_ATTEMPTS - 1):
        world.shop.clock.set(world.messages(anna)[0].ready_at)
        world.relay()
    assert _status(world, anna) == [MessageStatus.DEAD]
    assert world.mailbox.received == []


def test_a_mailbox_that_does_not_exist_kills_the_message_at_once() -> None:
    world = _world()
    anna = world.customer("Anna", email="anna@example.com")
    _told_back_in_stock(world, anna)
    world.mailbox.refusals = [SendFailed("no such mailbox", temporary=False)]

    report = world.relay()

    assert report.dead == 1
    assert _status(world, anna) == [MessageStatus.DEAD]
