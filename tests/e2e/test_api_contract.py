"""The API's promises to integrators: problem+json naming the field, tokens, Idempotency-Key,
and nothing half-written."""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING, Any

import pytest

from heedful.core.access.model import Role

if TYPE_CHECKING:
    from api_personas import Api, ApiWorld

pytest_plugins = ["api_personas"]  # the API's personas and client; see that module

PROBLEM = "application/problem+json"


def _problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert body["title"]
    assert body["detail"]
    return body


@pytest.mark.parametrize(
    ("body", "field"),
    [
        pytest.param(
            {"full_name": "Anna", "identities": [{"kind": "phone", "value": "12-34"}]},
            "identities[0].value",
            id="bad phone",
        ),
        pytest.param(
            {
                "full_name": "Anna",
                "identities": [
                    {"kind": "email", "value": "anna@example.com"},
                    {"kind": "email", "value": "not an address"},
                ],
            },
            "identities[1].value",
            id="bad second e-mail",
        ),
        pytest.param({"full_name": "Anna", "language": "de"}, "language", id="unknown language"),
        pytest.param({"full_name": "Anna", "time_zone": "Mars/Olympus"}, "time_zone", id="zone"),
        pytest.param({"full_name": "   "}, "full_name", id="blank name"),
        pytest.param({"full_name": "Anna", "vip": True}, "vip", id="unknown field"),
        pytest.param({}, "full_name", id="no name"),
    ],
)
def test_a_rejected_customer_names_the_field_at_fault(
    api: Api, body: dict[str, Any], field: str
) -> None:
    problem = _problem(api.post("/customers", json=body), 422)
    assert problem["field"] == field
    assert field in [e["field"] for e in problem["errors"]]
    assert api.all_customer_ids() == []


@pytest.mark.parametrize(
    ("item", "field"),
    [
        pytest.param({"attributes": {}, "quantity": False}, "items[0].quantity", id="false"),
        pytest.param({"attributes": {}, "quantity": "2"}, "items[0].quantity", id="string"),
        pytest.param({"attributes": {}, "quantity": 1.5}, "items[0].quantity", id="float"),
        pytest.param({"attributes": {}, "quantity": 0}, "items[0].quantity", id="zero"),
        pytest.param({"attributes": {}, "amount_minor": True}, "items[0].amount_minor", id="amt"),
    ],
)
def test_numbers_are_strict_and_a_boolean_is_never_a_quantity(
    api: Api, item: dict[str, Any], field: str
) -> None:
    anna = api.create_customer("Anna")
    response = api.post(
        f"/customers/{anna['id']}/purchases",
        json={"occurred_at": "2026-03-02T08:30:00+02:00", "items": [item]},
    )
    assert _problem(response, 422)["field"] == field
    assert api.get(f"/customers/{anna['id']}/history").json() == []


def test_a_purchase_without_a_utc_offset_or_from_the_future_is_refused(api: Api) -> None:
    anna = api.create_customer("Anna")
    for occurred_at in ("2026-03-02T08:30:00", "2026-03-09T08:30:00+00:00"):
        response = api.post(f"/customers/{anna['id']}/purchases", json={"occurred_at": occurred_at})
        assert _problem(response, 422)["field"] == "occurred_at"


def test_a_malformed_json_body_is_a_400_problem(api: Api) -> None:
    response = api.post(
        "/customers", content=b'{"full_name": "Anna",', headers={"Content-Type": "application/json"}
    )
    problem = _problem(response, 400)
    assert problem["field"] == "body"
    assert api.all_customer_ids() == []


def test_a_missing_customer_is_a_404_problem(api: Api) -> None:
    problem = _problem(api.get("/customers/cus_nobody"), 404)
    assert "cus_nobody" in problem["detail"]


def test_requests_without_a_valid_token_are_401(api_world: ApiWorld) -> None:
    stranger = api_world.api(None)
    revoked = api_world.new_token("old till", Role.ADMIN)
    assert api_world.api(revoked).get("/me").status_code == 200
    assert api_world.api(api_world.admin).delete(f"/tokens/{revoked.token_id}").status_code == 200

    for response in (
        stranger.get("/customers"),
        stranger.post("/customers", json={"full_name": "Anna"}),
        stranger.get("/me", headers={"Authorization": "Bearer hdf_not-a-real-token"}),
        stranger.get("/me", headers={"Authorization": "Basic YWRtaW46YWRtaW4="}),
        api_world.api(revoked).get("/me"),
        api_world.api(revoked).post("/customers", json={"full_name": "Anna"}),
    ):
        _problem(response, 401)
        assert response.headers["www-authenticate"] == "Bearer"
    assert api_world.api(api_world.admin).all_customer_ids() == []


def test_a_retried_create_with_the_same_key_answers_the_same_and_creates_one_customer(
    api: Api,
) -> None:
    body = {"full_name": "Anna", "identities": [{"kind": "phone", "value": "0671234567"}]}
    key = {"Idempotency-Key": "till-7-receipt-0001"}

    first = api.post("/customers", json=body, headers=key)
    again = api.post("/customers", json=body, headers=key)

    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert "idempotent-replayed" not in first.headers
    assert again.headers["idempotent-replayed"] == "true"
    assert api.all_customer_ids() == [first.json()["id"]]


def test_a_key_reused_for_another_request_is_refused_naming_the_header(api: Api) -> None:
    key = {"Idempotency-Key": "till-7-receipt-0002"}
    first = api.post("/customers", json={"full_name": "Anna"}, headers=key)
    assert first.status_code == 201

    other_body = api.post("/customers", json={"full_name": "Boris"}, headers=key)
    other_path = api.patch(
        f"/customers/{first.json()['id']}", json={"full_name": "Anna"}, headers=key
    )

    for response in (other_body, other_path):
        assert _problem(response, 422)["field"] == "Idempotency-Key"
    assert api.all_customer_ids() == [first.json()["id"]]
    assert api.get(f"/customers/{first.json()['id']}").json() == first.json()


@pytest.mark.parametrize("key", ["", "   ", "k" * 201])
def test_an_empty_or_overlong_key_is_refused(api: Api, key: str) -> None:
    response = api.post("/customers", json={"full_name": "Anna"}, headers={"Idempotency-Key": key})
    assert _problem(response, 422)["field"] == "Idempotency-Key"
    assert api.all_customer_ids() == []


def test_keys_belong_to_one_token_so_another_integrator_may_use_the_same(
    api: Api, api_world: ApiWorld
) -> None:
    web_shop = api_world.api(api_world.new_token("web shop", Role.ADMIN))
    key = {"Idempotency-Key": "order-1"}

    from_the_till = api.post("/customers", json={"full_name": "Anna"}, headers=key)
    from_the_shop = web_shop.post("/customers", json={"full_name": "Anna"}, headers=key)

    assert from_the_till.status_code == from_the_shop.status_code == 201
    assert "idempotent-replayed" not in from_the_shop.headers
    assert from_the_shop.json()["id"] != from_the_till.json()["id"]
    assert len(api.all_customer_ids()) == 2


@pytest.mark.parametrize("with_key", [False, True], ids=["no key", "with key"])
def test_a_create_whose_second_identity_conflicts_leaves_nothing_behind(
    api: Api, with_key: bool
) -> None:
    boris = api.create_customer("Boris", identities=[{"kind": "email", "value": "b@example.com"}])
    key = {"Idempotency-Key": "crm-import-17"} if with_key else {}
    before = api.all_customer_ids()

    response = api.post(
        "/customers",
        json={
            "full_name": "Anna",
            "identities": [
                {"kind": "phone", "value": "0671234567"},
                {"kind": "email", "value": "B@example.com"},
            ],
        },
        headers=key,
    )

    problem = _problem(response, 409)
    assert problem["field"] == "identities[1].value"
    assert problem["existing_id"] == boris["id"]
    assert api.all_customer_ids() == before
    lookup = api.get("/customers/lookup", params={"kind": "phone", "value": "0671234567"})
    assert lookup.status_code == 404  # the first identity was not kept either
    assert api.get("/customers/search", params={"q": "Anna"}).json() == []

    # A failed request does not use up its key: the corrected retry goes through.
    fixed = api.post(
        "/customers",
        json={"full_name": "Anna", "identities": [{"kind": "phone", "value": "0671234567"}]},
        headers=key,
    )
    assert fixed.status_code == 201, fixed.text
    assert "idempotent-replayed" not in fixed.headers


def test_text_with_a_nul_character_is_refused_naming_the_field(api: Api) -> None:
    # PostgreSQL cannot store NUL in text; both backends refuse it alike, before the database.
    anna = api.create_customer("Anna")
    forged_cursor = base64.urlsafe_b64encode(b"2026-03-02T07:00:00+00:00|cus_\x00").decode()
    for response, field in (
        (api.post("/customers", json={"full_name": "An\x00na"}), "full_name"),
        (
            api.post(
                f"/customers/{anna['id']}/purchases",
                json={
                    "occurred_at": "2026-03-02T08:30:00+02:00",
                    "items": [{"attributes": {"drink\x00": "tea"}}],
                },
            ),
            "items[0].attributes",
        ),
        (api.get("/customers/search", params={"q": "An\x00"}), "q"),
        (api.get("/customers/lookup", params={"kind": "external", "value": "\x00"}), "value"),
        (api.get("/customers/cus_%00"), "customer_id"),
        (api.get("/customers", params={"cursor": forged_cursor}), "cursor"),
        (
            api.post(
                "/customers", json={"full_name": "Vera"}, headers={"Idempotency-Key": "k\x00"}
            ),
            "Idempotency-Key",
        ),
    ):
        assert _problem(response, 422)["field"] == field
    assert api.all_customer_ids() == [anna["id"]]
