"""Seed 002 in a real browser: a dessert on the house above the threshold waits for a manager.

A waiter at the restaurant gives a table that waited three desserts from her allowance, on a phone;
above two a manager approves. The card says "Awaiting approval" until the manager approves on the
approvals page, and then "Given", with who approved it.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from console_world import World
from playwright.async_api import ViewportSize, expect
from pytest_playwright_asyncio import CreateContextCallback
from test_receptionist_story import log_in

from heedful.core.access.model import SYSTEM, Role
from heedful.core.goodwill import Period, SetAllowance, set_allowance
from heedful.core.staff.model import LocationKind

ENGLISH = {"login": "Login", "password": "Password", "submit": "Log in"}
PHONE: ViewportSize = {"width": 390, "height": 844}


@pytest.mark.browser
async def test_a_spend_above_the_threshold_waits_for_the_manager_and_the_card_shows_it_given(
    live_server: str, world: World, new_context: CreateContextCallback
) -> None:
    samna = world.location(
        "Samna", city="Kyiv", country="UA", time_zone="Europe/Kyiv", kind=LocationKind.RESTAURANT
    )
    world.staff("oksana", "Oksana Bondar", Role.AGENT, at=[samna])
    world.staff("taras", "Taras Shevchuk", Role.MANAGER, at=[samna])
    guest = world.customer("Anna Koval", at=samna)
    set_allowance(
        SetAllowance(
            samna.id,
            "dessert",
            Decimal(5),
            Period.MONTH,
            role=Role.AGENT,
            approval_above=Decimal(2),
        ),
        world.container.uow(),
        world.container.clock,
        SYSTEM,
    )

    waiter = await new_context(locale="en-GB", viewport=PHONE)
    page = await log_in(waiter, live_server, "oksana", labels=ENGLISH)
    await page.goto(f"{live_server}/customers/{guest.id}")
    section = page.locator("#goodwill")
    await expect(section).to_contain_text("Nothing given yet.")
    await section.get_by_label("What to give").select_option(
        label="A dessert on the house — 5 left per month"
    )
    await section.get_by_label("How much or how many").fill("3")
    await section.get_by_label("Why").fill("a table of three waited 40 minutes")
    await section.get_by_role("button", name="Give").click()
    await expect(section.locator(".goodwill-spend")).to_contain_text("Awaiting approval")
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"]

    manager = await new_context(locale="en-GB")
    boss = await log_in(manager, live_server, "taras", labels=ENGLISH)
    await boss.get_by_role("link", name="Goodwill approvals").first.click()
    approvals = boss.locator("#approvals")
    await expect(approvals).to_contain_text("a table of three waited 40 minutes")
    await approvals.get_by_role("button", name="Approve").click()
    await expect(approvals).to_contain_text("Nothing is waiting.")

    await page.reload()
    spend = page.locator("#goodwill .goodwill-spend")
    await expect(spend).to_contain_text("Given")
    await expect(spend).to_contain_text("Taras Shevchuk")
