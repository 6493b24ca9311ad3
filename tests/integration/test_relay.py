"""The outbox relay against a real SMTP server: the handbag story, quiet hours, consent, caps."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from promise_world import PromiseWorld, build_world
from smtp_mailbox import Mailbox
from webhook_receiver import WebhookReceiver

from heedful.adapters.channels.composer import JinjaComposer
from heedful.adapters.channels.smtp import SmtpSender
from heedful.adapters.channels.webhook import WebhookSender, verify_signature
from heedful.adapters.unsubscribe import UnsubscribeLinks
from heedful.bootstrap import Container
from heedful.core.customers.channels import Channel
from heedful.core.customers.commands import NewIdentity, RecordConsent
from heedful.core.customers.consent import Purpose
from heedful.core.customers.handlers import add_identity, record_consent
from heedful.core.customers.identities import IdentityKind
from heedful.core.engine.relay import Relay
from heedful.core.outreach.default_templates import DEFAULT_TEMPLATES
from heedful.core.outreach.outbox import Message, MessageStatus
from heedful.core.promises.model import PromiseState
from heedful.core.shared.clock import FrozenClock
from heedful.core.shared.ids import new_id


@pytest.fixture
def world(container: Container, clock: FrozenClock) -> PromiseWorld:
    return build_world(container, clock)


@pytest.fixture
def relay(mailbox: Mailbox, clock: FrozenClock) -> Relay:
    sender = SmtpSender(
        mailbox.host,
        mailbox.port,
        from_address="Atelier Lypky <hello@lypky.example>",
        message_id_domain="lypky.example",
        clock=clock,
    )
    links = UnsubscribeLinks("test-secret", "https://heedful.example")
    return Relay(
        senders={"email": sender},
        composer=JinjaComposer(DEFAULT_TEMPLATES),
        unsubscribe_link=links.link,
    )


def _statuses(world: PromiseWorld, customer_id: str) -> list[MessageStatus]:
    with world.uow as uow:
        return [m.status for m in uow.outbox.list_for_customer(customer_id, 10)]


def test_the_first_two_waiting_hear_in_their_own_language_and_their_promises_are_kept(
    world: PromiseWorld, relay: Relay, mailbox: Mailbox
) -> None:
    languages = ["uk", "ru", "en", "uk", "en"]
    waiting = [
        world.customer(f"Klientka {n}", email=f"k{n}@example.com", language=lang)
        for n, lang in enumerate(languages)
    ]
    promises = [world.wait_for(customer) for customer in waiting]

    world.restock(2)
    report = relay.run(world.container.uow, world.clock)

    assert report.sent == 2
    mail = mailbox.wait_for(2)
    assert sorted(m["To"] for m in mail) == ["k0@example.com", "k1@example.com"]
    by_address = {m["To"]: m for m in mail}
    assert by_address["k0@example.com"]["Content-Language"] == "uk"
    assert by_address["k1@example.com"]["Content-Language"] == "ru"
    with world.uow as uow:
        [message] = uow.outbox.list_for_customer(waiting[0].id, 5)
    assert by_address["k0@example.com"]["Message-ID"] == f"<{message.id}@lypky.example>"
    assert "https://heedful.example/u/" in by_address["k0@example.com"]["List-Unsubscribe"]
    states = [world.promise(p.id).state for p in promises]
    assert states == [PromiseState.KEPT, PromiseState.KEPT] + [PromiseState.OPEN] * 3
    kept = world.promise(promises[0].id)
    assert kept.evidence[-2].kind.value == "message_sent"
    assert kept.evidence[-2].ref == message.id
    # Nothing more to send: a second pass sends nothing twice.
    assert relay.run(world.container.uow, world.clock).total == 0
    assert len(mailbox.messages) == 2


def test_nobody_is_told_about_stock_that_went_before_the_send(
    world: PromiseWorld, relay: Relay, mailbox: Mailbox
) -> None:
    first = world.customer("First", email="first@example.com")
    second = world.customer("Second", email="second@example.com")
    promise = world.wait_for(first)
    world.wait_for(second)

    world.restock(1)
    world.restock(0)  # sold at the till before the relay's turn
    relay.run(world.container.uow, world.clock)

    assert mailbox.messages == []
    assert _statuses(world, first.id) == [MessageStatus.SUPPRESSED]
    assert world.promise(promise.id).state is PromiseState.OPEN
    # She keeps her place: the next unit is hers, not the second customer's.
    assert world.restock(1).told == [promise.id]


def test_quiet_hours_hold_the_message_until_morning_in_her_time_zone(
    world: PromiseWorld, relay: Relay, mailbox: Mailbox
) -> None:
    world.clock.set(datetime(2026, 3, 2, 21, 30, tzinfo=UTC))  # 23:30 in Kyiv
    olena = world.customer("Olena", email="olena@example.com")
    world.wait_for(olena)
    world.restock(1)

    assert relay.run(world.container.uow, world.clock).held == 1
    with world.uow as uow:
        [message] = uow.outbox.list_for_customer(olena.id, 5)
    assert message.status is MessageStatus.HELD
    assert message.ready_at == datetime(2026, 3, 3, 7, 0, tzinfo=UTC)  # 09:00 in Kyiv

    world.clock.set(datetime(2026, 3, 3, 6, 59, tzinfo=UTC))
    assert relay.run(world.container.uow, world.clock).total == 0
    world.clock.set(datetime(2026, 3, 3, 7, 0, tzinfo=UTC))
    assert relay.run(world.container.uow, world.clock).sent == 1
    assert len(mailbox.wait_for(1)) == 1


def test_a_withdrawn_consent_stops_even_the_message_she_asked_for(
    world: PromiseWorld, relay: Relay, mailbox: Mailbox
) -> None:
    iryna = world.customer("Iryna", email="iryna@example.com")
    promise = world.wait_for(iryna)
    world.later(minutes=1)  # she changed her mind after the promise was made
    record_consent(
        RecordConsent(iryna.id, Channel.EMAIL, Purpose.SERVICE, granted=False, how="phone call"),
        world.uow,
        world.clock,
        world.admin,
    )
    restock = world.restock(1)
    relay.run(world.container.uow, world.clock)
    assert mailbox.messages == []
    with world.uow as uow:
        assert uow.outbox.list_for_customer(iryna.id, 5) == []
        [call] = uow.tasks.open_for_promise(promise.id)
    # Passed over for this unit, not left holding it: her promise became a call for staff.
    assert restock.passed_over == [promise.id]
    called = world.promise(promise.id)
    assert called.kind.value == "call_back"
    assert "consent" in called.evidence[-1].note
    assert called.evidence[-1].kind.value == "message_not_sent"
    assert call.customer_id == iryna.id


def test_marketing_is_capped_but_a_service_message_passes_the_cap(
    world: PromiseWorld, relay: Relay, mailbox: Mailbox
) -> None:
    dana = world.customer("Dana", email="dana@example.com")
    record_consent(
        RecordConsent(dana.id, Channel.EMAIL, Purpose.MARKETING, granted=True, how="web form"),
        world.uow,
        world.clock,
        world.admin,
    )
    with world.uow as uow:
        for _ in range(3):
            uow.outbox.add(
                Message(
                    id=new_id("msg_"),
                    customer_id=dana.id,
                    template_key="promise_reminder",
                    purpose=Purpose.MARKETING,
                    created_at=world.clock.now(),
                    ready_at=world.clock.now(),
                    context={"promise": {"text": "autumn collection", "due": "Friday"}},
                )
            )
            world.clock.advance(timedelta(seconds=1))
        uow.commit()
    world.wait_for(dana)
    world.restock(1)
    report = relay.run(world.container.uow, world.clock)
    assert (report.sent, report.capped) == (3, 1)  # two marketing + the service message
    assert sorted(s.value for s in _statuses(world, dana.id)) == [
        "capped",
        "sent",
        "sent",
        "sent",
    ]


def test_a_server_that_says_try_later_gets_the_message_again_with_backoff(
    world: PromiseWorld, relay: Relay, mailbox: Mailbox
) -> None:
    ivan = world.customer("Ivan", email="ivan@example.com")
    world.wait_for(ivan)
    world.restock(1)
    mailbox.reply_next(451, times=1)
    assert relay.run(world.container.uow, world.clock).retrying == 1
    assert relay.run(world.container.uow, world.clock).total == 0  # not before the backoff
    world.later(minutes=1)
    assert relay.run(world.container.uow, world.clock).sent == 1
    assert len(mailbox.wait_for(1)) == 1


def test_a_template_that_cannot_be_filled_in_dead_letters_its_message_not_the_queue(
    world: PromiseWorld, relay: Relay, mailbox: Mailbox
) -> None:
    broken = world.customer("Broken", email="broken@example.com")
    fine = world.customer("Fine", email="fine@example.com")
    with world.uow as uow:
        uow.outbox.add(
            Message(
                id=new_id("msg_"),
                customer_id=broken.id,
                template_key="no_such_template",
                purpose=Purpose.SERVICE,
                created_at=world.clock.now(),
                ready_at=world.clock.now(),
            )
        )
        uow.commit()
    world.later(seconds=1)
    world.wait_for(fine)
    world.restock(1)
    report = relay.run(world.container.uow, world.clock)
    assert (report.dead, report.sent) == (1, 1)
    with world.uow as uow:
        [dead] = uow.outbox.list_for_customer(broken.id, 5)
    assert "no_such_template" in dead.reason
    assert [m["To"] for m in mailbox.wait_for(1)] == ["fine@example.com"]


def test_a_customer_with_only_a_phone_is_told_by_sms_through_a_signed_webhook(
    world: PromiseWorld, webhook_receiver: WebhookReceiver
) -> None:
    sms = WebhookSender(webhook_receiver.url("/sms"), "sms-secret", world.clock)
    relay = Relay(senders={"sms": sms}, composer=JinjaComposer(DEFAULT_TEMPLATES))
    taras = world.customer("Тарас Бойко", language="uk")
    add_identity(
        taras.id,
        NewIdentity(IdentityKind.PHONE, "067 123 45 67"),
        world.uow,
        world.clock,
        world.admin,
    )
    record_consent(
        RecordConsent(taras.id, Channel.SMS, Purpose.SERVICE, granted=True, how="at the till"),
        world.uow,
        world.clock,
        world.admin,
    )
    promise = world.wait_for(taras)
    world.restock(1)

    assert relay.run(world.container.uow, world.clock).sent == 1
    [request] = webhook_receiver.wait_for(1)
    with world.uow as uow:
        [message] = uow.outbox.list_for_customer(taras.id, 5)
    assert request.headers["idempotency-key"] == message.id
    assert verify_signature(
        "sms-secret", request.headers["heedful-signature"], request.body, world.clock.now()
    )
    assert json.loads(request.body)["to"] == "+380671234567"
    assert message.channel == "sms"
    assert world.promise(promise.id).state is PromiseState.KEPT
