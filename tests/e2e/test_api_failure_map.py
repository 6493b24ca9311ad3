"""The failure map through the API: the business's systems send state, a manager reads the map."""

from __future__ import annotations

from typing import Any

from api_personas import Api, ApiWorld

from heedful.core.engine.reactions import process_events

pytest_plugins = ["api_personas"]


def _event(world: ApiWorld, number: int, event_type: str, **data: Any) -> dict[str, Any]:
    return {
        "specversion": "1.0",
        "id": f"erp-{number}",
        "source": "urn:shop:erp",
        "type": event_type,
        "time": f"2026-02-2{number}T09:00:00+02:00",
        "data": {"location": world.location_a.id, **data},
    }


def _cells(body: dict[str, Any]) -> dict[tuple[str, str], tuple[int, int, int, int, int]]:
    return {
        (c["touchpoint"], c["kind"]): (
            c["count"],
            c["pre_empted"],
            c["rescued"],
            c["unhandled"],
            c["open"],
        )
        for c in body["cells"]
        if c["count"]
    }


def test_a_late_parcel_and_a_charge_above_the_limit_are_on_the_map_and_in_its_csv(
    api: Api, api_world: ApiWorld
) -> None:
    anna = api.create_customer("Anna Koval", home_location_id=api_world.location_a.id)
    who = {"id": anna["id"]}
    sent = [
        _event(
            api_world,
            1,
            "heedful.order.upserted",
            customer=who,
            order="1042",
            status="shipped",
            promised="2026-02-26",
            expected="2026-02-28",
            carrier="DHL",
        ),
        _event(
            api_world,
            2,
            "heedful.account.upserted",
            customer=who,
            account="UA-77",
            balance=100,
            limit=0,
            currency="UAH",
            next_charge_at="2026-02-27T08:00:00+02:00",
            next_charge_amount=1000,
        ),
    ]
    for event in sent:
        assert api.post("/events", json=event).status_code == 202
    process_events(api_world.container.uow, api_world.clock)
    manager = api_world.api(api_world.manager_a)

    found = manager.get("/reports/failure-map?since=2026-02-23&until=2026-03-01")

    assert found.status_code == 200, found.text
    body = found.json()
    assert (body["since"], body["until"], body["total"]) == ("2026-02-23", "2026-03-01", 2)
    assert _cells(body) == {
        ("delivery", "late_delivery"): (1, 0, 0, 1, 0),
        ("payment", "decline"): (1, 0, 0, 1, 0),
    }
    assert len(body["cells"]) == 7 * 7  # every touchpoint x kind, so the map keeps its shape
    assert body["cases"] == []
    cell = manager.get(
        "/reports/failure-map?since=2026-02-23&until=2026-03-01"
        "&touchpoint=delivery&kind=late_delivery"
    ).json()
    [case] = cell["cases"]
    assert (case["label"], case["outcome"], case["customer_id"]) == (
        "1042",
        "unhandled",
        anna["id"],
    )
    assert case["at"] == "2026-02-26T22:00:00Z"  # the end of the promised day in Kyiv
    # Location B's manager sees nothing of location A.
    assert api_world.api(api_world.manager_b).get("/reports/failure-map").json()["total"] == 0

    csv = manager.get("/reports/failure-map?since=2026-02-23&until=2026-03-01&format=csv")
    assert csv.headers["content-type"].startswith("text/csv")
    assert "delivery,late_delivery,1,0,0,1,0,,0," in csv.text


def test_a_bad_parameter_is_a_problem_naming_it(api: Api, api_world: ApiWorld) -> None:
    manager = api_world.api(api_world.manager_a)
    for query, field in (
        ("since=yesterday", "since"),
        ("kind=lost_baggage", "kind"),
        ("since=2026-03-01&until=2026-02-01", "since"),
        (f"location_id={api_world.location_b.id}", "location_id"),
    ):
        refused = manager.get(f"/reports/failure-map?{query}")
        assert refused.status_code in (403, 422), (query, refused.text)
        assert refused.headers["content-type"] == "application/problem+json"
        assert refused.json()["field"] == field, query
