"""Seed 004 in a real browser: "I don't drink sparkling water, don't put it in my minibar!"

A guest says it once at a Moscow hotel's front desk. Three months later, on her next stay, another
receptionist (who reads the console in English) finds her and knows before she has to say it again.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from console_world import PASSWORD, World
from playwright.async_api import BrowserContext, Page, expect
from pytest_playwright_asyncio import CreateContextCallback

from heedful.core.access.model import Role
from heedful.core.shared.clock import FrozenClock

PHONE = "+7 916 123-45-67"


async def log_in(
    context: BrowserContext, base_url: str, login: str, *, labels: dict[str, str]
) -> Page:
    page = await context.new_page()
    await page.goto(f"{base_url}/login")
    await page.get_by_label(labels["login"], exact=True).fill(login)
    await page.get_by_label(labels["password"], exact=True).fill(PASSWORD)
    await page.get_by_role("button", name=labels["submit"], exact=True).click()
    return page


@pytest.mark.browser
async def test_a_never_said_at_the_front_desk_is_there_for_the_next_receptionist_three_months_later(
    live_server: str, world: World, clock: FrozenClock, new_context: CreateContextCallback
) -> None:
    hotel = world.location("Гостиница «Арбат»", city="Moscow", time_zone="Europe/Moscow")
    world.staff("maria", "Мария Иванова", Role.AGENT, language="ru", at=[hotel])
    world.staff("john", "John Smith", Role.AGENT, language="en", at=[hotel])
    anna = world.customer("Анна Петрова", at=hotel, phone=PHONE)
    world.visit(anna, hotel, items=[{"room_type": "deluxe"}])

    # Maria works in Russian. She finds the guest by the phone she hands over and records the wish.
    russian = await new_context(locale="ru-RU")
    page = await log_in(
        russian,
        live_server,
        "maria",
        labels={"login": "Логин", "password": "Пароль", "submit": "Войти"},
    )
    await page.get_by_label("Имя, телефон, эл. почта или карта лояльности").fill(PHONE)
    await page.get_by_role("link", name="Анна Петрова").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Анна Петрова")

    # A marker on the window: a full page load would wipe it, an HTMX swap does not.
    await page.evaluate("window.sameDocument = true")
    await page.get_by_label("Никогда", exact=True).check()
    await page.get_by_label("Что", exact=True).fill("газированная вода")
    await page.get_by_label("Примечание", exact=True).fill("в мини-баре")
    await page.get_by_label("Категория", exact=True).select_option(label="Напитки")
    await page.get_by_role("button", name="Сохранить предпочтение").click()

    never = page.locator("#preferences-never")
    await expect(never).to_contain_text("газированная вода")
    await expect(never).to_contain_text("в мини-баре")
    await expect(never).to_contain_text("Со слов клиента")
    await expect(never).to_contain_text(
        "Записано: Мария Иванова, Гостиница «Арбат», 2 марта 2026, 10:00"
    )
    await expect(page.get_by_label("Что", exact=True)).to_have_value("")
    assert await page.evaluate("window.sameDocument === true"), "the page was reloaded"

    # Three months on, she is back for a second stay.
    clock.advance(timedelta(days=91))
    world.visit(anna, hotel, items=[{"room_type": "deluxe"}])

    # John reads the console in English. He types her surname as he hears it, in Latin letters,
    # and tells her from any namesake by the phone the results show.
    english = await new_context(locale="en-GB")
    page = await log_in(
        english,
        live_server,
        "john",
        labels={"login": "Login", "password": "Password", "submit": "Log in"},
    )
    await page.get_by_label("Name, phone, e-mail or loyalty card").fill("petrova")
    await expect(page.locator(".results li")).to_contain_text("+79161234567")
    await page.get_by_role("link", name="Анна Петрова").click()

    never = page.locator("#preferences-never")
    await expect(never).to_contain_text("газированная вода")
    await expect(never).to_contain_text("в мини-баре")
    await expect(never).to_contain_text("Drinks")
    await expect(never).to_contain_text("Said by the customer")
    await expect(never).to_contain_text(
        "Recorded by Мария Иванова at Гостиница «Арбат», 2 March 2026, 10:00"
    )
    await expect(never).to_contain_text("3 months ago")
    await expect(page.locator("#history")).to_contain_text("2 entries in all")
