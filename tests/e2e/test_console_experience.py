"""The experience dashboard at the console (in Chromium too) and through the API.

Two hotels, Arbat in Moscow and Podil in Kyiv. Olena manages both; Taras manages only Podil.
Answers are stored as the survey handler stores them: the answer, then its rollups, in one
transaction; the clock is frozen on Monday 2 March 2026.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, replace
from datetime import timedelta

import pytest
from api_personas import Api, new_token
from console_world import World, log_in
from fastapi.testclient import TestClient
from playwright.async_api import expect
from pytest_playwright_asyncio import CreateContextCallback
from test_console_promises import log_in_browser

from heedful.bootstrap import Container
from heedful.core.access.model import Role
from heedful.core.feedback.model import SurveyAnswer, SurveyKind, Touchpoint
from heedful.core.feedback.reading import Sentiment, ThemeReading
from heedful.core.shared.clock import FrozenClock
from heedful.core.shared.ids import new_id
from heedful.core.staff.model import Location


@dataclass
class Hotels:
    arbat: Location
    podil: Location


def _answer(
    at: Location,
    kind: SurveyKind,
    score: int,
    clock: FrozenClock,
    *,
    days_ago: int = 1,
    segment: str = "regular",
    touchpoint: Touchpoint = Touchpoint.STAY,
) -> SurveyAnswer:
    return SurveyAnswer(
        id=new_id("ans_"),
        invitation_id=new_id("inv_"),
        survey_id="srv_e2e",
        kind=kind,
        customer_id=new_id("cus_"),
        score=score,
        answered_at=clock.now() - timedelta(days=days_ago),
        touchpoint=touchpoint,
        location_id=at.id,
        segment=segment,
    )


def _store(container: Container, answers: list[SurveyAnswer]) -> None:
    with container.uow() as uow:
        for answer in answers:
            uow.feedback.answers.add(answer)
            uow.feedback.rollups.add(answer)
        uow.commit()


def _hotels(world: World, clock: FrozenClock) -> Hotels:
    arbat = world.location("Arbat hotel", time_zone="Europe/Moscow")
    podil = world.location("Podil hotel", city="Kyiv", country="UA", time_zone="Europe/Kyiv")
    world.staff("olena", "Олена Мельник", Role.MANAGER, language="uk", at=[arbat, podil])
    world.staff("taras", "Taras Bondar", Role.MANAGER, at=[podil])
    # Arbat: NPS 10, 9, 3 -> 2 promoters, 1 detractor of 3 = 33.3. Podil: 10, 10, 10, 8 -> 75.0.
    # Together: 5 promoters, 1 detractor of 7 = 57.1.
    answers = [_answer(arbat, SurveyKind.NPS, s, clock) for s in (10, 9, 3)]
    answers += [_answer(podil, SurveyKind.NPS, s, clock) for s in (10, 10, 10, 8)]
    # CSAT: Arbat 5, 2 (one VIP purchase); Podil 4.
    answers += [
        _answer(arbat, SurveyKind.CSAT, 5, clock),
        _answer(arbat, SurveyKind.CSAT, 2, clock, segment="vip", touchpoint=Touchpoint.PURCHASE),
        _answer(podil, SurveyKind.CSAT, 4, clock, days_ago=20),
    ]
    commented = replace(
        _answer(arbat, SurveyKind.CES, 2, clock),
        comment="waited forty minutes",
        sentiment=Sentiment.NEGATIVE,
        sentiment_score=-0.8,
        emotions={"annoyance": 0.9},
        themes=(ThemeReading("waiting", Sentiment.NEGATIVE, -0.8),),
    )
    answers.append(commented)
    _store(world.container, answers)
    return Hotels(arbat, podil)


def _csv(body: bytes) -> list[dict[str, str]]:
    assert body.startswith(b"\xef\xbb\xbf"), "Excel needs the byte-order mark to read UTF-8"
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))


def _figure(page: str, measure: str) -> str:
    start = page.index(f'id="figure-{measure}"')
    part = page[start:]
    return part[part.index('class="figure-value">') + 21 : part.index("</strong>")]


def test_a_manager_sees_nps_csat_and_ces_with_sample_and_definition_and_filters_them(
    world: World, clock: FrozenClock, console_client: TestClient
) -> None:
    hotels = _hotels(world, clock)
    log_in(console_client, "olena")

    page = console_client.get("/console/experience")
    assert page.status_code == 200
    assert _figure(page.text, "nps") == "57.1"
    assert _figure(page.text, "csat") == "66.7"
    assert _figure(page.text, "ces") == "2.00"
    assert 'id="trend-nps"' in page.text
    assert 'id="distribution-nps"' in page.text
    assert 'id="themes-chart"' in page.text
    assert 'data-theme="waiting"' in page.text

    arbat = console_client.get(f"/console/experience?location_id={hotels.arbat.id}")
    assert _figure(arbat.text, "nps") == "33.3"
    vip = console_client.get("/console/experience?segment=vip")
    assert _figure(vip.text, "csat") == "0.0"
    stays = console_client.get("/console/experience?touchpoint=stay")
    assert _figure(stays.text, "csat") == "100.0"
    last_week = console_client.get("/console/experience?since=2026-02-23&until=2026-03-02")
    assert _figure(last_week.text, "csat") == "50.0"  # Podil's CSAT was three weeks ago


def test_a_manager_may_not_see_another_managers_hotel(
    world: World, clock: FrozenClock, console_client: TestClient
) -> None:
    hotels = _hotels(world, clock)
    log_in(console_client, "taras")
    mine = console_client.get("/console/experience")
    assert _figure(mine.text, "nps") == "75.0"
    assert (
        console_client.get(f"/console/experience?location_id={hotels.arbat.id}").status_code == 403
    )


def test_every_chart_downloads_as_csv_with_a_byte_order_mark(
    world: World, clock: FrozenClock, console_client: TestClient
) -> None:
    _hotels(world, clock)
    log_in(console_client, "olena")

    figures = _csv(console_client.get("/console/experience?format=csv&chart=figures").content)
    nps = next(row for row in figures if row["measure"] == "nps")
    assert (nps["value"], nps["sample_size"], nps["interval"]) == (
        "57.1",
        "7",
        "multinomial-normal",
    )
    distribution = _csv(
        console_client.get("/console/experience?format=csv&chart=distribution").content
    )
    tens = next(r for r in distribution if r["kind"] == "nps" and r["score"] == "10")
    assert tens["answers"] == "4"
    themes = _csv(console_client.get("/console/experience?format=csv&chart=themes").content)
    assert {r["theme"] for r in themes} == {"waiting"}
    for chart in ("trend", "heat_map", "emotions", "loops", "root_causes"):
        answer = console_client.get(f"/console/experience?format=csv&chart={chart}")
        assert answer.status_code == 200
        assert answer.headers["content-type"].startswith("text/csv")
        assert _csv(answer.content) is not None


def test_the_api_gives_the_same_figures_as_json(
    world: World, container: Container, clock: FrozenClock, console_client: TestClient
) -> None:
    hotels = _hotels(world, clock)
    persona = new_token(container, clock, "bi-tool", Role.MANAGER, hotels.arbat, hotels.podil)
    api = Api(console_client, persona)

    answer = api.get("/reports/experience")
    assert answer.status_code == 200
    body = answer.json()
    nps = next(f for f in body["figures"] if f["measure"] == "nps")
    assert (nps["value"], nps["sample_size"]) == ("57.1", 7)
    assert "promoters" in nps["definition"]
    assert body["distributions"][1]["answers_by_score"]["10"] == 4
    assert body["heat_map"][0]["touchpoint"] in {"stay", "purchase"}
    assert body["themes"][0]["name"] == "waiting"
    bad = api.get("/reports/experience?touchpoint=nowhere")
    assert bad.status_code == 422
    assert bad.headers["content-type"].startswith("application/problem+json")
    trend = api.get("/reports/experience?format=csv&chart=trend")
    assert trend.status_code == 200
    assert _csv(trend.content)[0]["measure"] in {"csat", "nps", "ces", "ces_easy"}
    only_podil = new_token(container, clock, "podil-bi", Role.MANAGER, hotels.podil)
    assert (
        Api(console_client, only_podil)
        .get(f"/reports/experience?location_id={hotels.arbat.id}")
        .status_code
        == 403
    )


@pytest.mark.browser
async def test_a_manager_filters_the_dashboard_in_the_browser_and_the_figures_change(
    live_server: str, world: World, clock: FrozenClock, new_context: CreateContextCallback
) -> None:
    hotels = _hotels(world, clock)
    page = await log_in_browser(await new_context(locale="uk-UA"), live_server, "olena")
    await page.goto(f"{live_server}/console/experience")
    nps = page.locator("#figure-nps .figure-value")
    await expect(nps).to_have_text("57.1")

    await page.locator("#experience-location").select_option(hotels.arbat.id)
    await page.locator("#experience-filters button[type=submit]").click()
    await expect(nps).to_have_text("33.3")
    await expect(page.locator("#figure-nps .sample-size")).to_contain_text("3")

    await page.locator("#experience-location").select_option(hotels.podil.id)
    await page.locator("#experience-filters button[type=submit]").click()
    await expect(nps).to_have_text("75.0")


def test_an_empty_dashboard_says_so_and_bad_filters_name_their_field(
    world: World, console_client: TestClient
) -> None:
    world.staff("mykola", "Mykola Admin", Role.ADMIN)
    log_in(console_client, "mykola")

    empty = console_client.get("/console/experience")
    assert empty.status_code == 200
    # No survey asks for a score and none was given: no tile of dashes, a sentence.
    assert 'id="figure-nps"' not in empty.text
    assert 'id="nothing-collected"' in empty.text
    assert "No answers in this period." in empty.text

    bad_day = console_client.get("/console/experience?since=yesterday")
    assert bad_day.status_code == 422
    assert 'id="experience-since"' in bad_day.text
    assert "YYYY-MM-DD" in bad_day.text
    too_long = console_client.get("/console/experience?since=2020-01-01&until=2026-03-01")
    assert too_long.status_code == 422
    assert "at most two years" in too_long.text
    assert console_client.get("/console/experience?touchpoint=moon").status_code == 422
    assert console_client.get("/console/experience?format=csv&chart=pie").status_code == 422
