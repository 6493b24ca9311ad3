"""An admin's morning in headless Chromium, in Russian, Ukrainian and English, at a desk and on
a phone:

(a) "Failed records" shows two stock events an older Heedful accepted (10**20 units), set aside
    with their error; she puts one back in the queue and discards the other;
(b) the staff page shows Oksana locked after ten wrong passwords; she unlocks her, and
    deactivates Taras, who has left: his open session ends on his next click;
(c) the security events page shows all of it.

Each page is read at 1440×900 and then at 390×844, where it must not be wider than the phone.
One test per language, on SQLite (the pages are the same on PostgreSQL; the rows under them are
tested on both in test_console_security_events.py and tests/integration/).
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from console_world import PASSWORD, World
from playwright.async_api import BrowserContext, Page, ViewportSize, expect
from poison_events import poison
from pytest_playwright_asyncio import CreateContextCallback

from heedful.bootstrap import Container
from heedful.core.access.model import Role
from heedful.core.shared.clock import FrozenClock
from heedful.core.staff.logins import LoginPolicy, log_in

# What sticks out, for the failure message: the outermost elements wider than the phone.
WIDEST = """[...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > 390 && !e.closest('.table-scroll')
            && e.parentElement.getBoundingClientRect().right <= 390)
  .slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + e.getBoundingClientRect().right)"""
DESK: ViewportSize = {"width": 1440, "height": 900}
PHONE: ViewportSize = {"width": 390, "height": 844}

# What the admin reads and clicks, in her language.
WORDS = {
    "en": {
        "login": "Login",
        "password": "Password",
        "log_in": "Log in",
        "failed": "Failed records",
        "retry": "Retry",
        "discard": "Discard",
        "back": "Back in the queue",
        "discarded": "Discarded",
        "staff": "Staff accounts",
        "locked": "Locked after failed logins",
        "unlock": "Unlock",
        "deactivate": "Deactivate",
        "deactivated": "Deactivated",
        "security": "Security events",
        "account_locked": "Account locked",
        "account_unlocked": "Account unlocked",
        "account_deactivated": "Account deactivated",
        "wrong": "Wrong login or password",
    },
    "ru": {
        "login": "Логин",
        "password": "Пароль",
        "log_in": "Войти",
        "failed": "Сбойные записи",
        "retry": "Повторить",
        "discard": "Закрыть",
        "back": "Снова в очереди",
        "discarded": "Закрыто",
        "staff": "Учётные записи сотрудников",
        "locked": "Заблокирована после неудачных входов",
        "unlock": "Разблокировать",
        "deactivate": "Отключить",
        "deactivated": "Отключена",
        "security": "События безопасности",
        "account_locked": "Учётная запись заблокирована",
        "account_unlocked": "Учётная запись разблокирована",
        "account_deactivated": "Учётная запись отключена",
        "wrong": "Неверный логин или пароль",
    },
    "uk": {
        "login": "Логін",
        "password": "Пароль",
        "log_in": "Увійти",
        "failed": "Збійні записи",
        "retry": "Повторити",
        "discard": "Закрити",
        "back": "Знову в черзі",
        "discarded": "Закрито",
        "staff": "Облікові записи працівників",
        "locked": "Заблоковано після невдалих входів",
        "unlock": "Розблокувати",
        "deactivate": "Вимкнути",
        "deactivated": "Вимкнено",
        "security": "Події безпеки",
        "account_locked": "Обліковий запис заблоковано",
        "account_unlocked": "Обліковий запис розблоковано",
        "account_deactivated": "Обліковий запис вимкнено",
        "wrong": "Неправильний логін або пароль",
    },
}

pytestmark = [
    pytest.mark.browser,
    pytest.mark.parametrize("database_url", ["sqlite"], indirect=True),
]


def lock_out(container: Container, clock: FrozenClock, login: str) -> None:
    """Ten wrong passwords, patiently (past each delay), as a guesser at the form would."""
    for _ in range(LoginPolicy().lockout_failures):
        log_in(login, "guess", "203.0.113.7", container.uow(), clock, LoginPolicy())
        clock.advance(timedelta(seconds=901))


async def logged_in(context: BrowserContext, base: str, login: str, words: dict[str, str]) -> Page:
    page = await context.new_page()
    await page.goto(f"{base}/login")
    await page.get_by_label(words["login"], exact=True).fill(login)
    await page.get_by_label(words["password"], exact=True).fill(PASSWORD)
    await page.get_by_role("button", name=words["log_in"], exact=True).click()
    await page.wait_for_url(lambda url: "/login" not in url)
    return page


async def fits_a_phone(page: Page) -> None:
    """Read at the desk, then on the phone: nothing of the page wider than the screen."""
    await page.set_viewport_size(PHONE)
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], (page.url, width, await page.evaluate(WIDEST))
    await page.set_viewport_size(DESK)


@pytest.mark.parametrize("language", ["ru", "uk", "en"])
async def test_an_admin_clears_failed_records_unlocks_and_deactivates_and_reads_the_log(
    language: str,
    live_server: str,
    world: World,
    container: Container,
    clock: FrozenClock,
    new_context: CreateContextCallback,
) -> None:
    words = WORDS[language]
    shop = world.location("Atelier Lypky", city="Kyiv", country="UA", time_zone="Europe/Kyiv")
    world.staff("olena", "Olena Admin", Role.ADMIN, language=language)
    world.staff("oksana", "Oksana Seller", Role.AGENT, language=language, at=[shop])
    world.staff("taras", "Taras Leaver", Role.AGENT, language=language, at=[shop])
    poison(container, shop.id, "stock-poison-1")
    poison(container, shop.id, "stock-poison-2")
    lock_out(container, clock, "oksana")
    locale = {"ru": "ru-RU", "uk": "uk-UA", "en": "en-US"}[language]  # the login page's language
    taras = await logged_in(await new_context(locale=locale), live_server, "taras", words)
    admin = await logged_in(
        await new_context(locale=locale, viewport=DESK), live_server, "olena", words
    )

    # (a) Failed records: set aside with their error; one back in the queue, one discarded.
    await admin.get_by_role("link", name=words["failed"], exact=True).click()
    records = admin.locator("#failed-records")
    await expect(records).to_contain_text("urn:shop:kyiv-stock/stock-poison-1")
    await expect(records.locator("code").first).to_contain_text("Error")  # Overflow/DataError
    await fits_a_phone(admin)
    await records.locator("button", has_text=words["retry"]).first.click()
    await expect(records.get_by_role("status")).to_contain_text(words["back"])
    await records.locator("button", has_text=words["discard"]).first.click()
    await expect(records.get_by_role("status")).to_contain_text(words["discarded"])
    await expect(records.locator("button", has_text=words["retry"])).to_have_count(0)

    # (b) Oksana is locked: unlocked. Taras has left: deactivated, and out on his next click.
    await admin.get_by_role("link", name=words["staff"], exact=True).click()
    oksana_row = admin.get_by_role("row").filter(has_text="Oksana Seller")
    await expect(oksana_row).to_contain_text(words["locked"])
    await fits_a_phone(admin)
    await oksana_row.locator("button", has_text=words["unlock"]).click()
    await expect(oksana_row).not_to_contain_text(words["locked"])
    taras_row = admin.get_by_role("row").filter(has_text="Taras Leaver")
    await taras_row.locator("button", has_text=words["deactivate"]).click()
    await expect(taras_row).to_contain_text(words["deactivated"])
    await taras.locator("nav a").first.click()
    await expect(taras).to_have_url(re.compile(r"/login"))
    await expect(taras.get_by_label(words["password"], exact=True)).to_be_visible()

    # (c) The security events page tells all of it.
    await admin.get_by_role("link", name=words["security"], exact=True).click()
    log = admin.locator("#security-events")
    await expect(log).to_contain_text("Europe/Kyiv")
    for said in ("wrong", "account_locked", "account_unlocked", "account_deactivated"):
        await expect(log.get_by_text(words[said], exact=True).first).to_be_visible()
    await expect(log).to_contain_text("203.0.113.7")
    await fits_a_phone(admin)
