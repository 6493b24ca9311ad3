"""A manager clicks a figure of the experience dashboard and reads the answers behind it.

The hotels of ``test_console_experience``: Arbat (Moscow) asks NPS, CSAT and CES; Podil (Kyiv)
only NPS and CSAT. One CES answer at Arbat says "waited forty minutes", read as the theme
"waiting". The clock is frozen on Monday 2 March 2026, 07:00 UTC; that answer came a day before,
10:00 in Moscow.
"""

from __future__ import annotations

from datetime import UTC, datetime
from html import unescape

import pytest
from console_world import World, log_in
from fastapi.testclient import TestClient
from playwright.async_api import expect
from pytest_playwright_asyncio import CreateContextCallback
from test_console_experience import _figure, _hotels
from test_console_promises import log_in_browser

from heedful.core.access.model import Role
from heedful.core.feedback.model import Survey, SurveyKind, SurveyText, Touchpoint
from heedful.core.shared.clock import FrozenClock

LINK = 'class="theme-link" href="'


def _theme_link(page: str) -> str:
    start = page.index(LINK) + len(LINK)
    return unescape(page[start : page.index('"', start)])


@pytest.mark.parametrize(
    ("language", "title", "when", "theme"),
    [
        ("ru", "Ответы за цифрой", "1 марта 2026, 10:00", "Тема"),
        ("uk", "Відповіді за цифрою", "1 березня 2026, 10:00", "Тема"),
        ("en", "Answers behind the figure", "1 March 2026, 10:00", "Theme"),
    ],
)
def test_a_theme_opens_the_comments_behind_it_in_the_locations_time_and_her_language(
    world: World,
    clock: FrozenClock,
    console_client: TestClient,
    language: str,
    title: str,
    when: str,
    theme: str,
) -> None:
    hotels = _hotels(world, clock)
    world.staff("irina", "Ирина", Role.MANAGER, language=language, at=[hotels.arbat, hotels.podil])
    log_in(console_client, "irina")

    dashboard = console_client.get("/console/experience").text
    # Weeks are named by their Monday as her language writes it, not "W09".
    assert (">2/23<" if language == "en" else ">23.02<") in dashboard
    assert "W09" not in dashboard
    link = _theme_link(dashboard)
    assert "theme=waiting" in link
    assert "since=2025-12-15" in link  # the dashboard's own period goes along
    behind = console_client.get(link)
    assert behind.status_code == 200
    assert title in behind.text
    assert "waited forty minutes" in behind.text
    assert when in behind.text  # Arbat's clock, not UTC (07:00)
    assert f"{theme}:" in behind.text
    assert behind.text.count('class="panel answer"') == 1
    assert "Arbat hotel" in behind.text
    # Back to the dashboard with the same filters.
    assert 'href="/console/experience?since=2025-12-15&amp;until=2026-03-02"' in behind.text


def test_every_score_and_cell_links_to_the_answers_it_counts(
    world: World, clock: FrozenClock, console_client: TestClient
) -> None:
    hotels = _hotels(world, clock)
    log_in(console_client, "olena")
    dashboard = console_client.get("/console/experience").text
    # The NPS tile, a bar of the distribution, a week of the trend, a cell of the heat map.
    tile = "/console/experience/answers?since=2025-12-15&amp;until=2026-03-02&amp;measure=nps"
    assert f'href="{tile}"' in dashboard
    assert "measure=nps&amp;score=10" in dashboard
    assert "until=2026-03-01&amp;measure=nps" in dashboard  # the week of Monday 23 February
    assert f"location_id={hotels.podil.id}&amp;touchpoint=stay" in dashboard

    tens = console_client.get("/console/experience/answers?measure=nps&score=10")
    assert tens.text.count('class="panel answer"') == 4  # as the bar says: 4 answers of 10
    at_arbat = console_client.get(
        f"/console/experience/answers?measure=nps&location_id={hotels.arbat.id}"
    )
    assert at_arbat.text.count('class="panel answer"') == 3
    assert "Podil hotel" not in at_arbat.text.split('id="answers"')[1]
    annoyed = console_client.get("/console/experience/answers?emotion=annoyance")
    assert "waited forty minutes" in annoyed.text
    # A link edited by hand is refused in her language, not answered with a traceback.
    wrong = console_client.get("/console/experience/answers?measure=nps&score=11")
    assert wrong.status_code == 422
    assert "Цю цифру не відкрити" in wrong.text


def test_a_manager_reads_no_answers_of_another_managers_hotel(
    world: World, clock: FrozenClock, console_client: TestClient
) -> None:
    hotels = _hotels(world, clock)
    log_in(console_client, "taras")
    mine = console_client.get("/console/experience/answers?measure=nps")
    assert mine.text.count('class="panel answer"') == 4  # Podil's four, never Arbat's
    other = console_client.get(f"/console/experience/answers?location_id={hotels.arbat.id}")
    assert other.status_code == 403


def test_a_measure_a_location_does_not_collect_is_left_off_not_shown_as_a_dash(
    world: World, clock: FrozenClock, console_client: TestClient
) -> None:
    hotels = _hotels(world, clock)
    log_in(console_client, "olena")
    podil = console_client.get(f"/console/experience?location_id={hotels.podil.id}").text
    assert 'id="figure-nps"' in podil
    assert 'id="figure-ces"' not in podil  # Podil never asks CES
    assert 'id="trend-ces"' not in podil
    assert 'id="distribution-ces"' not in podil
    arbat = console_client.get(f"/console/experience?location_id={hotels.arbat.id}").text
    assert _figure(arbat, "ces") == "2.00"

    # Once a CES survey is on for every location, Podil collects CES: no answers yet is a dash.
    now = clock.now()
    with world.container.uow() as uow:
        uow.feedback.surveys.add(
            Survey(
                id="srv_ces_all",
                name="Effort",
                kind=SurveyKind.CES,
                touchpoint=Touchpoint.STAY,
                texts={"en": SurveyText("How easy was it?")},
                created_at=now,
                created_by_label="test",
                updated_at=now,
            )
        )
        uow.commit()
    podil = console_client.get(f"/console/experience?location_id={hotels.podil.id}").text
    assert _figure(podil, "ces") == "—"
    assert datetime(2026, 3, 2, tzinfo=UTC) <= now


@pytest.mark.browser
@pytest.mark.parametrize(("width", "height"), [(1440, 900), (390, 844)])
async def test_a_manager_clicks_from_a_theme_to_its_comments(
    live_server: str,
    world: World,
    clock: FrozenClock,
    new_context: CreateContextCallback,
    width: int,
    height: int,
) -> None:
    _hotels(world, clock)
    context = await new_context(locale="uk-UA", viewport={"width": width, "height": height})
    page = await log_in_browser(context, live_server, "olena")
    await page.goto(f"{live_server}/console/experience")
    # Every report table fits its panel: on a desk whole, on a phone as stacked rows.
    overflowing = await page.evaluate(
        """[...document.querySelectorAll('table')].filter(
             t => t.scrollWidth > t.closest('.panel').clientWidth).map(t => t.className)"""
    )
    assert overflowing == []
    await page.locator("#themes tr[data-theme=waiting] a.theme-link").click()
    await expect(page.locator("h1")).to_have_text("Відповіді за цифрою")
    await expect(page.locator("#answers .answer-comment")).to_have_text("waited forty minutes")
    await expect(page.locator("#answers time")).to_have_text("1 березня 2026, 10:00")
    wide = await page.evaluate("document.documentElement.scrollWidth")
    assert wide <= width, f"the answers page is {wide} px wide on a {width} px screen"
    await page.locator("#back-to-dashboard").click()
    await expect(page.locator("#figure-nps .figure-value")).to_have_text("57.1")
    wide = await page.evaluate("document.documentElement.scrollWidth")
    assert wide <= width, f"the dashboard is {wide} px wide on a {width} px screen"
