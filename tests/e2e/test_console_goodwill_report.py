"""The goodwill report at the console: what was given and what followed, with the counts behind it.

A manager at a Kyiv restaurant reads it in Ukrainian: money by currency and desserts by kind; the
customers given goodwill, a surprise, or nothing, each with how many answered and came back; and
downloads the same as CSV. An agent, who may not read reports, is not offered the page.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from console_world import World, log_in
from fastapi.testclient import TestClient

from heedful.core import goodwill
from heedful.core.access.model import SYSTEM, Role
from heedful.core.shared.clock import FrozenClock
from heedful.core.staff.model import LocationKind


def test_a_manager_reads_what_was_given_and_what_followed_and_downloads_it(
    world: World, console_client: TestClient, clock: FrozenClock
) -> None:
    samna = world.location(
        "Samna", city="Kyiv", country="UA", time_zone="Europe/Kyiv", kind=LocationKind.RESTAURANT
    )
    world.staff("taras", "Taras Shevchuk", Role.MANAGER, language="uk", at=[samna])
    world.staff("oksana", "Oksana Bondar", Role.AGENT, language="uk", at=[samna])
    anna = world.customer("Анна Коваль", at=samna)
    petro = world.customer("Петро Мельник", at=samna)
    olena = world.customer("Олена Ткач", at=samna)
    uow = world.container.uow

    def give(
        customer_id: str, kind: str, amount: int, currency: str = "", surprise: bool = False
    ) -> None:
        goodwill.give_goodwill(
            goodwill.GiveGoodwill(
                customer_id,
                samna.id,
                kind,
                Decimal(amount),
                "чекали 40 хвилин",
                currency,
                surprise=surprise,
            ),
            uow(),
            clock,
            SYSTEM,
        )

    world.visit(anna, samna)
    give(anna.id, "dessert", 2)
    give(petro.id, goodwill.MONEY, 500, "UAH", surprise=True)
    world.visit(olena, samna)
    clock.advance(timedelta(days=3))
    world.visit(anna, samna)  # she came back

    csrf = log_in(console_client, "taras")
    assert csrf
    page = console_client.get("/console/goodwill/report?within_days=14")
    assert page.status_code == 200
    text = page.text
    assert "Звіт про жести доброї волі" in text
    assert 'href="/console/goodwill/report"' in text  # in the menu
    assert "Що було потім, протягом 14 дн." in text
    given = text.split('id="given-table"', 1)[1].split("</table>", 1)[0]
    assert "UAH" in given
    assert '<th scope="row">Десерт від закладу</th><td>2</td>' in given
    effect = text.split('id="effect-table"', 1)[1].split("</table>", 1)[0]
    rows = {row.split('"', 1)[0]: row for row in effect.split('data-key="')[1:]}
    assert '<td class="customers">2</td>' in rows["with_goodwill"]
    assert "(1/2)" in rows["with_goodwill"]  # Anna came back, Petro did not
    assert '<td class="customers">1</td>' in rows["with_surprise"]
    assert '<td class="customers">1</td>' in rows["without"]  # Olena, seen and given nothing

    download = console_client.get("/console/goodwill/report?within_days=14&format=csv")
    assert download.headers["content-type"].startswith("text/csv")
    assert "goodwill-" in download.headers["content-disposition"]
    lines = download.text.splitlines()
    assert lines[0] == "section,key,customers,value,share,mean_score"
    assert "money,UAH,,500.00,," in lines
    assert "returned,with_goodwill,2,1,0.500," in lines

    refused = console_client.get("/console/goodwill/report?within_days=5")
    assert refused.status_code == 422
    assert 'aria-invalid="true"' in refused.text

    console_client.cookies.clear()
    log_in(console_client, "oksana")
    assert 'href="/console/goodwill/report"' not in console_client.get("/console/tasks").text
    assert console_client.get("/console/goodwill/report").status_code == 403
