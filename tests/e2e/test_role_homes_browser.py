"""Where each role lands after logging in, in headless Chromium on a phone, each in a language:

- a receptionist (an agent in no team) lands on today's page: her task and the search box;
- an agent who answers the inbox in a team lands on the inbox;
- a manager lands on the customer-experience dashboard;
- a mystery shopper lands on a page of her own, not on a refusal;
- an admin of a new install lands on the setup checklist, which says what is missing and where
  (or by which command) it is done, and ticks an item once it is done.

The menu marks the page each one lands on, and opens on a phone with JavaScript off (ADR 0033).
One run on SQLite.
"""

from __future__ import annotations

import re

import pytest
from console_world import PASSWORD, World
from playwright.async_api import Page, ViewportSize, expect
from pytest_playwright_asyncio import CreateContextCallback

from heedful.core.access.model import SYSTEM, Role
from heedful.core.conversations.teams import create_team
from heedful.core.tasks.model import TaskKind, reminder

PHONE: ViewportSize = {"width": 390, "height": 844}
LOG_IN = {"ru": "Войти", "uk": "Увійти", "en": "Log in"}
MENU = {"ru": "Меню", "uk": "Меню", "en": "Menu"}

pytestmark = [
    pytest.mark.browser,
    pytest.mark.parametrize("database_url", ["sqlite"], indirect=True),
]


async def _land(new_context: CreateContextCallback, base_url: str, login: str, lang: str) -> Page:
    context = await new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = await context.new_page()
    await page.goto(f"{base_url}/login?lang={lang}")
    await page.locator("#login").fill(login)
    await page.locator("#password").fill(PASSWORD)
    await page.get_by_role("button", name=LOG_IN[lang], exact=True).click()
    await page.wait_for_url(lambda url: "/login" not in url)
    return page


async def _marked(page: Page, lang: str, entry: str) -> None:
    await page.get_by_text(MENU[lang], exact=True).click()
    await expect(page.locator('nav.menu a[aria-current="page"]')).to_have_text(entry)


async def test_a_receptionist_lands_on_today_with_her_task_and_the_search_box(
    live_server: str, world: World, new_context: CreateContextCallback
) -> None:
    hotel = world.location("Гостиница «Арбат»")
    maria = world.staff("maria", "Мария Иванова", Role.AGENT, language="ru", at=[hotel])
    anna = world.customer("Анна Петрова", at=hotel, phone="+7 916 123-45-67")
    now = world.container.clock.now()
    with world.container.uow() as uow:
        uow.tasks.add(
            reminder(
                TaskKind.CALL_CUSTOMER,
                "Перезвонить Анне Петровой",
                hotel.id,
                now,
                customer_id=anna.id,
                promise_id=None,
                holder_id=maria.id,
                due_at=None,
            )
        )
        uow.commit()

    page = await _land(new_context, live_server, "maria", "ru")

    await expect(page).to_have_url(re.compile(r"/console/today$"))
    await expect(page.locator("#tasks")).to_contain_text("Перезвонить Анне Петровой")
    await page.get_by_label("Имя, телефон, эл. почта или карта лояльности").fill("Петрова")
    await expect(page.get_by_role("link", name="Анна Петрова")).to_be_visible()
    await _marked(page, "ru", "Сегодня")


async def test_an_agent_of_a_team_lands_on_the_inbox(
    live_server: str, world: World, new_context: CreateContextCallback
) -> None:
    shop = world.location("Atelier Lypky", city="Kyiv", country="UA", time_zone="Europe/Kyiv")
    daria = world.staff("daria", "Дарія Шевченко", Role.AGENT, language="uk", at=[shop])
    create_team(
        "Онлайн", world.container.uow(), world.container.clock, SYSTEM, member_ids=[daria.id]
    )

    page = await _land(new_context, live_server, "daria", "uk")

    await expect(page).to_have_url(re.compile(r"/console/inbox$"))
    await _marked(page, "uk", "Вхідні")


async def test_a_manager_lands_on_the_dashboard(
    live_server: str, world: World, new_context: CreateContextCallback
) -> None:
    hotel = world.location("Ostozhenka Grand Hotel")
    world.staff("elena", "Elena Vorontsova", Role.MANAGER, language="en", at=[hotel])

    page = await _land(new_context, live_server, "elena", "en")

    await expect(page).to_have_url(re.compile(r"/console/experience$"))
    await _marked(page, "en", "Customer experience")


async def test_a_mystery_shopper_lands_on_a_page_of_her_own(
    live_server: str, world: World, new_context: CreateContextCallback
) -> None:
    world.staff("marta", "Marta Lang", Role.EVALUATOR, language="en")

    page = await _land(new_context, live_server, "marta", "en")

    await expect(page.get_by_role("heading", level=1)).to_have_text("Your audits")
    await expect(page.get_by_text(MENU["en"], exact=True)).to_have_count(0)


async def test_an_admin_of_a_new_install_lands_on_what_is_left_to_set_up(
    live_server: str, world: World, new_context: CreateContextCallback
) -> None:
    world.staff("olena", "Олена Адмін", Role.ADMIN, language="uk")

    page = await _land(new_context, live_server, "olena", "uk")

    await expect(page).to_have_url(re.compile(r"/admin/setup$"))
    checklist = page.locator("#setup-checklist")
    locations = checklist.locator("li").filter(has_text="Точки")
    await expect(locations).to_contain_text("Ще ні")
    await expect(locations.get_by_role("link")).to_have_attribute("href", "/admin/locations")
    staff = checklist.locator("li").filter(has_text="Працівники, крім вас")
    await expect(staff).to_contain_text("Ще нікого.")
    await expect(staff.get_by_role("link")).to_have_attribute("href", "/admin/staff")
    sla = checklist.locator("li").filter(has_text="Політики SLA")
    await expect(sla.get_by_role("link")).to_have_attribute("href", "/admin/sla-policies")
    await _marked(page, "uk", "Що налаштувати")

    # A location is opened (by the CLI): ticked; its missing opening hours are named instead.
    world.location("Atelier Lypky", city="Kyiv", country="UA", time_zone="Europe/Kyiv")
    await page.reload()
    await expect(locations).to_contain_text("Готово")
    hours = checklist.locator("li").filter(has_text="Години роботи")
    await expect(hours).to_contain_text("Не задано години роботи: Atelier Lypky")
    await checklist.get_by_role("link", name="Шаблони відповідей").click()
    await expect(page).to_have_url(re.compile(r"/console/canned-replies$"))


async def test_the_menu_opens_and_closes_on_a_phone_with_javascript_off(
    live_server: str, world: World, new_context: CreateContextCallback
) -> None:
    hotel = world.location("Ostozhenka Grand Hotel")
    world.staff("elena", "Elena Vorontsova", Role.MANAGER, language="en", at=[hotel])
    context = await new_context(
        viewport=PHONE, is_mobile=True, has_touch=True, java_script_enabled=False
    )
    page = await context.new_page()
    await page.goto(f"{live_server}/login?lang=en")
    await page.locator("#login").fill("elena")
    await page.locator("#password").fill(PASSWORD)
    await page.get_by_role("button", name=LOG_IN["en"], exact=True).click()
    await expect(page).to_have_url(re.compile(r"/console/experience$"))

    report = page.locator("nav.menu").get_by_role("link", name="Promise report")
    await expect(report).to_be_hidden()
    await page.get_by_text(MENU["en"], exact=True).click()
    await report.click()
    await expect(page).to_have_url(re.compile(r"/console/promises/report$"))
    await expect(page.locator('nav.menu a[aria-current="page"]')).to_have_text("Promise report")
    await expect(report).to_be_hidden()  # a new page starts with the menu folded
