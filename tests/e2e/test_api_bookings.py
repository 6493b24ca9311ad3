"""The hotel's PMS and the web shop through the API: events in, arrivals and late orders out."""

from __future__ import annotations

from typing import Any

from api_personas import Api, ApiWorld

from heedful.core.engine.reactions import process_events

pytest_plugins = ["api_personas"]


def _event(world: ApiWorld, number: int, event_type: str, **data: Any) -> dict[str, Any]:
    return {
        "specversion": "1.0",
        "id": f"pms-{number}",
        "source": "urn:hotel:pms",
        "type": event_type,
        "time": f"2026-03-01T0{number}:00:00+02:00",
        "data": {"location": world.location_a.id, **data},
    }


def test_a_booking_sent_by_the_pms_is_in_tomorrows_arrivals_and_on_her_card(
    api: Api, api_world: ApiWorld
) -> None:
    anna = api.create_customer("Anna Koval", home_location_id=api_world.location_a.id)
    who = {"id": anna["id"]}
    sent = [
        _event(
            api_world,
            1,
            "heedful.booking.upserted",
            customer=who,
            booking="B-512",
            arrival="2026-03-03T14:00:00+02:00",
            departure="2026-03-05T12:00:00+02:00",
            room="512",
            room_type="Deluxe",
            guests=2,
        ),
        _event(
            api_world,
            2,
            "heedful.order.upserted",
            customer=who,
            order="1042",
            status="shipped",
            promised="2026-03-06",
            expected="2026-03-09",
            carrier="DHL",
        ),
    ]
    for event in sent:
        assert api.post("/events", json=event).status_code == 202
    process_events(api_world.container.uow, api_world.clock)

    arrivals = api.get("/bookings?arriving=tomorrow").json()
    assert [(b["reference"], b["room"], b["nights"]) for b in arrivals] == [("B-512", "512", 2)]
    b_staff = api.as_(api_world.agent_b)
    assert b_staff.get("/bookings?arriving=tomorrow").json() == []
    late = api.get("/orders?late=true").json()
    assert [(o["reference"], o["expected_on"], o["late"]) for o in late] == [
        ("1042", "2026-03-09", True)
    ]
    hers = api.get(f"/customers/{anna['id']}/dealings").json()
    assert [b["room"] for b in hers["bookings"]] == ["512"]
    assert [o["carrier"] for o in hers["orders"]] == ["DHL"]
    assert (hers["booking_count"], hers["order_count"], hers["account_count"]) == (1, 1, 0)
    # The front desk's screen: the card and her state in one request, the same state.
    card = api.get(f"/customers/{anna['id']}/card?include=dealings").json()
    assert card["customer"]["id"] == anna["id"]
    assert card["dealings"] == hers
    assert api.get(f"/customers/{anna['id']}/card").json()["dealings"] is None
    wrong = api.get(f"/customers/{anna['id']}/card?include=everything")
    assert wrong.status_code == 422
    assert "include" in wrong.text


def test_a_day_that_is_no_day_is_refused_naming_the_field(api: Api) -> None:
    response = api.get("/bookings?arriving=someday")
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    assert "arriving" in response.text
    response = api.get("/bookings?arriving=2026-02-30")
    assert response.status_code == 422
    assert response.json()["field"] == "arriving"
