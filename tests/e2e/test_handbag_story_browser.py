"""Seed 000 in the browser: the promise recorded on the card, kept by the restock, seen as kept.

The assistant records "tell her when the black bag is back" on the card. The stock system says
one unit arrived; the engine picks her (first in line), the relay e-mails her over real SMTP, and
when the assistant looks at the card again the promise is kept, with the e-mail as its evidence.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from console_world import World
from playwright.async_api import expect
from pytest_playwright_asyncio import CreateContextCallback
from smtp_mailbox import Mailbox
from test_console_promises import boutique, log_in_browser

from heedful.adapters.channels.composer import JinjaComposer
from heedful.adapters.channels.smtp import SmtpSender
from heedful.bootstrap import Container
from heedful.core.access.model import SYSTEM, Role
from heedful.core.customers.channels import Channel
from heedful.core.customers.commands import NewIdentity, RecordConsent
from heedful.core.customers.consent import Purpose
from heedful.core.customers.handlers import add_identity, record_consent
from heedful.core.customers.identities import IdentityKind
from heedful.core.engine.reactions import process_events
from heedful.core.engine.relay import Relay
from heedful.core.events.handlers import accept_events
from heedful.core.outreach.default_templates import DEFAULT_TEMPLATES
from heedful.core.shared.clock import FrozenClock


@pytest.mark.browser
async def test_the_bag_comes_back_she_is_told_and_the_card_shows_the_promise_kept(
    live_server: str,
    world: World,
    container: Container,
    clock: FrozenClock,
    mailbox: Mailbox,
    new_context: CreateContextCallback,
) -> None:
    shop = boutique(world)
    world.staff("iryna", "Ірина Коваль", Role.AGENT, language="uk", at=[shop])
    vika = world.customer("Вікторія Мороз", at=shop, phone="+380 50 377 12 09", language="uk")
    add_identity(
        vika.id, NewIdentity(IdentityKind.EMAIL, "vika@example.com"), container.uow(), clock, SYSTEM
    )
    record_consent(
        RecordConsent(vika.id, Channel.EMAIL, Purpose.SERVICE, True, "loyalty form"),
        container.uow(),
        clock,
        SYSTEM,
    )

    page = await log_in_browser(await new_context(locale="uk-UA"), live_server, "iryna")
    await page.goto(f"{live_server}/customers/{vika.id}")
    form = page.locator("form.make-promise")
    await form.get_by_label("Обіцянка", exact=True).select_option(
        label="Повідомити про надходження"
    )
    await form.get_by_label("Товар", exact=True).fill("selene-black")
    await form.get_by_label("Варіант", exact=True).fill("чорна")
    await form.get_by_label("Термін (місцевий час точки)").fill("2026-03-20T18:00")
    await form.get_by_role("button", name="Зберегти обіцянку").click()
    await expect(page.locator("#promises-open")).to_contain_text("selene-black · чорна")

    # Two hours later the stock system reports one bag at the boutique.
    clock.advance(timedelta(hours=2))
    report = accept_events(
        container.uow(),
        clock,
        [
            {
                "specversion": "1.0",
                "id": "stock-1",
                "source": "urn:boutique:stock",
                "type": "heedful.stock.changed",
                "data": {
                    "product": "selene-black",
                    "variant": "чорна",
                    "location": shop.id,
                    "quantity": 1,
                },
            }
        ],
    )
    assert report.accepted == 1
    assert process_events(container.uow, clock).told == 1
    sender = SmtpSender(
        mailbox.host,
        mailbox.port,
        "Podil boutique <hello@podil.example>",
        "podil.example",
        clock=clock,
    )
    relay = Relay(senders={"email": sender}, composer=JinjaComposer(DEFAULT_TEMPLATES))
    assert relay.run(container.uow, clock).sent == 1
    [mail] = mailbox.wait_for(1)
    assert mail["To"] == "vika@example.com"

    await page.reload()
    closed = page.locator("#promises-closed")
    await expect(closed).to_contain_text("selene-black · чорна")
    await expect(closed).to_contain_text("Виконана")
    await expect(page.locator("#promises-open")).to_have_count(0)
    messages = page.locator("#messages")
    await expect(messages).to_contain_text(mail["Subject"])
