"""The promise report at the console and through the API, on SQLite and PostgreSQL.

Two boutiques: Podil in Kyiv, where Iryna makes promises in every state over two weeks, and Rynok
square in Lviv, where Taras keeps one. Olena manages Podil, Mykola is the administrator. Every
promise is made and closed through the use cases, on the frozen clock (Monday 2 March 2026).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from api_personas import Api, Persona, new_token
from console_world import World, log_in
from fastapi.testclient import TestClient

from heedful.core.access.model import Role
from heedful.core.engine.timers import fire_due_timers
from heedful.core.promises.handlers import (
    MakePromise,
    cancel_promise,
    keep_promise,
    make_promise,
    withdraw_promise,
)
from heedful.core.promises.model import Promise, PromiseKind, WantedItem
from heedful.core.shared.clock import FrozenClock
from heedful.core.staff.model import Location, LocationKind, StaffMember


@dataclass
class Shops:
    podil: Location
    lviv: Location
    iryna: StaffMember
    taras: StaffMember


def _promise(
    world: World,
    by: StaffMember,
    at: Location,
    customer_id: str,
    kind: PromiseKind = PromiseKind.CALL_BACK,
    due_in: timedelta | None = timedelta(hours=2),
) -> Promise:
    container = world.container
    item = (
        WantedItem("Black bag", at.id, size="M")
        if kind is PromiseKind.TELL_WHEN_AVAILABLE
        else None
    )
    return make_promise(
        MakePromise(
            customer_id=customer_id,
            kind=kind,
            location_id=at.id,
            due_at=container.clock.now() + due_in if due_in else None,
            text="" if kind is not PromiseKind.OTHER else "bring the catalogue",
            item=item,
        ),
        container.uow(),
        container.clock,
        by.as_actor(),
    )


def _two_weeks_of_promises(world: World, clock: FrozenClock) -> Shops:
    podil = world.location(
        "Podil boutique",
        city="Kyiv",
        country="UA",
        time_zone="Europe/Kyiv",
        kind=LocationKind.BOUTIQUE,
    )
    lviv = world.location(
        "Rynok square",
        city="Lviv",
        country="UA",
        time_zone="Europe/Kyiv",
        kind=LocationKind.BOUTIQUE,
    )
    iryna = world.staff("iryna", "Ірина Коваль", Role.AGENT, language="uk", at=[podil])
    taras = world.staff("taras", "Тарас Бондар", Role.AGENT, language="uk", at=[lviv])
    world.staff("olena", "Олена Мельник", Role.MANAGER, at=[podil])
    world.staff("olena_uk", "Олена Мельник", Role.MANAGER, language="uk", at=[podil])
    world.staff("mykola", "Mykola Admin", Role.ADMIN)
    anna = world.customer("Анна Петренко", at=podil).id
    vera = world.customer("Віра Іваненко", at=lviv).id
    uow, container = world.container.uow, world.container

    # Week 10: one kept on time, one kept late, one broken at its deadline, one cancelled and
    # one the customer withdrew.
    on_time = _promise(world, iryna, podil, anna)
    late = _promise(world, iryna, podil, anna)
    _promise(world, iryna, podil, anna, due_in=timedelta(hours=1))
    refund = _promise(world, iryna, podil, anna, PromiseKind.REFUND_BY, timedelta(days=3))
    wish = _promise(world, iryna, podil, anna, PromiseKind.TELL_WHEN_AVAILABLE, None)
    clock.advance(timedelta(hours=1))
    keep_promise(on_time.id, "called", uow(), clock, iryna.as_actor())
    clock.advance(timedelta(minutes=5))
    assert fire_due_timers(uow, clock).broken == 1
    cancel_promise(refund.id, "the order was never paid", uow(), clock, iryna.as_actor())
    withdraw_promise(wish.id, "", uow(), clock, iryna.as_actor())
    clock.advance(timedelta(hours=2))
    keep_promise(late.id, "called, late", uow(), clock, iryna.as_actor())

    # Week 11: in Lviv Taras keeps his; in Kyiv one is past its deadline and one not yet due.
    clock.advance(timedelta(days=7) - timedelta(hours=3, minutes=5))
    lviv_call = _promise(world, taras, lviv, vera)
    keep_promise(lviv_call.id, "", uow(), clock, taras.as_actor())
    _promise(world, iryna, podil, anna, due_in=timedelta(hours=1))
    _promise(world, iryna, podil, anna, PromiseKind.DELIVER_BY, timedelta(days=5))
    clock.advance(timedelta(hours=2))
    del container
    return Shops(podil, lviv, iryna, taras)


def _csv_rows(body: bytes) -> list[dict[str, str]]:
    assert body.startswith(b"\xef\xbb\xbf"), "Excel needs the byte-order mark to read UTF-8"
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))


def _section(page: str, element_id: str) -> str:
    start = page.index(f'id="{element_id}"')
    return page[start : page.index("</section>", start)]


# --- the console -----------------------------------------------------------------------------


def test_a_manager_sees_her_shops_kept_rate_by_week_kind_and_person_with_the_definition(
    world: World, clock: FrozenClock, console_client: TestClient
) -> None:
    _two_weeks_of_promises(world, clock)
    log_in(console_client, "olena")

    page = console_client.get("/console/promises/report")

    assert page.status_code == 200
    headline = _section(page.text, "kept-rate")
    # Kept on time, kept late, broken, and one open past its deadline: 2 of 4 kept.
    assert '<strong class="kept-rate">50%</strong>' in headline
    assert "4 promises counted" in headline
    assert "waiting 1, cancelled 1, withdrawn by the customer 1" in headline
    assert "open past their deadline, which count as broken so far" in headline
    assert "on Europe/Kyiv time" in headline
    weeks = _section(page.text, "by-week")
    assert "<svg" in weeks
    assert "2026-W10" in weeks
    assert "2026-W11" in weeks
    assert 'data-key="2026-W10"' in weeks
    staff = _section(page.text, "by-staff")
    assert "Ірина Коваль" in staff
    assert "Тарас Бондар" not in page.text  # Lviv is not hers
    kinds = _section(page.text, "by-kind")
    assert "Call back" in kinds
    assert "Refund by a deadline" in kinds


def test_the_report_narrows_to_a_kind_and_a_person_and_keeps_the_choice_in_the_form(
    world: World, clock: FrozenClock, console_client: TestClient
) -> None:
    shops = _two_weeks_of_promises(world, clock)
    log_in(console_client, "mykola")

    page = console_client.get(
        "/console/promises/report",
        params={"kind": "call_back", "made_by": shops.taras.id, "since": "2026-03-09"},
    )

    assert page.status_code == 200
    headline = _section(page.text, "kept-rate")
    assert '<strong class="kept-rate">100%</strong>' in headline
    assert "1 promise counted" in headline
    assert f'<option value="{shops.taras.id}" selected>' in page.text
    assert 'value="2026-03-09"' in page.text


def test_a_backwards_period_is_refused_next_to_its_field(
    world: World, clock: FrozenClock, console_client: TestClient
) -> None:
    _two_weeks_of_promises(world, clock)
    log_in(console_client, "olena")

    page = console_client.get(
        "/console/promises/report", params={"since": "2026-03-09", "until": "2026-03-01"}
    )

    assert page.status_code == 422
    assert 'id="since-error"' in page.text
    assert "at most two years" in page.text
    assert 'id="kept-rate"' not in page.text


def test_the_csv_opens_in_excel_with_cyrillic_names_one_row_per_group(
    world: World, clock: FrozenClock, console_client: TestClient
) -> None:
    shops = _two_weeks_of_promises(world, clock)
    log_in(console_client, "mykola")
    page = console_client.get("/console/promises/report")
    assert 'href="/console/promises/report?format=csv"' in page.text

    response = console_client.get("/console/promises/report", params={"format": "csv"})

    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert "attachment" in response.headers["content-disposition"]
    rows = _csv_rows(response.content)
    by = {(row["group_by"], row["key"]): row for row in rows}
    assert by[("all", "2025-12-22/2026-03-09")]["counted"] == "5"
    assert [row["group_by"] for row in rows].count("week") == 12
    iryna = by[("staff", shops.iryna.id)]
    assert iryna["label"] == "Ірина Коваль"
    assert (iryna["kept"], iryna["kept_late"], iryna["broken"], iryna["overdue"]) == (
        "1",
        "1",
        "1",
        "1",
    )
    assert (iryna["waiting"], iryna["cancelled"], iryna["withdrawn"]) == ("1", "1", "1")
    assert iryna["kept_rate"] == "0.5000"
    assert by[("location", shops.lviv.id)]["kept_rate"] == "1.0000"
    assert by[("kind", "tell_when_available")]["withdrawn"] == "1"


def test_an_agent_may_open_neither_the_report_nor_its_csv_nor_the_boards_summary(
    world: World, clock: FrozenClock, console_client: TestClient
) -> None:
    _two_weeks_of_promises(world, clock)
    log_in(console_client, "iryna")

    for url in (
        "/console/promises/report",
        "/console/promises/report?format=csv",
        "/console/promises/report/summary",
    ):
        assert console_client.get(url).status_code == 403, url
    board = console_client.get("/console/promises").text
    assert "/console/promises/report" not in board


def test_a_manager_cannot_ask_for_another_shops_numbers(
    world: World, clock: FrozenClock, console_client: TestClient
) -> None:
    shops = _two_weeks_of_promises(world, clock)
    log_in(console_client, "olena")

    refused = console_client.get(
        "/console/promises/report", params={"location_id": shops.lviv.id, "format": "csv"}
    )

    assert refused.status_code == 403
    assert "Тарас" not in refused.text


def test_the_board_loads_the_kept_rate_for_a_manager_in_her_language(
    world: World, clock: FrozenClock, console_client: TestClient
) -> None:
    _two_weeks_of_promises(world, clock)
    log_in(console_client, "olena_uk")

    board = console_client.get("/console/promises").text
    summary = console_client.get("/console/promises/report/summary", headers={"HX-Request": "true"})

    assert 'hx-get="/console/promises/report/summary"' in board
    assert summary.status_code == 200
    assert "50%" in summary.text
    assert "враховано 4 обіцянки" in summary.text  # Ukrainian's plural for four
    assert "Звіт про обіцянки" in board  # the menu, in Ukrainian
    assert 'href="/console/promises/report"' in summary.text


# --- the API ---------------------------------------------------------------------------------


def _api(world: World, clock: FrozenClock, client: TestClient, role: Role, *at: Location) -> Api:
    persona: Persona = new_token(world.container, clock, f"{role.value} till", role, *at)
    return Api(client, persona)


def test_the_api_groups_the_rate_by_week_kind_location_or_staff_as_json(
    world: World, clock: FrozenClock, console_client: TestClient
) -> None:
    shops = _two_weeks_of_promises(world, clock)
    admin = _api(world, clock, console_client, Role.ADMIN)

    by_week = admin.get("/reports/promises", params={"since": "2026-03-02"})
    by_location = admin.get("/reports/promises", params={"group_by": "location"})

    assert by_week.status_code == 200, by_week.text
    body: dict[str, Any] = by_week.json()
    assert (body["since"], body["until"], body["time_zone"]) == (
        "2026-03-02",
        "2026-03-09",
        "Europe/Kyiv",
    )
    assert body["group_by"] == "week"
    assert body["total"]["counted"] == 5
    assert body["total"]["kept_rate"] == pytest.approx(0.6)
    assert [(g["key"], g["counted"], g["first_day"]) for g in body["groups"]] == [
        ("2026-W10", 3, "2026-03-02"),
        ("2026-W11", 2, "2026-03-09"),
    ]
    assert "broken so far" in body["definition"]
    places = {g["key"]: g for g in by_location.json()["groups"]}
    assert places[shops.lviv.id]["label"] == "Rynok square"
    assert places[shops.podil.id]["broken"] == 1
    assert places[shops.podil.id]["overdue"] == 1


def test_the_api_answers_csv_when_asked_by_header_or_parameter(
    world: World, clock: FrozenClock, console_client: TestClient
) -> None:
    shops = _two_weeks_of_promises(world, clock)
    admin = _api(world, clock, console_client, Role.ADMIN)

    by_header = admin.get(
        "/reports/promises", params={"group_by": "staff"}, headers={"Accept": "text/csv"}
    )
    by_parameter = admin.get("/reports/promises", params={"group_by": "staff", "format": "csv"})

    assert by_header.headers["content-type"] == "text/csv; charset=utf-8"
    assert by_header.content == by_parameter.content
    rows = _csv_rows(by_header.content)
    assert [(r["group_by"], r["label"]) for r in rows[1:]] == [
        ("staff", "Ірина Коваль"),
        ("staff", "Тарас Бондар"),
    ]
    assert rows[1]["key"] == shops.iryna.id


def test_through_the_api_a_manager_sees_only_her_location_and_an_agent_nothing(
    world: World, clock: FrozenClock, console_client: TestClient
) -> None:
    shops = _two_weeks_of_promises(world, clock)
    manager = _api(world, clock, console_client, Role.MANAGER, shops.podil)
    agent = _api(world, clock, console_client, Role.AGENT, shops.podil)

    hers = manager.get("/reports/promises", params={"group_by": "location"})
    elsewhere = manager.get("/reports/promises", params={"location_id": shops.lviv.id})

    assert [g["label"] for g in hers.json()["groups"]] == ["Podil boutique"]
    assert hers.json()["total"]["counted"] == 4
    assert elsewhere.status_code == 403
    assert elsewhere.headers["content-type"] == "application/problem+json"
    assert agent.get("/reports/promises").status_code == 403
    assert agent.get("/reports/promises", headers={"Accept": "text/csv"}).status_code == 403


def test_the_api_refuses_a_period_longer_than_two_years_naming_the_field(
    world: World, clock: FrozenClock, console_client: TestClient
) -> None:
    _two_weeks_of_promises(world, clock)
    admin = _api(world, clock, console_client, Role.ADMIN)

    refused = admin.get("/reports/promises", params={"since": "2020-01-01"})

    assert refused.status_code == 422
    assert refused.json()["field"] == "since"
