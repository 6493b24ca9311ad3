"""Every console page on a phone (390×844) and at a desk (1440×900), in ru, uk and en, per role.

The demo's world (four businesses, their staff, threads, promises, surveys) is loaded once; one
server and one browser serve the whole walk. For each role the test logs in on each screen, and in
each language it opens every page the menu offers (and a customer's card, a thread, a survey and a
playbook where the role reaches them) and checks that:

- no page is wider than the screen (the document's scrollWidth against the viewport's width), and
  no table is wider than its panel (on a phone tables are stacked rows: nothing is cut off, such
  as the thread page's "time left");
- the menu holds exactly the entries the role may open (menu.py), each visible, on a phone once
  the "Menu" button has opened it, and the current page is marked;
- at the desk, no menu entry is broken across lines.

Failures are collected and reported together: one run says everything that does not fit. One run
on SQLite: the pages are the same on PostgreSQL.
"""

from __future__ import annotations

import pytest
from playwright.async_api import BrowserContext, Page, ViewportSize
from pytest_playwright_asyncio import CreateContextCallback

from heedful.bootstrap import Container
from heedful.core.access.model import Role
from heedful.core.staff.handlers import set_staff_language
from heedful.entrypoints.console.menu import menu_for
from heedful.entrypoints.demo.data import STAFF
from heedful.entrypoints.demo.load import load_demo

DESK: ViewportSize = {"width": 1440, "height": 900}
PHONE: ViewportSize = {"width": 390, "height": 844}
LANGUAGES = ("ru", "uk", "en")
LOG_IN = {"ru": "Войти", "uk": "Увійти", "en": "Log in"}
MENU = {"ru": "Меню", "uk": "Меню", "en": "Menu"}
# One demo login per kind of staff: an admin, a manager, an agent of the front desk and one who
# answers the inbox in a team, and a mystery shopper.
PEOPLE = ("admin", "oksana.melnyk", "daryna.koval", "pavel.kuznetsov", "marta.lang")
# Pages below a list, reached from it: the first link on the list page that matches.
DETAILS = {
    "/console/inbox": 'a[href^="/console/inbox/th"]',
    "/console/surveys": 'a[href^="/console/surveys/"]',
    "/console/playbooks": 'a[href^="/console/playbooks/pb"]',
    "/console/promises": 'a[href^="/customers/cus"]',
    "/console/audits/review": "a.open-visit",
    "/console/experience": 'a[href^="/console/experience/answers"]',
}
# What sticks out, for the failure message: the outermost elements wider than the screen.
WIDEST = """(width) => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > width + 0.5
            && e.parentElement.getBoundingClientRect().right <= width + 0.5)
  .slice(0, 4)
  .map(e => `${e.tagName}#${e.id}.${e.getAttribute('class')} ${e.getBoundingClientRect().right}`)"""
# Tables that would scroll inside their panel: every one must fit it, at the desk and on a phone.
SCROLLING = """() => [...document.querySelectorAll('.table-scroll')]
  .filter(e => e.scrollWidth > e.clientWidth + 1)
  .map(e => `${(e.closest('[id]') || {id: '?'}).id} ${e.scrollWidth}px > ${e.clientWidth}px`)"""
# What must be read whole on the screen, not cut off at its edge: the thread's clocks and time left.
WHOLE = """(width) => [...document.querySelectorAll('#clocks tbody td, #clocks tbody th')]
  .filter(e => e.getBoundingClientRect().right > width + 0.5 || !e.checkVisibility())
  .map(e => e.textContent.trim())"""
# A menu entry whose text takes more than one line box.
BROKEN = """() => [...document.querySelectorAll('nav.menu a')].filter(a => {
  const range = document.createRange(); range.selectNodeContents(a.firstChild);
  return new Set([...range.getClientRects()].map(r => Math.round(r.top))).size > 1;
}).map(a => a.textContent)"""

pytestmark = [
    pytest.mark.browser,
    pytest.mark.parametrize("database_url", ["sqlite"], indirect=True),
]


async def _log_in(context: BrowserContext, base_url: str, login: str, language: str) -> Page:
    page = await context.new_page()
    await page.goto(f"{base_url}/login?lang={language}")
    await page.locator("#login").fill(login)
    await page.locator("#password").fill(next(s.password for s in STAFF if s.login == login))
    await page.get_by_role("button", name=LOG_IN[language], exact=True).click()
    await page.wait_for_url(lambda url: "/login" not in url)
    return page


async def _check_page(page: Page, url: str, screen: ViewportSize, where: str) -> list[str]:
    problems: list[str] = []
    response = await page.goto(url)
    if response is None or response.status != 200:
        return [f"{where} {url}: answered {response.status if response else 'nothing'}"]
    width = await page.evaluate("document.documentElement.scrollWidth")
    if width > screen["width"]:
        widest = await page.evaluate(WIDEST, screen["width"])
        problems.append(f"{where} {url}: {width}px wide > {screen['width']}px: {widest}")
    cut = await page.evaluate(WHOLE, screen["width"])
    if cut:
        problems.append(f"{where} {url}: cut off at the screen's edge: {cut}")
    scrolling = await page.evaluate(SCROLLING)
    if scrolling:
        problems.append(f"{where} {url}: tables wider than their panel: {scrolling}")
    return problems


async def _check_menu(
    page: Page, expected: list[str], screen: ViewportSize, language: str, where: str
) -> list[str]:
    problems: list[str] = []
    links = page.locator("nav.menu a")
    if screen is PHONE:
        if await links.first.is_visible():
            problems.append(f"{where}: the menu is open before it is asked for")
        await page.get_by_text(MENU[language], exact=True).click()
    shown = await links.evaluate_all("(links) => links.map((a) => a.getAttribute('href'))")
    if shown != expected:
        problems.append(f"{where}: the menu offers {shown}, expected {expected}")
    hidden = [path for index, path in enumerate(shown) if not await links.nth(index).is_visible()]
    if hidden:
        problems.append(f"{where}: not visible in the opened menu: {hidden}")
    if await page.locator('nav.menu a[aria-current="page"]').count() != 1:
        problems.append(f"{where}: the current page is not marked in the menu")
    if screen is DESK:
        broken = await page.evaluate(BROKEN)
        if broken:
            problems.append(f"{where}: menu entries broken across lines: {broken}")
    return problems


async def _walk(
    page: Page, base_url: str, paths: list[str], screen: ViewportSize, where: str
) -> tuple[list[str], int]:
    """Every page of the menu, and the first page below each list that has one."""
    problems: list[str] = []
    walked = 0
    for path in paths:
        problems += await _check_page(page, base_url + path, screen, where)
        walked += 1
        detail = page.locator(DETAILS.get(path, "#no-such-thing")).first
        if await detail.count():
            href = await detail.get_attribute("href")
            problems += await _check_page(page, f"{base_url}{href}", screen, where)
            walked += 1
    return problems, walked


async def test_every_console_page_fits_the_phone_and_the_desk_for_every_role_and_language(
    live_server: str, container: Container, new_context: CreateContextCallback
) -> None:
    load_demo(container, customers=24)
    with container.uow() as uow:
        people = [m for m in uow.staff.list() if m.login in PEOPLE]
    assert len(people) == len(PEOPLE)
    problems: list[str] = []
    walked = 0
    for member in people:
        menu = [e.path for group in menu_for(member.as_actor(), "/") for e in group.entries]
        for screen in (PHONE, DESK):
            phone = screen is PHONE
            context = await new_context(viewport=screen, is_mobile=phone, has_touch=phone)
            page = await _log_in(context, live_server, member.login, member.language)
            home = page.url.removeprefix(live_server)
            for language in LANGUAGES:
                set_staff_language(member.id, language, container.uow())
                where = f"{member.login} {language} {screen['width']}px"
                problems += await _check_page(page, live_server + home, screen, where)
                walked += 1
                if member.role is Role.EVALUATOR:
                    # No menu: her home lists her visits, each a page of its own.
                    links = page.locator("a.open-visit")
                    visits = [
                        await links.nth(n).get_attribute("href") for n in range(await links.count())
                    ]
                    for href in visits:
                        problems += await _check_page(page, f"{live_server}{href}", screen, where)
                        walked += 1
                    continue
                problems += await _check_menu(page, menu, screen, language, where)
                found, count = await _walk(page, live_server, menu, screen, where)
                problems += found
                walked += count
            await context.close()
        set_staff_language(member.id, member.language, container.uow())
    assert not problems, f"{len(problems)} problems in {walked} pages:\n" + "\n".join(problems)
