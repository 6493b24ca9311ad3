"""A preference audience read with its members' preference checks, on SQLite and PostgreSQL.

"Your brand, in your size" (ADR 72): the store reads a page of those who like the brand with,
beside each, her newest standing preference of the event's size; the engine builds no
``Preference`` for her and reads no other preference of hers. Who is told, and what the relay
then does with her message (consent, quiet hours, caps), are as before.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from promise_world import PromiseWorld, build_world
from smtp_mailbox import Mailbox

from heedful.adapters.channels.composer import JinjaComposer
from heedful.adapters.channels.smtp import SmtpSender
from heedful.bootstrap import Container
from heedful.core.customers.channels import Channel
from heedful.core.customers.commands import RecordConsent
from heedful.core.customers.consent import Purpose
from heedful.core.customers.handlers import record_consent
from heedful.core.customers.model import Customer, Segment
from heedful.core.engine.reactions import process_events
from heedful.core.engine.relay import Relay
from heedful.core.events.model import BusinessEvent
from heedful.core.outreach.default_templates import DEFAULT_TEMPLATES
from heedful.core.outreach.outbox import Message
from heedful.core.playbooks import handlers as playbooks
from heedful.core.playbooks.demo import BRAND_IN_YOUR_SIZE
from heedful.core.playbooks.liking import Asked, Liked
from heedful.core.playbooks.message_templates import PLAYBOOK_TEMPLATES
from heedful.core.preferences.handlers import (
    RecordPreference,
    record_preference,
    retract_preference,
)
from heedful.core.preferences.model import Category, Polarity, Preference, Source
from heedful.core.shared.clock import FrozenClock
from heedful.core.shared.ids import new_id


@pytest.fixture
def world(container: Container, clock: FrozenClock) -> PromiseWorld:
    return build_world(container, clock)


def _likes(world: PromiseWorld, customer: Customer, category: Category, subject: str) -> str:
    preference = record_preference(
        RecordPreference(customer.id, Polarity.LIKE, subject, category),
        world.uow,
        world.clock,
        world.admin,
    )
    world.clock.advance(timedelta(seconds=1))  # each newer than the one before
    return preference.id


def _preference(customer_id: str, category: Category, subject: str, at: datetime) -> Preference:
    return Preference(id=new_id("prf_"), customer_id=customer_id, polarity=Polarity.LIKE,
                      category=category, subject=subject, note="", source=Source.SAID,
                      confidence=1.0, recorded_at=at, recorded_by="stf_admin",
                      recorded_by_label="admin")  # fmt: skip


def _fan(world: PromiseWorld, name: str, brand: str, *sizes: str) -> Customer:
    customer = world.customer(name, email=f"{name.lower()}@example.com")
    _likes(world, customer, Category.BRAND, brand)
    for size in sizes:
        _likes(world, customer, Category.SIZE, size)
    return customer


def _stock_of(world: PromiseWorld, number: int, **data: Any) -> None:
    event = BusinessEvent(
        source="stock-system",
        id=f"evt-{number}",
        type="heedful.stock.changed",
        data={"product": "trousers", "location": world.kyiv.id, "quantity": 4, **data},
    )
    with world.uow as uow:
        uow.events.accept([event], received_at=world.clock.now())
        uow.commit()


def _playbook(world: PromiseWorld, source: dict[str, Any]) -> None:
    made = playbooks.create_playbook(source, world.uow, world.clock, world.admin)
    playbooks.set_enabled(made.id, True, world.uow, world.clock, world.admin)


def _told(world: PromiseWorld, *customers: Customer) -> list[str]:
    with world.uow as uow:
        return [c.full_name for c in customers if uow.outbox.list_for_customer(c.id, 5)]


def test_the_store_answers_each_members_newest_preference_for_each_check(
    world: PromiseWorld,
) -> None:
    # Olena wears M, then m (newer: an import wrote it beside the first); Petra wears L; Roma's
    # M was retracted; Sofia likes another brand. The page holds the brand's fans in id order,
    # with what each holds of M.
    olena = _fan(world, "Olena", "MAX MARA", "M")
    with world.uow as uow:
        uow.preferences.add(_preference(olena.id, Category.SIZE, "m", world.clock.now()))
        uow.commit()
    petra = _fan(world, "Petra", "Max Mara", "L")
    roma = _fan(world, "Roma", "max mara")
    retracted = _likes(world, roma, Category.SIZE, "M")
    retract_preference(roma.id, retracted, world.uow, world.clock, world.admin)
    _fan(world, "Sofia", "Other", "M")
    brand = Asked(Polarity.LIKE, Category.BRAND, "Max Mara")
    size = Asked(Polarity.LIKE, Category.SIZE, "M")

    with world.uow as uow:
        page = uow.playbooks.members_liking(brand, [size], None, 500)
        first = uow.playbooks.members_liking(brand, [size], None, 2)
        rest = uow.playbooks.members_liking(brand, [size], first[-1].customer_id, 500)

    by_id = {member.customer_id: member for member in page}
    assert [m.customer_id for m in page] == sorted([olena.id, petra.id, roma.id])
    assert by_id[olena.id].liked == Liked(Polarity.LIKE, Category.BRAND, "MAX MARA")
    assert by_id[olena.id].held == (Liked(Polarity.LIKE, Category.SIZE, "m"),)
    assert by_id[petra.id].held == (None,)
    assert by_id[roma.id].held == (None,)
    assert [m.customer_id for m in first + rest] == [m.customer_id for m in page]


def test_a_fan_failing_the_size_check_is_not_told(world: PromiseWorld) -> None:
    # The size folds case as the engine folds it, beyond ASCII too ("ü" is "Ü").
    wears_m = _fan(world, "Anna", "Brand X", "XL", "m")
    wears_l = _fan(world, "Bohdana", "brand x", "L")
    no_size = _fan(world, "Vira", "Brand X")
    wears_u = _fan(world, "Galyna", "Brand X", "ü")
    wears_plain_u = _fan(world, "Daryna", "Brand X", "U")
    _playbook(world, BRAND_IN_YOUR_SIZE)
    _stock_of(world, 1, size="M", brand="BRAND X")
    _stock_of(world, 2, size="Ü", brand="Brand X")

    report = process_events(world.container.uow, world.clock)

    assert (report.fired, report.skipped) == (2, [])
    fans = (wears_m, wears_l, no_size, wears_u, wears_plain_u)
    assert _told(world, *fans) == ["Anna", "Galyna"]


def test_an_audience_bigger_than_a_page_is_told_whole_and_only_who_wears_the_size(
    world: PromiseWorld,
) -> None:
    now = world.clock.now()
    ids = [new_id("cus_") for _ in range(1203)]
    with world.uow as uow:
        for number, customer_id in enumerate(ids):
            uow.customers.add(
                Customer(id=customer_id, full_name=f"Fan {number}", language="uk",
                         segment=Segment.REGULAR, time_zone="Europe/Kyiv", created_at=now,
                         updated_at=now,
                         home_location_id=world.kyiv.id, location_ids={world.kyiv.id})
            )  # fmt: skip
            for category, subject in (
                (Category.BRAND, "Selene"),
                (Category.SIZE, "SML"[number % 3]),
            ):
                uow.preferences.add(_preference(customer_id, category, subject, now))
        uow.commit()
    _playbook(world, BRAND_IN_YOUR_SIZE)
    _stock_of(world, 1, size="m", brand="selene")

    report = process_events(world.container.uow, world.clock)

    wearing_m = {customer_id for number, customer_id in enumerate(ids) if number % 3 == 1}
    assert (report.fired, report.skipped) == (401, [])
    with world.uow as uow:
        told = {i for i in ids if uow.outbox.list_for_customer(i, 5)}
    assert told == wearing_m


def test_a_fan_over_the_marketing_cap_is_queued_and_the_relay_caps_her_as_before(
    world: PromiseWorld, mailbox: Mailbox
) -> None:
    kateryna, lesya = _fan(world, "Kateryna", "Brand X", "M"), _fan(world, "Lesya", "Brand X", "M")
    for customer in (kateryna, lesya):
        record_consent(
            RecordConsent(customer.id, Channel.EMAIL, Purpose.MARKETING, True, how="web form"),
            world.uow, world.clock, world.admin,
        )  # fmt: skip
    with world.uow as uow:  # Kateryna has had this window's two marketing messages already
        for _ in range(2):
            uow.outbox.add(
                Message(id=new_id("msg_"), customer_id=kateryna.id,
                        template_key="promise_reminder", purpose=Purpose.MARKETING,
                        created_at=world.clock.now(), ready_at=world.clock.now(),
                        context={"promise": {"text": "autumn collection", "due": "Friday"}})
            )  # fmt: skip
        uow.commit()
    marketing = [{**BRAND_IN_YOUR_SIZE["actions"][0], "purpose": "marketing"}]
    _playbook(world, {**BRAND_IN_YOUR_SIZE, "actions": marketing})
    _stock_of(world, 1, size="M", brand="Brand X")
    assert process_events(world.container.uow, world.clock).fired == 2
    sender = SmtpSender(mailbox.host, mailbox.port, from_address="shop@lypky.example",
                        message_id_domain="lypky.example", clock=world.clock)  # fmt: skip
    relay = Relay({"email": sender}, JinjaComposer((*DEFAULT_TEMPLATES, *PLAYBOOK_TEMPLATES)))

    report = relay.run(world.container.uow, world.clock)

    assert (report.sent, report.capped) == (3, 1)  # her two earlier ones, and Lesya's
    with world.uow as uow:
        hers = {
            m.template_key: m.status.value for m in uow.outbox.list_for_customer(kateryna.id, 5)
        }
        lesyas = [m.status.value for m in uow.outbox.list_for_customer(lesya.id, 5)]
    assert hers == {"promise_reminder": "sent", "liked_item_in_stock": "capped"}
    assert lesyas == ["sent"]
