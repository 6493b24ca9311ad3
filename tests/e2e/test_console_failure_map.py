"""The failure map at the console, read by a Kyiv manager in Ukrainian.

The bank's system sends its accounts and the shop its orders through the API, as they would;
two charges above balance and limit and a parcel running late make three failures. The manager
gives one of those customers goodwill the next morning: that decline is rescued, the other is
left unhandled. She reads the heat map, opens the declines cell onto its cases and downloads
the same as CSV.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from api_personas import new_token
from console_world import World, log_in
from fastapi.testclient import TestClient

from heedful.core import goodwill
from heedful.core.access.model import SYSTEM, Role
from heedful.core.engine.reactions import process_events
from heedful.core.shared.clock import FrozenClock

pytest_plugins = ["api_personas"]


def test_a_manager_reads_the_failure_map_opens_a_cell_and_downloads_it_in_ukrainian(
    world: World, console_client: TestClient, clock: FrozenClock
) -> None:
    bank = world.location(
        "Відділення на Подолі", city="Kyiv", country="UA", time_zone="Europe/Kyiv"
    )
    world.staff("taras", "Тарас Шевчук", Role.MANAGER, language="uk", at=[bank])
    andrii = world.customer("Андрій Мельничук", at=bank)
    bohdana = world.customer("Богдана Орленко", at=bank)
    token = new_token(world.container, clock, "core-banking", Role.ADMIN)
    sent = 0

    def event(event_type: str, **data: Any) -> None:
        nonlocal sent
        sent += 1
        answer = console_client.post(
            "/api/v1/events",
            headers=token.headers,
            json={
                "specversion": "1.0",
                "id": f"cbs-{sent}",
                "source": "urn:cbs",
                "type": event_type,
                "time": "2026-02-25T09:00:00+02:00",
                "data": {"location": bank.id, **data},
            },
        )
        assert answer.status_code == 202, answer.text

    for number, who in enumerate((andrii, bohdana), start=1):
        event(
            "heedful.account.upserted",
            customer={"id": who.id},
            account=f"UA-{number}",
            balance=100,
            limit=0,
            currency="UAH",
            next_charge_at="2026-02-27T08:00:00+02:00",
            next_charge_amount=1200,
        )
    event(
        "heedful.order.upserted",
        customer={"id": bohdana.id},
        order="1042",
        status="shipped",
        promised="2026-02-26",
        expected="2026-02-28",
    )
    process_events(world.container.uow, clock)
    # An hour after the charge (08:00 in Kyiv, 06:00 UTC), a raised limit for Andrii.
    clock.advance(timedelta(days=-3))
    goodwill.give_goodwill(
        goodwill.GiveGoodwill(andrii.id, bank.id, "raised_limit", Decimal(1), "списання відхилено"),
        world.container.uow(),
        clock,
        SYSTEM,
    )
    clock.advance(timedelta(days=3))

    assert log_in(console_client, "taras")
    page = console_client.get("/console/reports/failure-map?since=2026-02-23&until=2026-03-01")

    assert page.status_code == 200
    text = page.text
    assert "<h1>Карта збоїв</h1>" in text
    assert 'href="/console/reports/failure-map"' in text  # in the menu
    assert '<strong id="failure-total">3</strong>' in text
    heat = text.split('id="failure-map"', 1)[1].split("</table>", 1)[0]
    payment = heat.split('data-touchpoint="payment"', 1)[1].split("</tr>", 1)[0]
    declines = payment.split('data-kind="decline"', 1)[1].split("</td>", 1)[0]
    assert "shade-5" in declines  # the map's largest cell is darkest
    assert "Оплата, Відхилені списання: 2" in declines
    assert "0 / 1 / 1" in declines  # none pre-empted, one rescued, one left unhandled
    delivery = heat.split('data-touchpoint="delivery"', 1)[1].split("</tr>", 1)[0]
    late = delivery.split('data-kind="late_delivery"', 1)[1].split("</td>", 1)[0]
    assert "shade-3" in late
    assert ">1</a>" in late
    link = declines.split('href="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    assert "touchpoint=payment" in link
    assert "kind=decline" in link

    cell = console_client.get(link)

    cases = cell.text.split('id="case-table"', 1)[1].split("</table>", 1)[0]
    rows = cases.split("<tr data-outcome=")[1:]
    outcomes = {row.split('"', 2)[1]: row for row in rows}
    assert "Андрій Мельничук" in outcomes["rescued"]
    assert "Виправлено після" in outcomes["rescued"]
    assert "Богдана Орленко" in outcomes["unhandled"]
    assert "Без уваги" in outcomes["unhandled"]
    median = cell.text.split('id="recovery-median">', 1)[1].split("<", 1)[0]
    assert median == "60 хв", median  # the limit raised an hour after the charge

    download = console_client.get(link.replace("#cases", "") + "&format=csv")
    assert download.headers["content-type"].startswith("text/csv")
    assert "failure-map-2026-02-23-2026-03-01" in download.headers["content-disposition"]
    assert "payment,decline,2,0,1,1,0,60.0,0," in download.text
