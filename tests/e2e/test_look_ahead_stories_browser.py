"""Seeds 004 and 002 in a real browser, with the data a hotel's and a bank's systems send.

The hotel: Olha said at her first stay "no sparkling water in the minibar"; the PMS books her second
stay; the hourly look-ahead pass finds her among tomorrow's arrivals and the housekeeper sees the
task in Ukrainian before arrival day, quoting the wish, and closes it with what was done.

The bank: a VIP and a regular client have the same charge tomorrow morning, above balance and
limit. The VIP's relationship manager sees the call task before the charge; the regular client gets
the message. The manager raises the limit, the core system says so, and the charge passes: no new
warning, no further task.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from api_personas import Persona, new_token
from console_world import World
from playwright.async_api import expect
from pytest_playwright_asyncio import CreateContextCallback
from smtp_mailbox import Mailbox
from test_console_promises import log_in_browser

from heedful.adapters.channels.composer import JinjaComposer
from heedful.adapters.channels.smtp import SmtpSender
from heedful.bootstrap import Container
from heedful.core.access.model import SYSTEM, Role
from heedful.core.customers.channels import Channel
from heedful.core.customers.commands import CreateCustomer, NewIdentity, RecordConsent
from heedful.core.customers.consent import Purpose
from heedful.core.customers.handlers import add_identity, create_customer, record_consent
from heedful.core.customers.identities import IdentityKind
from heedful.core.customers.model import Customer, Segment
from heedful.core.engine.reactions import process_events
from heedful.core.engine.relay import Relay
from heedful.core.outreach.default_templates import DEFAULT_TEMPLATES
from heedful.core.playbooks import handlers as playbooks
from heedful.core.playbooks.look_ahead_demo import (
    CALL_BEFORE_THE_CHARGE,
    PREPARE_ROOMS_FOR_TOMORROW,
)
from heedful.core.playbooks.message_templates import PLAYBOOK_TEMPLATES
from heedful.core.shared.clock import FrozenClock
from heedful.core.staff.model import Location, LocationKind
from heedful.entrypoints.worker.jobs import look_ahead

# The conftest clock: Monday 2 March 2026, 07:00 UTC, 09:00 in Kyiv.
WEDNESDAY_14_KYIV = datetime(2026, 3, 4, 12, 0, tzinfo=UTC)
TUESDAY_07_KYIV = datetime(2026, 3, 3, 5, 0, tzinfo=UTC)


def _enable(container: Container, clock: FrozenClock, source: dict[str, Any]) -> None:
    made = playbooks.create_playbook(source, container.uow(), clock, SYSTEM)
    playbooks.set_enabled(made.id, True, container.uow(), clock, SYSTEM)


class Systems:
    """The hotel's or the bank's own system, speaking to the public API with its token."""

    def __init__(self, base_url: str, persona: Persona, source: str) -> None:
        self.base_url, self.persona, self.source, self.sent = base_url, persona, source, 0

    def post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        answer = httpx.post(
            f"{self.base_url}/api/v1{path}", json=body, headers=self.persona.headers, timeout=10
        )
        assert answer.status_code in (201, 202), answer.text
        result: dict[str, Any] = answer.json()
        return result

    def event(self, event_type: str, at: datetime, **data: Any) -> None:
        self.sent += 1
        cloud_event = {
            "specversion": "1.0",
            "id": f"{self.source}-{self.sent}",
            "source": f"urn:{self.source}",
            "type": event_type,
            "time": at.isoformat(),
            "data": data,
        }
        assert self.post("/events", cloud_event)["accepted"] == 1


@pytest.mark.browser
async def test_the_housekeeper_prepares_the_room_to_her_never_before_arrival_day_in_ukrainian(
    live_server: str,
    world: World,
    container: Container,
    clock: FrozenClock,
    new_context: CreateContextCallback,
) -> None:
    hotel = world.location("Готель «Дніпро»", city="Kyiv", country="UA", time_zone="Europe/Kyiv")
    world.staff("oksana", "Оксана Бондар", Role.AGENT, language="uk", at=[hotel])
    olha = world.customer("Ольга Бондаренко", at=hotel, language="uk")
    pms = Systems(live_server, new_token(container, clock, "pms", Role.ADMIN), "pms")
    # The hotel writes the task's words in its own language; the rule is the seed's.
    action = PREPARE_ROOMS_FOR_TOMORROW["actions"][0]
    title = "Номер {{data.room}} для {{customer.name}} ({{data.starts_at}}): {{data.wishes}}"
    _enable(
        container,
        clock,
        {**PREPARE_ROOMS_FOR_TOMORROW, "actions": [{**action, "title": title}]},
    )

    # Stay 1: the front desk records her "never" through the PMS.
    pms.post(
        f"/customers/{olha.id}/preferences",
        {
            "polarity": "never",
            "subject": "газована вода в мінібарі",
            "category": "drink",
            "location_id": hotel.id,
        },
    )
    # Stay 2 is booked for Wednesday: not tomorrow yet, so nothing to prepare today.
    pms.event(
        "heedful.booking.upserted",
        clock.now(),
        customer={"id": olha.id},
        location=hotel.id,
        booking="B-2",
        arrival=WEDNESDAY_14_KYIV.isoformat(),
        departure=(WEDNESDAY_14_KYIV + timedelta(days=2)).isoformat(),
        room_type="Deluxe",
        room="512",
        guests=1,
    )
    process_events(container.uow, clock)
    with container.uow() as uow:
        assert uow.tasks.list_for_customer(olha.id, 10) == []

    # Tuesday morning the worker's hourly pass finds her among tomorrow's arrivals.
    clock.advance(timedelta(days=1))
    assert look_ahead(container) == 1

    page = await log_in_browser(await new_context(locale="uk-UA"), live_server, "oksana")
    await page.goto(f"{live_server}/console/tasks")
    tasks = page.locator("#tasks")
    task = tasks.locator(".task", has_text="газована вода в мінібарі")
    await expect(task).to_contain_text(
        "Номер 512 для Ольга Бондаренко (2026-03-04 14:00): без: газована вода в мінібарі"
    )
    await expect(task).to_contain_text("Термін")
    await task.get_by_label("Що зроблено (необов’язково)").fill("Газовану воду прибрано з мінібару")
    await task.get_by_role("button", name="Виконано:").click()
    await expect(tasks.locator(".notice")).to_contain_text("газована вода в мінібарі")
    await expect(tasks.locator(".task")).to_have_count(0)

    with container.uow() as uow:
        [done] = uow.tasks.list_for_customer(olha.id, 10)
    assert done.outcome == "Газовану воду прибрано з мінібару"
    # The hotel keeps no hours here: due by the end of Tuesday in Kyiv, before arrival day.
    assert done.due_at == datetime(2026, 3, 3, 22, 0, tzinfo=UTC)
    assert done.done_by_label == "Оксана Бондар"


def _client(
    container: Container, clock: FrozenClock, name: str, bank: Location, vip: bool
) -> Customer:
    return create_customer(
        CreateCustomer(
            full_name=name,
            language="uk",
            time_zone=bank.time_zone,
            home_location_id=bank.id,
            segment=Segment.VIP if vip else Segment.REGULAR,
        ),
        container.uow(),
        clock,
        SYSTEM,
    )


@pytest.mark.browser
async def test_the_vip_owner_calls_first_the_regular_client_is_told_and_a_raised_limit_lets_it_pass(
    live_server: str,
    world: World,
    container: Container,
    clock: FrozenClock,
    mailbox: Mailbox,
    new_context: CreateContextCallback,
) -> None:
    bank = world.location(
        "Банк «Поділ»",
        city="Kyiv",
        country="UA",
        time_zone="Europe/Kyiv",
        kind=LocationKind.BANK_BRANCH,
    )
    world.staff("iryna", "Ірина Коваль", Role.AGENT, language="uk", at=[bank])
    andriy = _client(container, clock, "Андрій Мельничук", bank, vip=True)
    boris = _client(container, clock, "Борис Орлов", bank, vip=False)
    add_identity(
        boris.id,
        NewIdentity(IdentityKind.EMAIL, "boris@example.com"),
        container.uow(),
        clock,
        SYSTEM,
    )
    record_consent(
        RecordConsent(boris.id, Channel.EMAIL, Purpose.SERVICE, True, "account opening"),
        container.uow(),
        clock,
        SYSTEM,
    )
    core = Systems(live_server, new_token(container, clock, "core", Role.ADMIN), "core")
    # The bank writes the call's words in its own language; the rule is the seed's.
    [vip] = CALL_BEFORE_THE_CHARGE["branches"]
    call_action = {
        **vip["actions"][0],
        "title": "Зателефонувати {{customer.name}}: платіж {{data.charge}} {{data.currency}} "
        "о {{data.charge_at}}, бракує {{data.shortfall}}",
        "note": "Запропонувати підняти ліміт як виняток",
    }
    _enable(
        container,
        clock,
        {**CALL_BEFORE_THE_CHARGE, "branches": [{**vip, "actions": [call_action]}]},
    )

    core.event(
        "heedful.owner.assigned",
        clock.now(),
        customer={"id": andriy.id},
        location=bank.id,
        staff="iryna",
    )
    for who, number in ((andriy, "UA-1"), (boris, "UA-3")):
        core.event(
            "heedful.account.upserted",
            clock.now(),
            customer={"id": who.id},
            location=bank.id,
            account=number,
            currency="UAH",
            balance=300,
            limit=500,
            next_charge_at=TUESDAY_07_KYIV.isoformat(),
            next_charge_amount=1200,
        )
    process_events(container.uow, clock)
    look_ahead(container)  # the hourly pass finds them already weighed
    page = await log_in_browser(await new_context(locale="uk-UA"), live_server, "iryna")
    await page.goto(f"{live_server}/console/tasks")
    call = page.locator("#tasks .task", has_text="Андрій Мельничук")
    await expect(call).to_contain_text(
        "Зателефонувати Андрій Мельничук: платіж 1200 UAH о 2026-03-03 07:00, бракує 400"
    )
    await expect(call).to_contain_text("Запропонувати підняти ліміт як виняток")
    await expect(call).to_contain_text("Для: Ірина Коваль")
    await expect(page.locator("#tasks")).not_to_contain_text("Борис Орлов")

    # The regular client hears it from the bank: the message is on his card, named in Ukrainian
    # while it waits for the relay, and by the subject he read once it is sent.
    await page.goto(f"{live_server}/customers/{boris.id}")
    messages = page.locator("#messages")
    await expect(messages).to_contain_text("Завтрашнє списання не пройде")
    await expect(messages).not_to_contain_text("charge_will_fail")
    sender = SmtpSender(
        mailbox.host,
        mailbox.port,
        "Банк «Поділ» <hello@podil.example>",
        "podil.example",
        clock=clock,
    )
    composer = JinjaComposer((*DEFAULT_TEMPLATES, *PLAYBOOK_TEMPLATES))
    assert Relay(senders={"email": sender}, composer=composer).run(container.uow, clock).sent == 1
    [mail] = mailbox.wait_for(1)
    assert mail["To"] == "boris@example.com"

    await page.reload()
    await expect(messages.locator(".message-sent")).to_contain_text(mail["Subject"])

    # Iryna calls, raises the limit in the core system, which tells Heedful; she closes the task.
    core.event(
        "heedful.account.upserted",
        clock.now() + timedelta(minutes=20),
        customer={"id": andriy.id},
        location=bank.id,
        account="UA-1",
        currency="UAH",
        balance=300,
        limit=1500,
        next_charge_at=TUESDAY_07_KYIV.isoformat(),
        next_charge_amount=1200,
    )
    clock.advance(timedelta(minutes=20))
    process_events(container.uow, clock)
    await page.goto(f"{live_server}/console/tasks")
    await call.get_by_label("Що зроблено (необов’язково)").fill("Ліміт піднято до 1500 UAH")
    await call.get_by_role("button", name="Виконано:").click()
    await expect(page.locator("#tasks .task")).to_have_count(0)

    # The charge runs at 07:00 and passes: the account now shows next month's charge.
    clock.advance(timedelta(hours=22))
    core.event(
        "heedful.account.upserted",
        clock.now(),
        customer={"id": andriy.id},
        location=bank.id,
        account="UA-1",
        currency="UAH",
        balance=-900,
        limit=1500,
        next_charge_at=(TUESDAY_07_KYIV + timedelta(days=31)).isoformat(),
        next_charge_amount=1200,
    )
    process_events(container.uow, clock)
    assert look_ahead(container) == 0
    with container.uow() as uow:
        warnings = uow.events.between(
            "heedful.account.at_risk", clock.now() - timedelta(days=2), clock.now(), 100
        )
        andriy_tasks = uow.tasks.list_for_customer(andriy.id, 10)
    said_for = [w.event.data["customer"]["id"] for w in warnings]
    assert sorted(said_for) == sorted([andriy.id, boris.id])  # once each, before the charge
    assert [t.outcome for t in andriy_tasks] == ["Ліміт піднято до 1500 UAH"]
