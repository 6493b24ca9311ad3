"""Her place in line by e-mail, on SQLite and PostgreSQL (ADR 0049): the confirmation says where
she stands in her language, and a delivery moves those behind once each, in one message."""

from __future__ import annotations

from datetime import timedelta
from email.message import EmailMessage

from promise_world import PromiseWorld, build_world
from smtp_mailbox import Mailbox

from heedful.adapters.channels.composer import JinjaComposer
from heedful.adapters.channels.smtp import SmtpSender
from heedful.bootstrap import Container
from heedful.core.catalog import CatalogItem, ItemKind, upsert_item
from heedful.core.customers.model import Customer
from heedful.core.engine.reactions import process_events
from heedful.core.engine.relay import Relay
from heedful.core.events.model import BusinessEvent
from heedful.core.outreach.default_templates import DEFAULT_TEMPLATES
from heedful.core.promises.handlers import MakePromise, make_promise
from heedful.core.promises.model import PromiseKind, WantedItem
from heedful.core.shared.clock import FrozenClock


def _relay(mailbox: Mailbox, clock: FrozenClock) -> Relay:
    sender = SmtpSender(
        mailbox.host,
        mailbox.port,
        from_address="Atelier Lypky <hello@lypky.example>",
        message_id_domain="lypky.example",
        clock=clock,
    )
    return Relay(senders={"email": sender}, composer=JinjaComposer(DEFAULT_TEMPLATES))


def _wish(world: PromiseWorld, customer: Customer) -> None:
    kyiv = world.kyiv.id
    item = WantedItem(product="selene-black", location_id=kyiv)
    cmd = MakePromise(customer.id, PromiseKind.TELL_WHEN_AVAILABLE, kyiv, item=item)
    make_promise(cmd, world.uow, world.clock, world.assistant)


def _bodies(mail: list[EmailMessage]) -> dict[str, str]:
    found = {}
    for message in mail:
        body = message.get_body(("plain",))
        assert body is not None
        found[str(message["To"])] = str(body.get_content())
    return found


def test_the_confirmation_tells_her_place_and_a_delivery_moves_those_behind_once(
    container: Container, clock: FrozenClock, mailbox: Mailbox
) -> None:
    world = build_world(container, clock)
    upsert_item(
        container.uow(),
        CatalogItem(
            "SELENE-BLACK",
            ItemKind.VARIANT,
            clock.now(),
            parent_code="SELENE",
            names={"en": "Selene, black", "uk": "Селена, чорна", "ru": "Селена, чёрная"},
        ),
    )
    marta = world.customer("Марта Коваль", email="marta@example.com", language="uk")
    lev = world.customer("Лев Бондар", email="lev@example.com", language="ru")
    olena = world.customer("Olena Shevchenko", email="olena@example.com", language="en")
    for customer in (marta, lev, olena):
        _wish(world, customer)
    relay = _relay(mailbox, clock)

    assert relay.run(container.uow, clock).sent == 3
    joined = _bodies(mailbox.wait_for(3))
    assert "Селена, чорна. Ваше місце в черзі: 1." in joined["marta@example.com"]
    assert "Селена, чёрная. Ваше место в очереди: 2." in joined["lev@example.com"]
    assert "you are 3rd in line for Selene, black at Atelier Lypky." in joined["olena@example.com"]

    clock.advance(timedelta(hours=2))
    stock = BusinessEvent(
        "urn:lypky:stock",
        "s1",
        "heedful.stock.changed",
        {"code": "Selene-Black", "location": world.kyiv.id, "quantity": 2},
    )
    with container.uow() as uow:
        uow.events.accept([stock], received_at=clock.now())
        uow.commit()
    assert process_events(container.uow, clock).told == 2

    assert relay.run(container.uow, clock).sent == 3  # two told it is back, Olena her place
    later = mailbox.messages[3:]
    assert sorted(m["To"] for m in later) == sorted(
        ["marta@example.com", "lev@example.com", "olena@example.com"]
    )
    [moved] = [m for m in later if m["To"] == "olena@example.com"]
    assert moved["Subject"] == "You are now 1st in line for Selene, black"
    with container.uow() as uow:
        keys = [m.template_key for m in uow.outbox.list_for_customer(olena.id, 10)]
    assert sorted(keys) == ["waiting_line_joined", "waiting_line_moved"]
