"""The inbox in headless Chromium: an e-mail answered from the console, a chat on a phone.

1. Anna e-mails the Kyiv shop over real SMTP to Heedful's inbound listener; the thread shows on
   her card; Iryna opens it and replies from the console; the relay sends the reply to the test
   SMTP server (``mailbox``), threaded under Anna's e-mail (In-Reply-To, References).
2. A visitor on a phone writes from the shop's chat page, in Ukrainian; Iryna answers in the
   console; the visitor sees the answer appear, and still sees the conversation after a reload.
"""

from __future__ import annotations

import re
import smtplib
from email.message import EmailMessage

import pytest
from console_world import PASSWORD
from inbox_world import InboxWorld, build_inbox_world
from playwright.async_api import BrowserContext, Page, ViewportSize, expect
from pytest_playwright_asyncio import CreateContextCallback
from smtp_mailbox import Mailbox

from heedful.adapters.channels.composer import JinjaComposer
from heedful.adapters.channels.inbound_smtp import InboundHandler, start_inbound_smtp
from heedful.adapters.channels.smtp import SmtpSender
from heedful.bootstrap import Container
from heedful.core.conversations.canned_reply_handlers import CannedReplyIn, save_canned_reply
from heedful.core.conversations.reply_templates import REPLY_TEMPLATES
from heedful.core.customers.identities import IdentityKind
from heedful.core.engine.relay import Relay
from heedful.core.shared.clock import FrozenClock

PHONE: ViewportSize = {"width": 390, "height": 844}


@pytest.fixture
def world(container: Container, clock: FrozenClock) -> InboxWorld:
    return build_inbox_world(container, clock)


async def log_in_as(context: BrowserContext, base_url: str, login: str) -> Page:
    page = await context.new_page()
    await page.goto(f"{base_url}/login?lang=en")
    await page.get_by_label("Login", exact=True).fill(login)
    await page.get_by_label("Password", exact=True).fill(PASSWORD)
    await page.get_by_role("button", name="Log in", exact=True).click()
    await expect(page.get_by_role("link", name="Inbox")).to_be_visible()
    return page


def send_to_heedful(world: InboxWorld) -> None:
    """Anna's mail client hands her e-mail to Heedful's inbound SMTP listener."""
    listener = start_inbound_smtp(InboundHandler(world.container.uow, world.clock), "127.0.0.1", 0)
    try:
        mail = EmailMessage()
        mail["From"] = "Анна Петренко <anna@example.com>"
        mail["To"] = "kyiv@shop.example"
        mail["Subject"] = "Повернення сукні"
        mail["Message-ID"] = "<anna-1@mail.example.com>"
        mail.set_content("Чи можу я повернути сукню без чека?", charset="utf-8")
        with smtplib.SMTP(listener.hostname, listener.port) as client:
            client.send_message(mail)
    finally:
        listener.stop()


@pytest.mark.browser
async def test_an_email_is_answered_from_the_console_and_the_reply_is_threaded_under_it(
    live_server: str,
    world: InboxWorld,
    container: Container,
    mailbox: Mailbox,
    new_context: CreateContextCallback,
) -> None:
    send_to_heedful(world)
    with container.uow() as uow:
        anna = uow.customers.find_by_identity(IdentityKind.EMAIL, "anna@example.com")
    assert anna is not None

    page = await log_in_as(await new_context(locale="en-US"), live_server, "iryna")
    await page.goto(f"{live_server}/customers/{anna.id}")
    conversations = page.locator("#conversations")
    await expect(conversations).to_contain_text("Повернення сукні")
    await conversations.get_by_role("link", name="Повернення сукні").click()

    await expect(page.locator("#timeline")).to_contain_text("Чи можу я повернути сукню без чека?")
    await expect(page.locator("#thread-customer")).to_contain_text("Анна Петренко")
    await expect(page.locator("#thread-promises")).to_be_visible()  # the reply owed to her
    await page.get_by_label("Reply by e-mail").fill("Так, протягом 14 днів, з карткою.")
    await page.get_by_role("button", name="Send reply").click()
    await expect(page.locator("#timeline .direction-out")).to_contain_text("протягом 14 днів")
    await expect(page.locator('[data-kind="first_response"]')).to_contain_text("Met")
    # The customer beside the thread follows without a reload: the reply kept that promise.
    await expect(page.locator("#thread-customer")).to_contain_text("No open promises.")
    await expect(page.locator("#thread-customer")).to_have_count(1)

    relay = Relay(
        senders={
            "email": SmtpSender(
                mailbox.host, mailbox.port, "Shop <shop@shop.example>", "heedful.test"
            )
        },
        composer=JinjaComposer(REPLY_TEMPLATES),
    )
    assert relay.run(container.uow, container.clock).sent == 1
    [sent] = mailbox.wait_for(1)
    assert sent["To"] == "anna@example.com"
    assert sent["In-Reply-To"] == "<anna-1@mail.example.com>"
    assert "<anna-1@mail.example.com>" in sent["References"]
    assert "Так, протягом 14 днів, з карткою." in sent.get_content()


@pytest.mark.browser
async def test_a_visitor_chats_from_a_phone_and_sees_the_agents_answer_appear(
    live_server: str, world: InboxWorld, new_context: CreateContextCallback
) -> None:
    visitor = await (
        await new_context(locale="uk-UA", viewport=PHONE, is_mobile=True, has_touch=True)
    ).new_page()
    await visitor.goto(f"{live_server}/chat/kyiv")
    await expect(visitor.get_by_role("heading", level=1)).to_contain_text("Kyiv, Podil")
    await visitor.get_by_label("Повідомлення").fill("Чи є ця сукня в розмірі M?")
    await visitor.get_by_role("button", name="Надіслати").click()
    await expect(visitor.locator(".message.mine")).to_contain_text("Чи є ця сукня в розмірі M?")
    # Nothing wider than the phone: no sideways scrolling.
    assert await visitor.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    agent = await log_in_as(await new_context(locale="en-US"), live_server, "iryna")
    await agent.goto(f"{live_server}/console/inbox")
    await agent.get_by_role("link", name="Чи є ця сукня в розмірі M?").click()
    await agent.get_by_label("Reply in the chat").fill("Так, є. Відкласти для вас?")
    await agent.get_by_role("button", name="Send reply").click()
    await expect(agent.locator("#timeline .direction-out")).to_contain_text("Відкласти для вас?")

    # The page polls every two seconds; the answer arrives without a reload.
    await expect(visitor.locator(".message.theirs")).to_contain_text(
        "Так, є. Відкласти для вас?", timeout=10_000
    )
    await expect(visitor.locator(".message.theirs .author")).to_contain_text("Iryna Koval")

    await visitor.reload()  # the cookie keeps the conversation
    await expect(visitor.locator(".message")).to_have_count(2)
    await visitor.get_by_label("Повідомлення").fill("Так, дякую!")
    await visitor.get_by_role("button", name="Надіслати").click()
    await expect(visitor.locator(".message.mine")).to_have_count(2)
    # The agent's page shows it without a reload too: a chat's timeline polls.
    await expect(agent.locator("#timeline")).to_contain_text("Так, дякую!", timeout=10_000)


@pytest.mark.browser
async def test_an_agent_works_the_inbox_from_the_keyboard(
    live_server: str, world: InboxWorld, new_context: CreateContextCallback
) -> None:
    save_canned_reply(
        CannedReplyIn(
            title="Доставка", texts={"uk": "Відправимо сьогодні."}, location_id=world.kyiv.id
        ),
        world.container.uow(),
        world.clock,
        world.olena.as_actor(),
    )
    first = world.email(subject="Перше").thread
    world.later(10)
    second = world.email(subject="Друге", sender="bohdan@example.com", name="Богдан").thread

    page = await log_in_as(await new_context(locale="en-US"), live_server, "iryna")
    await page.goto(f"{live_server}/console/inbox")
    await expect(page.locator("#threads .thread-line")).to_have_count(2)
    await page.keyboard.press("j")
    await expect(page.locator(f'[data-thread="{first.id}"]')).to_have_class(
        re.compile("is-current")
    )
    await page.keyboard.press("j")
    await expect(page.locator(f'[data-thread="{second.id}"]')).to_have_class(
        re.compile("is-current")
    )
    await page.keyboard.press("k")
    await page.keyboard.press("j")
    await page.keyboard.press("Enter")
    await expect(page.locator("#thread-title")).to_have_text("Друге")

    await page.keyboard.press("r")
    await expect(page.locator("#reply-body")).to_be_focused()
    await page.keyboard.type("Так, є.")  # typed into the reply: "e" here is a letter, not resolve
    await expect(page.locator("#reply-body")).to_have_value("Так, є.")
    await page.locator("#reply-body").blur()
    await page.keyboard.press("/")
    await expect(page.locator("#canned-choice")).to_be_focused()
    await page.locator("#canned-choice").blur()
    await page.keyboard.press("e")
    await expect(page.locator("#thread-status")).to_have_text("Resolved")
    await page.keyboard.press("u")
    await expect(page).to_have_url(re.compile(r"/console/inbox$"))
