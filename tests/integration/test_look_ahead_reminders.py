"""Reminders read ahead of time, across Kyiv's autumn clock change, on SQLite and PostgreSQL.

A parcel waits at a pick-up point until Tuesday 27 October 2026; two days before it is sent back
she is reminded. A card expires before the next charge; she is reminded before it. The clocks in
Kyiv go back an hour at 04:00 on Sunday 25 October: "two days ahead" starts at local midnight
(21:00 UTC on the Saturday, still summer time), and the reminder queued at night waits for the
end of her quiet hours, 09:00 on her clock, which that Sunday is 07:00 UTC, not 06:00.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from dealings_world import Systems
from promise_world import PromiseWorld, build_world
from smtp_mailbox import Mailbox

from heedful.adapters.channels.composer import JinjaComposer
from heedful.adapters.channels.smtp import SmtpSender
from heedful.bootstrap import Container
from heedful.core.customers.model import Customer
from heedful.core.engine.relay import Relay
from heedful.core.outreach.default_templates import DEFAULT_TEMPLATES
from heedful.core.outreach.outbox import Message, MessageStatus
from heedful.core.playbooks import evaluate_all
from heedful.core.playbooks import handlers as playbooks
from heedful.core.playbooks.look_ahead_demo import (
    CARD_EXPIRES_BEFORE_CHARGE,
    PARCEL_WAITING_AT_PICKUP,
)
from heedful.core.playbooks.message_templates import PLAYBOOK_TEMPLATES
from heedful.core.shared.clock import FrozenClock

SATURDAY_2359_KYIV = datetime(2026, 10, 24, 20, 59, tzinfo=UTC)  # summer time, UTC+3
SUNDAY_0000_KYIV = datetime(2026, 10, 24, 21, 0, tzinfo=UTC)
SUNDAY_0900_KYIV = datetime(2026, 10, 25, 7, 0, tzinfo=UTC)  # winter time since 04:00, UTC+2


class Shop:
    def __init__(self, container: Container, clock: FrozenClock) -> None:
        clock.set(datetime(2026, 10, 24, 9, 0, tzinfo=UTC))
        self.world: PromiseWorld = build_world(container, clock)
        self.systems = Systems(self.world)
        self.clock = clock
        self.marta = self.world.customer("Марта Гнатюк", email="marta@example.com")

    def enable(self, source: dict[str, object]) -> None:
        uow, admin = self.world.uow, self.world.admin
        made = playbooks.create_playbook(source, uow, self.clock, admin)
        playbooks.set_enabled(made.id, True, self.world.uow, self.clock, admin)

    def messages(self, customer: Customer) -> list[Message]:
        with self.world.uow as uow:
            return uow.outbox.list_for_customer(customer.id, 20)

    def scheduled_pass(self) -> int:
        return evaluate_all(self.world.container.uow, self.clock).fired


@pytest.fixture
def shop(container: Container, clock: FrozenClock) -> Shop:
    return Shop(container, clock)


@pytest.fixture
def relay(mailbox: Mailbox, clock: FrozenClock) -> Relay:
    sender = SmtpSender(
        mailbox.host,
        mailbox.port,
        from_address="Atelier Lypky <hello@lypky.example>",
        message_id_domain="lypky.example",
        clock=clock,
    )
    return Relay(
        senders={"email": sender},
        composer=JinjaComposer((*DEFAULT_TEMPLATES, *PLAYBOOK_TEMPLATES)),
    )


def test_a_parcel_at_the_pick_up_point_is_reminded_two_days_before_it_goes_back_across_dst(
    shop: Shop, relay: Relay, mailbox: Mailbox
) -> None:
    shop.enable(PARCEL_WAITING_AT_PICKUP)
    shop.systems.send(
        "heedful.order.upserted",
        shop.clock.now(),
        customer={"id": shop.marta.id},
        location=shop.world.kyiv.id,
        order="1042",
        status="at_pickup",
        carrier="Нова пошта",
        pickup_until="2026-10-27",
    )

    shop.clock.set(SATURDAY_2359_KYIV)
    assert shop.scheduled_pass() == 0  # two days ahead is Monday: not its last day
    shop.clock.set(SUNDAY_0000_KYIV)
    assert shop.scheduled_pass() == 1
    assert shop.scheduled_pass() == 0  # once per parcel and version, however often it runs

    [message] = shop.messages(shop.marta)
    assert message.template_key == "parcel_waiting"
    # Queued at midnight, held by her quiet hours until 09:00 on her clock, in winter time.
    assert relay.run(shop.world.container.uow, shop.clock).held == 1
    [held] = shop.messages(shop.marta)
    assert (held.status, held.ready_at) == (MessageStatus.HELD, SUNDAY_0900_KYIV)
    shop.clock.set(SUNDAY_0900_KYIV)
    assert relay.run(shop.world.container.uow, shop.clock).sent == 1
    [mail] = mailbox.wait_for(1)
    body = mail.get_body(("plain",))
    assert body is not None
    text = body.get_content()
    assert "Ваше замовлення 1042 чекає на вас у пункті видачі" in text
    assert "до 2026-10-27" in text


def test_a_parcel_already_collected_or_sent_back_later_is_not_reminded(shop: Shop) -> None:
    shop.enable(PARCEL_WAITING_AT_PICKUP)
    for number, status, until in (
        ("1", "delivered", "2026-10-27"),
        ("2", "at_pickup", "2026-10-30"),
    ):
        shop.systems.send(
            "heedful.order.upserted",
            shop.clock.now(),
            customer={"id": shop.marta.id},
            location=shop.world.kyiv.id,
            order=number,
            status=status,
            pickup_until=until,
        )
    shop.clock.set(SUNDAY_0000_KYIV)
    assert shop.scheduled_pass() == 0
    assert shop.messages(shop.marta) == []


def test_a_card_expiring_before_the_charge_after_the_clock_change_is_reminded_once(
    shop: Shop,
) -> None:
    shop.enable(CARD_EXPIRES_BEFORE_CHARGE)
    # Both charges are on the evening of 31 October UTC; in Kyiv, in winter time by then, UA-1's
    # is 00:30 on 1 November, after the card's last day, and UA-2's 23:30 on its last day.
    for number, charge_at in (
        ("UA-1", datetime(2026, 10, 31, 22, 30, tzinfo=UTC)),
        ("UA-2", datetime(2026, 10, 31, 21, 30, tzinfo=UTC)),
    ):
        shop.systems.send(
            "heedful.account.upserted",
            shop.clock.now(),
            customer={"id": shop.marta.id},
            location=shop.world.kyiv.id,
            account=number,
            currency="UAH",
            balance=5000,
            next_charge_at=charge_at.isoformat(),
            next_charge_amount=100,
            card_expires="2026-10-31",
        )
    # Weighed at once as the bank's system sends them, then by the hourly passes either side of
    # the change: one reminder, for UA-1 only.
    shop.clock.set(SATURDAY_2359_KYIV)
    assert shop.scheduled_pass() == 0
    shop.clock.set(SUNDAY_0000_KYIV + timedelta(hours=5))  # after 04:00, the clocks went back
    assert shop.scheduled_pass() == 0
    [reminder] = shop.messages(shop.marta)
    assert reminder.template_key == "card_expiring"
    assert reminder.context["event"]["reference"] == "UA-1"


def test_a_parcel_that_reaches_the_point_two_days_before_it_goes_back_is_reminded_at_once(
    shop: Shop,
) -> None:
    shop.enable(PARCEL_WAITING_AT_PICKUP)
    shop.clock.set(SUNDAY_0000_KYIV + timedelta(hours=10))  # Sunday 08:00 in Kyiv, winter time
    shop.systems.send(
        "heedful.order.upserted",
        shop.clock.now(),
        customer={"id": shop.marta.id},
        location=shop.world.kyiv.id,
        order="1043",
        status="at_pickup",
        pickup_until="2026-10-27",
    )
    assert [m.template_key for m in shop.messages(shop.marta)] == ["parcel_waiting"]
    assert shop.scheduled_pass() == 0
