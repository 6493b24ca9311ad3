"""Seed 000 with the catalog, in the browser: picked from the catalog, waited for in line, told
when the stock system names the variant's code, and seen as kept on the card and the item page.
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
from heedful.core.catalog import CatalogItem, ItemKind, upsert_item
from heedful.core.customers.commands import NewIdentity
from heedful.core.customers.handlers import add_identity
from heedful.core.customers.identities import IdentityKind
from heedful.core.engine.reactions import process_events
from heedful.core.engine.relay import Relay
from heedful.core.events.handlers import accept_events
from heedful.core.outreach.default_templates import DEFAULT_TEMPLATES
from heedful.core.shared.clock import FrozenClock


def _catalog(container: Container, clock: FrozenClock) -> None:
    now = clock.now()
    upsert_item(
        container.uow(), CatalogItem("SELENE", ItemKind.PRODUCT, now, names={"uk": "Селена"})
    )
    names = {"uk": "Селена, чорна", "ru": "Селена, чёрная", "en": "Selene, black"}
    variant = CatalogItem(
        "SELENE-BLACK", ItemKind.VARIANT, now, names=names, parent_code="SELENE", brand="Lypky"
    )
    upsert_item(container.uow(), variant)


@pytest.mark.browser
async def test_picked_from_the_catalog_told_by_the_variant_code_and_the_line_moves(
    live_server: str,
    world: World,
    container: Container,
    clock: FrozenClock,
    mailbox: Mailbox,
    new_context: CreateContextCallback,
) -> None:
    shop = boutique(world)
    _catalog(container, clock)
    world.staff("iryna", "Ірина Коваль", Role.AGENT, language="uk", at=[shop])
    vika = world.customer("Вікторія Мороз", at=shop, phone="+380 50 377 12 09", language="uk")
    add_identity(
        vika.id, NewIdentity(IdentityKind.EMAIL, "vika@example.com"), container.uow(), clock, SYSTEM
    )

    page = await log_in_browser(await new_context(locale="uk-UA"), live_server, "iryna")
    await page.goto(f"{live_server}/customers/{vika.id}")
    form = page.locator("form.make-promise")
    await form.get_by_label("Обіцянка", exact=True).select_option(
        label="Повідомити про надходження"
    )
    product = form.get_by_label("Товар", exact=True)
    await product.press_sequentially("чорна")
    # The picker offers the catalog's variant as she types; she takes it.
    await expect(page.locator('#promise-item-choices option[value="SELENE-BLACK"]')).to_have_count(
        1
    )
    await product.fill("SELENE-BLACK")
    await form.get_by_role("button", name="Зберегти обіцянку").click()
    open_promises = page.locator("#promises-open")
    await expect(open_promises).to_contain_text("№ 1 у черзі за «Селена, чорна» у «Podil boutique»")

    await page.goto(f"{live_server}/console/items/SELENE-BLACK")
    line = page.locator(f"#line-{shop.id}")
    await expect(line).to_contain_text("Вікторія Мороз")
    await expect(line).to_contain_text("чекає")

    # The stock system names the variant by its own code, in its own case: one bag arrived.
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
                "time": clock.now().isoformat(),
                "data": {"code": "selene-black", "location": shop.id, "delta": 1},
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
    await expect(line).to_contain_text("повідомлено")
    await expect(page.locator("#item-stock")).to_contain_text("1")
    await page.goto(f"{live_server}/customers/{vika.id}")
    await expect(page.locator("#promises-closed")).to_contain_text("Виконана")
    await expect(page.locator("#promises-open")).to_have_count(0)
