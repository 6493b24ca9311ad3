"""Customers through the HTTP API, as an integrator's till, booking system or web shop uses it."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from api_personas import Api, ApiWorld

pytest_plugins = ["api_personas"]  # the API's personas and client; see that module

KYIV_PHONE = "0671234567"


def _purchase(api: Api, customer_id: str, ref: str | None = None, **extra: Any) -> dict[str, Any]:
    body = {
        "occurred_at": "2026-03-02T08:30:00+02:00",
        "items": [{"attributes": {"drink": "flat white", "size": "M"}, "amount_minor": 9500}],
        "amount_minor": 9500,
        "currency": "uah",
        **({"external_ref": ref} if ref else {}),
        **extra,
    }
    response = api.post(f"/customers/{customer_id}/purchases", json=body)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def _everything_about(api: Api, customer_id: str) -> dict[str, Any]:
    return {
        part: api.get(f"/customers/{customer_id}{suffix}").json()
        for part, suffix in (
            ("customer", ""),
            ("preferences", "/preferences?include_retracted=true"),
            ("consents", "/consents"),
            ("history", "/history"),
        )
    }


def test_a_customer_is_created_read_changed_and_shown_on_the_card(
    api: Api, api_world: ApiWorld
) -> None:
    created = api.create_customer(
        "  Олена   Шевченко ",
        language="uk",
        time_zone="Europe/Kyiv",
        birthday="1990-05-17",
        identities=[{"kind": "phone", "value": "+38 (067) 123-45-67", "label": "mobile"}],
    )
    assert created["full_name"] == "Олена Шевченко"
    assert [(i["kind"], i["value"]) for i in created["identities"]] == [("phone", "+380671234567")]

    read = api.get(f"/customers/{created['id']}")
    assert read.status_code == 200
    assert read.json() == created

    api_world.clock.advance(timedelta(hours=1))
    changed = api.patch(
        f"/customers/{created['id']}",
        json={"language": "ru", "segment": "vip", "home_location_id": api_world.location_a.id},
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["language"] == "ru"
    assert changed.json()["segment"] == "vip"
    assert changed.json()["location_ids"] == [api_world.location_a.id]
    assert changed.json()["updated_at"] > created["updated_at"]
    assert changed.json()["birthday"] == "1990-05-17"  # untouched fields stay

    cleared = api.patch(f"/customers/{created['id']}", json={"birthday": None})
    assert cleared.json()["birthday"] is None

    _purchase(api, created["id"])
    card = api.get(f"/customers/{created['id']}/card")
    assert card.status_code == 200
    assert card.json()["customer"]["language"] == "ru"
    assert card.json()["customer"]["identities"][0]["value"] == "+380671234567"
    assert card.json()["history_count"] == 1
    assert card.json()["recent_history"][0]["items"][0]["attributes"]["drink"] == "flat white"


def test_a_phone_typed_in_any_format_finds_the_customer(api: Api) -> None:
    anna = api.create_customer(
        "Anna Kovalenko",
        identities=[
            {"kind": "phone", "value": KYIV_PHONE},
            {"kind": "email", "value": "Anna.K@Example.com"},
            {"kind": "loyalty_card", "value": "ab 1234-5678"},
        ],
    )

    for kind, typed in (
        ("phone", "+38 (067) 123-45-67"),
        ("phone", "380671234567"),
        ("phone", "067 123 45 67"),
        ("email", " anna.k@EXAMPLE.COM "),
        ("loyalty_card", "AB12345678"),
    ):
        found = api.get("/customers/lookup", params={"kind": kind, "value": typed})
        assert found.status_code == 200, (typed, found.text)
        assert found.json()["id"] == anna["id"]
        assert len(found.json()["identities"]) == 3

    nobody = api.get("/customers/lookup", params={"kind": "phone", "value": "+380501112233"})
    assert nobody.status_code == 404
    assert nobody.headers["content-type"] == "application/problem+json"


def test_search_finds_customers_by_a_cyrillic_name_prefix_and_by_phone(api: Api) -> None:
    olena = api.create_customer(
        "Олена Шевченко", identities=[{"kind": "phone", "value": KYIV_PHONE}]
    )
    oleh = api.create_customer("Олег Петренко")
    api.create_customer("Anna Kovalenko")

    def search(text: str) -> set[str]:
        response = api.get("/customers/search", params={"q": text})
        assert response.status_code == 200, response.text
        return {c["id"] for c in response.json()}

    assert search("оле") == {olena["id"], oleh["id"]}
    assert search("ОЛЕ") == {olena["id"], oleh["id"]}
    assert search("шевч") == {olena["id"]}
    assert search("Олена Ш") == {olena["id"]}
    assert search("+38 067 123 45 67") == {olena["id"]}
    assert search("0671234567") == {olena["id"]}
    assert search("Борис") == set()


def test_pages_with_cursors_walk_every_customer_exactly_once(api: Api, api_world: ApiWorld) -> None:
    created = []
    for number in range(25):
        created.append(api.create_customer(f"Customer {number:02d}")["id"])
        if number % 3 == 0:  # many share a creation time: the cursor must break ties
            api_world.clock.advance(timedelta(seconds=1))

    seen: list[str] = []
    sizes = []
    cursor = None
    while True:
        params: dict[str, Any] = {"limit": 10, **({"cursor": cursor} if cursor else {})}
        page = api.get("/customers", params=params)
        assert page.status_code == 200, page.text
        sizes.append(len(page.json()["items"]))
        seen += [c["id"] for c in page.json()["items"]]
        cursor = page.json()["next_cursor"]
        if cursor is None:
            break

    assert sizes == [10, 10, 5]
    assert len(seen) == len(set(seen)) == 25
    assert set(seen) == set(created)


def test_identify_merges_two_records_that_each_hold_one_identity(
    api: Api, api_world: ApiWorld
) -> None:
    from_the_shop = api.create_customer(
        "Anna Kovalenko", identities=[{"kind": "phone", "value": KYIV_PHONE}]
    )
    api_world.clock.advance(timedelta(days=3))
    from_the_chat = api.create_customer(
        "anna.k", identities=[{"kind": "email", "value": "anna.k@example.com"}]
    )

    identified = api.post(
        "/customers/identify",
        json={
            "identities": [
                {"kind": "phone", "value": "+38 067 123 45 67"},
                {"kind": "email", "value": "ANNA.K@example.com"},
            ],
            "location_id": api_world.location_b.id,
        },
    )

    assert identified.status_code == 200, identified.text
    person = identified.json()
    assert person["id"] == from_the_shop["id"]  # the older record survives
    assert person["full_name"] == "Anna Kovalenko"
    assert {i["value"] for i in person["identities"]} == {"+380671234567", "anna.k@example.com"}
    assert api_world.location_b.id in person["location_ids"]
    # The absorbed record's id still answers, with the survivor.
    assert api.get(f"/customers/{from_the_chat['id']}").json()["id"] == from_the_shop["id"]
    assert api.all_customer_ids() == [from_the_shop["id"]]

    again = api.post(
        "/customers/identify",
        json={"identities": [{"kind": "email", "value": "anna.k@example.com"}]},
    )
    assert again.status_code == 200
    assert again.json()["id"] == from_the_shop["id"]


def test_undoing_a_merge_restores_both_customers_attribute_for_attribute(
    api: Api, api_world: ApiWorld
) -> None:
    anna = api.create_customer(
        "Anna Kovalenko", identities=[{"kind": "phone", "value": KYIV_PHONE}]
    )
    api.post(
        f"/customers/{anna['id']}/preferences",
        json={"polarity": "like", "subject": "flat white", "category": "drink"},
    )
    api.post(
        f"/customers/{anna['id']}/consents",
        json={"channel": "sms", "purpose": "service", "granted": True, "how": "at the till"},
    )
    _purchase(api, anna["id"], ref="R-1", location_id=api_world.location_a.id)

    api_world.clock.advance(timedelta(days=2))
    hanna = api.create_customer(
        "Hanna Kovalenko",
        language="uk",
        segment="vip",
        birthday="1990-05-17",
        home_location_id=api_world.location_b.id,
        identities=[{"kind": "email", "value": "hanna@example.com"}],
    )
    api.post(
        f"/customers/{hanna['id']}/preferences",
        json={"polarity": "never", "subject": "peanuts", "category": "food", "note": "allergy"},
    )
    retracted = api.post(
        f"/customers/{hanna['id']}/preferences",
        json={"polarity": "dislike", "subject": "window seats"},
    ).json()
    api.delete(f"/customers/{hanna['id']}/preferences/{retracted['id']}")
    api.post(
        f"/customers/{hanna['id']}/consents",
        json={"channel": "email", "purpose": "marketing", "granted": False, "how": "web form"},
    )
    api.post(
        f"/customers/{hanna['id']}/visits",
        json={
            "occurred_at": "2026-03-03T19:00:00+00:00",
            "external_ref": "BK-7",
            "location_id": api_world.location_b.id,
            "note": "table by the window",
        },
    )

    before = {cid: _everything_about(api, cid) for cid in (anna["id"], hanna["id"])}

    api_world.clock.advance(timedelta(days=1))
    merged = api.post(
        "/merges",
        json={
            "survivor_id": anna["id"],
            "absorbed_id": hanna["id"],
            "reason": "same phone at the till",
        },
    )
    assert merged.status_code == 201, merged.text
    survivor = api.get(f"/customers/{anna['id']}").json()
    assert survivor["segment"] == "vip"
    assert survivor["birthday"] == "1990-05-17"
    assert len(survivor["identities"]) == 2
    assert len(api.get(f"/customers/{anna['id']}/history").json()) == 2
    assert api.get(f"/customers/{hanna['id']}").json()["id"] == anna["id"]

    api_world.clock.advance(timedelta(hours=1))
    undone = api.post(f"/merges/{merged.json()['id']}/undo")
    assert undone.status_code == 200, undone.text
    assert undone.json()["undone_at"] is not None
    assert undone.json()["notes"] == []

    after = {cid: _everything_about(api, cid) for cid in (anna["id"], hanna["id"])}
    # Undo is itself a change to the survivor; "last changed" moving on is the truth.
    assert after[anna["id"]]["customer"].pop("updated_at") > before[anna["id"]]["customer"].pop(
        "updated_at"
    )
    assert after == before
    assert sorted(api.all_customer_ids()) == sorted([anna["id"], hanna["id"]])


def test_the_same_receipt_or_booking_sent_twice_is_stored_once(api: Api) -> None:
    anna = api.create_customer("Anna Kovalenko")
    first = _purchase(api, anna["id"], ref="R-2026-0001")

    retried = api.post(
        f"/customers/{anna['id']}/purchases",
        json={"occurred_at": "2026-03-02T08:30:00+02:00", "external_ref": "R-2026-0001"},
    )
    assert retried.status_code == 200, retried.text
    assert retried.json() == first

    booking = {"occurred_at": "2026-03-01T20:00:00+00:00", "external_ref": "R-2026-0001"}
    visit = api.post(f"/customers/{anna['id']}/visits", json=booking)
    assert visit.status_code == 201  # a visit is another kind of thing, with its own numbers
    assert api.post(f"/customers/{anna['id']}/visits", json=booking).status_code == 200

    history = api.get(f"/customers/{anna['id']}/history").json()
    assert sorted(h["kind"] for h in history) == ["purchase", "visit"]
    assert api.get(f"/customers/{anna['id']}/card").json()["history_count"] == 2


def test_a_visit_at_a_new_location_makes_the_customer_visible_to_its_agents(
    api: Api, api_world: ApiWorld
) -> None:
    agent_a, agent_b = api_world.api(api_world.agent_a), api_world.api(api_world.agent_b)
    anna = agent_a.create_customer(
        "Anna Kovalenko",
        home_location_id=api_world.location_a.id,
        identities=[{"kind": "phone", "value": KYIV_PHONE}],
    )
    assert agent_b.get(f"/customers/{anna['id']}").status_code == 404
    assert agent_b.get("/customers/search", params={"q": "Anna"}).json() == []
    assert agent_b.all_customer_ids() == []

    visit = api.post(
        f"/customers/{anna['id']}/visits",
        json={"occurred_at": "2026-03-02T08:00:00+02:00", "location_id": api_world.location_b.id},
    )
    assert visit.status_code == 201, visit.text

    assert agent_b.get(f"/customers/{anna['id']}").status_code == 200
    assert [c["id"] for c in agent_b.get("/customers/search", params={"q": "Anna"}).json()] == [
        anna["id"]
    ]
    assert agent_b.all_customer_ids() == [anna["id"]]
    looked_up = agent_b.get("/customers/lookup", params={"kind": "phone", "value": KYIV_PHONE})
    assert looked_up.status_code == 200


def test_an_export_holds_everything_known_about_the_customer(api: Api, api_world: ApiWorld) -> None:
    anna = api.create_customer(
        "Anna Kovalenko",
        birthday="1990-05-17",
        identities=[
            {"kind": "phone", "value": KYIV_PHONE},
            {"kind": "email", "value": "anna@example.com"},
        ],
    )
    preference = api.post(
        f"/customers/{anna['id']}/preferences", json={"polarity": "never", "subject": "peanuts"}
    ).json()
    consent = api.post(
        f"/customers/{anna['id']}/consents",
        json={"channel": "email", "purpose": "marketing", "granted": True, "how": "web form"},
    ).json()
    purchase = _purchase(api, anna["id"], ref="R-1", location_id=api_world.location_a.id)

    exported = api.get(f"/customers/{anna['id']}/export")

    assert exported.status_code == 200, exported.text
    document = exported.json()
    assert document["format"] == "heedful.customer-export/1"
    assert document["customer"]["full_name"] == "Anna Kovalenko"
    assert document["customer"]["birthday"] == "1990-05-17"
    assert {i["value"] for i in document["identities"]} == {"+380671234567", "anna@example.com"}
    assert [p["id"] for p in document["preferences"]] == [preference["id"]]
    assert [c["id"] for c in document["consent"]] == [consent["id"]]
    assert [h["id"] for h in document["history"]] == [purchase["id"]]
    assert document["history"][0]["items"][0]["attributes"] == {"drink": "flat white", "size": "M"}
    actions = {entry["action"] for entry in document["audit_log"]}
    assert {
        "customer.created",
        "identity.added",
        "preference.recorded",
        "consent.granted",
        "purchase.recorded",
    } <= actions


def test_erasure_removes_the_phone_and_keeps_the_history_count(api: Api) -> None:
    anna = api.create_customer(
        "Anna Kovalenko", identities=[{"kind": "phone", "value": KYIV_PHONE}]
    )
    api.post(f"/customers/{anna['id']}/preferences", json={"polarity": "like", "subject": "tea"})
    _purchase(api, anna["id"], ref="R-1")
    _purchase(api, anna["id"], ref="R-2", note="asked about Anna's sister")

    erased = api.post(f"/customers/{anna['id']}/erasure", json={"reason": "her written request"})

    assert erased.status_code == 200, erased.text
    assert erased.json()["removed"]["identity"] == 1
    assert erased.json()["removed"]["preference"] == 1
    lookup = api.get("/customers/lookup", params={"kind": "phone", "value": KYIV_PHONE})
    assert lookup.status_code == 404
    assert api.get("/customers/search", params={"q": "Anna"}).json() == []
    card = api.get(f"/customers/{anna['id']}/card").json()
    assert card["history_count"] == 2
    assert card["customer"]["full_name"] != "Anna Kovalenko"
    assert card["customer"]["status"] == "erased"
    assert card["customer"]["identities"] == []
    assert all(h["note"] == "" for h in api.get(f"/customers/{anna['id']}/history").json())
    assert "Anna" not in api.get(f"/customers/{anna['id']}/export").text

    # The phone is free again: the same person may come back as a new customer.
    again = api.create_customer("Anna K.", identities=[{"kind": "phone", "value": KYIV_PHONE}])
    assert again["id"] != anna["id"]


def test_a_preference_may_name_attributes_and_a_blank_one_is_refused_by_name(api: Api) -> None:
    anna = api.create_customer("Anna Kovalenko", identities=[{"kind": "email", "value": "a@x.ua"}])
    made = api.post(
        f"/customers/{anna['id']}/preferences",
        json={
            "polarity": "like",
            "subject": "Lypky in size M",
            "category": "brand",
            "attributes": {"Brand": "Lypky", "size": "M "},
        },
    )
    assert made.status_code == 201, made.text
    assert made.json()["attributes"] == {"brand": "lypky", "size": "m"}

    refused = api.post(
        f"/customers/{anna['id']}/preferences",
        json={"polarity": "like", "subject": "Lypky", "attributes": {"brand": " "}},
    )
    assert refused.status_code == 422
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert refused.json()["field"] == "attributes"
