"""Seed 002 in a real browser, on a host's phone in Ukrainian: tables held for walk-ins.

The restaurant has ten tables; nine are booked for tonight at 19:00. The look-ahead pass holds
two tables from 19:00 to 20:30 and warns the host the book is over. She opens tonight's book on
her phone (390×844), sees the held tables and the warning, seats a walk-in at one, keeps one
more back at her discretion and releases it early: it is free for bookings at once. At 20:30 on
the restaurant's clock the playbook's hold releases itself.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import restaurant_world
from console_world import World
from playwright.async_api import ViewportSize, expect
from pytest_playwright_asyncio import CreateContextCallback
from test_console_promises import log_in_browser

from heedful.bootstrap import Container
from heedful.core.access.model import SYSTEM, Role
from heedful.core.dealings.holds import NewCapacity, set_capacity
from heedful.core.playbooks import handlers as playbooks
from heedful.core.playbooks.look_ahead_demo import HOLD_TABLES_AT_PEAK, WARN_THE_HOST_OVERBOOKED
from heedful.core.shared.clock import FrozenClock
from heedful.entrypoints.worker.jobs import look_ahead, release_holds

PHONE: ViewportSize = {"width": 390, "height": 844}
# The conftest clock: Monday 2 March 2026, 07:00 UTC, 09:00 in Kyiv. Service starts at 19:00.
AT_1900_KYIV = datetime(2026, 3, 2, 17, 0, tzinfo=UTC)
AT_2030_KYIV = datetime(2026, 3, 2, 18, 30, tzinfo=UTC)


@pytest.mark.browser
async def test_a_host_holds_tables_for_walk_ins_seats_one_and_releases_them_on_her_phone(
    live_server: str,
    world: World,
    container: Container,
    clock: FrozenClock,
    new_context: CreateContextCallback,
) -> None:
    kruchi = restaurant_world.kruchi(world)
    world.staff("oksana", "Оксана Бондар", Role.AGENT, language="uk", at=[kruchi])
    marta = world.customer("Марта Гнатюк", at=kruchi, language="uk")
    set_capacity(kruchi.id, NewCapacity(tables=10, covers=40), container.uow(), clock, SYSTEM)
    restaurant_world.book(container, clock, kruchi, marta.id, [AT_1900_KYIV] * 9, tables=True)
    # The host's words are the restaurant's own, in Ukrainian.
    warning = WARN_THE_HOST_OVERBOOKED["actions"][0]
    title = "Сьогодні перебронювання: {{data.booked}} бронювань на {{data.capacity}} столів"
    for source in (
        HOLD_TABLES_AT_PEAK,
        {**WARN_THE_HOST_OVERBOOKED, "actions": [{**warning, "title": title}]},
    ):
        made = playbooks.create_playbook(source, container.uow(), clock, SYSTEM)
        playbooks.set_enabled(made.id, True, container.uow(), clock, SYSTEM)

    assert look_ahead(container) == 2  # the hold and the warning, on the hourly beat

    phone = await new_context(locale="uk-UA", viewport=PHONE, is_mobile=True, has_touch=True)
    page = await log_in_browser(phone, live_server, "oksana")
    await page.goto(f"{live_server}/console/tasks")
    await expect(page.locator("#tasks")).to_contain_text(
        "Сьогодні перебронювання: 9 бронювань на 10 столів"
    )

    await page.goto(f"{live_server}/console/tonight")
    await expect(page.locator("h1")).to_have_text("Книга на вечір")
    summary = page.locator("#tonight-summary")
    await expect(summary).to_contain_text("Бронювання: 9 (гостей: 18)")
    await expect(summary).to_contain_text("Відкладено для гостей без броні: 2")
    await expect(page.locator("#overbooked")).to_contain_text("бронювань на 1 більше")
    await expect(page.locator("#reservations tbody tr")).to_have_count(9)
    held = page.locator(".hold[data-state=held]")
    await expect(held).to_have_count(1)
    await expect(held).to_contain_text("2 столи")
    await expect(held).to_contain_text("19:00–20:30")

    # A couple walks in: one held table is theirs.
    await held.get_by_role("button", name="Посадити гостя без броні").click()
    await expect(page.locator(".hold[data-state=held]")).to_contain_text(
        "Посаджено гостей без броні: 1"
    )
    await expect(summary).to_contain_text("Відкладено для гостей без броні: 1")

    # She keeps one more table back at her discretion, then lets it go early.
    await page.get_by_label("Столи", exact=True).fill("1")
    await page.get_by_label("З", exact=True).fill("19:30")
    await page.get_by_label("Звільнити о").fill("21:00")
    await page.get_by_label("Чому (необов’язково)").fill("День народження без броні")
    await page.get_by_role("button", name="Відкласти", exact=True).click()
    mine = page.locator(".hold", has_text="День народження без броні")
    await expect(mine).to_contain_text("19:30–21:00")
    await expect(summary).to_contain_text("Відкладено для гостей без броні: 2")
    await mine.get_by_role("button", name="Звільнити зараз").click()
    await expect(page.locator(".hold", has_text="День народження без броні")).to_contain_text(
        "Звільнено"
    )
    await expect(summary).to_contain_text("Відкладено для гостей без броні: 1")
    assert await page.evaluate("document.documentElement.scrollWidth") <= 390

    # 20:30 on the restaurant's clock: the playbook's hold releases itself.
    clock.set(AT_2030_KYIV)
    assert release_holds(container) == 1
    await page.reload()
    await expect(page.locator(".hold[data-state=held]")).to_have_count(0)
    await expect(page.locator(".hold").first).to_contain_text("Звільнено в призначений час")
    await expect(summary).to_contain_text("Вільно: 1")
    await expect(page.locator("#overbooked")).to_have_count(0)
