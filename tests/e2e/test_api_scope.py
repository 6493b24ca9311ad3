"""Location scope on the identity paths: identify, create, look-up and the explicit link (ADR 0024).

Zora is a guest of location B only. Staff of location A must neither see her nor pull her to A by
typing her e-mail or loyalty card; what they get must be what they would get for any identity
another customer holds, without her id, her name or a trace in her record.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from api_personas import Api, ApiWorld
    from httpx import Response

pytest_plugins = ["api_personas"]

# Headers that differ between any two requests; everything else must match.
_PER_REQUEST = {"date", "x-request-id"}


def _same_length_email(prefix: str) -> str:
    return f"{prefix}.{uuid.uuid4().hex[:8]}@example.com"


def _guest_of_b(api_world: ApiWorld, name: str = "Zora Lysenko") -> dict[str, Any]:
    return api_world.api(api_world.admin).create_customer(
        name,
        home_location_id=api_world.location_b.id,
        identities=[
            {"kind": "email", "value": _same_length_email("zora")},
            {"kind": "loyalty_card", "value": f"LC-{uuid.uuid4().hex[:10]}"},
        ],
    )


def _identity(customer: dict[str, Any], kind: str) -> str:
    return str(next(i["value"] for i in customer["identities"] if i["kind"] == kind))


def _headers(response: Response) -> dict[str, str]:
    return {k: v for k, v in response.headers.items() if k not in _PER_REQUEST}


def _identify(api: Api, location_id: str, kind: str, value: str, **extra: Any) -> Response:
    return api.post(
        "/customers/identify",
        json={"identities": [{"kind": kind, "value": value}], "location_id": location_id, **extra},
    )


@pytest.mark.parametrize("kind", ["email", "loyalty_card"])
@pytest.mark.parametrize("persona", ["manager_a", "agent_a"])
def test_identify_with_another_locations_guests_identity_shows_and_links_nothing(
    api_world: ApiWorld, persona: str, kind: str
) -> None:
    zora = _guest_of_b(api_world)
    admin = api_world.api(api_world.admin)
    audit_before = admin.get(f"/customers/{zora['id']}/audit").json()
    staff_a = api_world.api(api_world.persona(persona))

    answer = _identify(staff_a, api_world.location_a.id, kind, _identity(zora, kind))

    assert answer.status_code == 409
    assert answer.headers["content-type"] == "application/problem+json"
    problem = answer.json()
    assert problem["field"] == "identities[0].value"
    assert problem["existing_id"] is None
    assert zora["id"] not in answer.text
    assert "Zora" not in answer.text
    assert admin.get(f"/customers/{zora['id']}").json()["location_ids"] == [api_world.location_b.id]
    assert admin.get(f"/customers/{zora['id']}/audit").json() == audit_before
    assert staff_a.get(f"/customers/{zora['id']}").status_code == 404


def test_a_taken_identity_gets_one_answer_whoever_holds_it_elsewhere(api_world: ApiWorld) -> None:
    """Two guests of B: A's agent cannot tell them apart, nor from the answer's shape."""
    zora, yana = _guest_of_b(api_world), _guest_of_b(api_world, "Yana Bondar")
    agent_a = api_world.api(api_world.agent_a)
    loc_a = api_world.location_a.id

    def create_with(email: str) -> Response:
        return agent_a.post(
            "/customers",
            json={
                "full_name": "Someone",
                "home_location_id": loc_a,
                "identities": [{"kind": "email", "value": email}],
            },
        )

    anna = api_world.api(api_world.admin).create_customer("Anna", home_location_id=loc_a)

    def add_to_anna(email: str) -> Response:
        return agent_a.post(
            f"/customers/{anna['id']}/identities", json={"kind": "email", "value": email}
        )

    for ask in (lambda email: _identify(agent_a, loc_a, "email", email), create_with, add_to_anna):
        first, second = ask(_identity(zora, "email")), ask(_identity(yana, "email"))
        assert first.status_code == second.status_code == 409
        assert first.json() == second.json()
        assert _headers(first) == _headers(second)


def test_a_taken_identity_names_its_holder_only_to_staff_who_may_see_her(
    api_world: ApiWorld,
) -> None:
    admin, agent_a = api_world.api(api_world.admin), api_world.api(api_world.agent_a)
    loc_a = api_world.location_a.id
    anna = admin.create_customer(
        "Anna", home_location_id=loc_a, identities=[{"kind": "email", "value": "a@example.com"}]
    )
    zora = _guest_of_b(api_world)
    body = {"full_name": "Someone", "home_location_id": loc_a}

    here = agent_a.post(
        "/customers", json={**body, "identities": [{"kind": "email", "value": "a@example.com"}]}
    )
    elsewhere = agent_a.post(
        "/customers",
        json={**body, "identities": [{"kind": "email", "value": _identity(zora, "email")}]},
    )

    assert here.status_code == elsewhere.status_code == 409
    assert here.json()["existing_id"] == anna["id"]  # hers to open and merge
    assert elsewhere.json()["existing_id"] is None
    assert {**here.json(), "existing_id": None} == elsewhere.json()


def test_a_look_up_of_another_locations_guest_answers_as_for_nobody_both_ways(
    api_world: ApiWorld,
) -> None:
    zora = _guest_of_b(api_world)
    agent_a = api_world.api(api_world.agent_a)
    agent_a.get("/customers/search", params={"q": "x"})  # the token is checked and cached
    hers = {"kind": "email", "value": _identity(zora, "email")}
    nobodys = {"kind": "email", "value": _same_length_email("nora")}

    for extra in ({}, {"via": "route"}):  # the lean path, then FastAPI's route
        elsewhere = agent_a.get("/customers/lookup", params={**hers, **extra})
        unknown = agent_a.get("/customers/lookup", params={**nobodys, **extra})
        assert elsewhere.status_code == unknown.status_code == 404
        assert zora["id"] not in elsewhere.text
        assert _headers(elsewhere) == _headers(unknown)
        assert elsewhere.json()["detail"].replace(hers["value"], "") == unknown.json()[
            "detail"
        ].replace(nobodys["value"], "")


def test_an_admin_links_a_guest_to_another_location_on_the_record(api_world: ApiWorld) -> None:
    zora = _guest_of_b(api_world)
    admin, manager_a = api_world.api(api_world.admin), api_world.api(api_world.manager_a)
    loc_a = api_world.location_a.id
    api_world.clock.advance(timedelta(minutes=5))

    linked = admin.post(
        f"/customers/{zora['id']}/locations",
        json={"location_id": loc_a, "reason": "she moved to Kyiv"},
        headers={"Idempotency-Key": "link-zora"},
    )

    assert linked.status_code == 200, linked.text
    assert sorted(linked.json()["location_ids"]) == sorted([loc_a, api_world.location_b.id])
    entry = next(
        e
        for e in admin.get(f"/customers/{zora['id']}/audit").json()
        if e["action"] == "customer.location_linked"
    )
    assert (entry["actor_id"], entry["actor_label"]) == (
        api_world.admin.token_id,
        "API token admin",
    )
    assert entry["after"] == {"location_id": loc_a, "reason": "she moved to Kyiv"}
    assert entry["at"].startswith(api_world.clock.now().isoformat()[:19])
    # From now on A's staff find her by her card, and identify no longer refuses.
    found = _identify(manager_a, loc_a, "loyalty_card", _identity(zora, "loyalty_card"))
    assert found.status_code == 200
    assert found.json()["id"] == zora["id"]
    # Linking again changes nothing and writes nothing.
    again = admin.post(f"/customers/{zora['id']}/locations", json={"location_id": loc_a})
    assert again.status_code == 200
    audit = admin.get(f"/customers/{zora['id']}/audit").json()
    assert [e["action"] for e in audit].count("customer.location_linked") == 1


def test_scoped_staff_cannot_pull_a_guest_to_their_location(api_world: ApiWorld) -> None:
    zora = _guest_of_b(api_world)
    loc_a, loc_b = api_world.location_a.id, api_world.location_b.id
    manager_a, manager_b = api_world.api(api_world.manager_a), api_world.api(api_world.manager_b)

    pulled = manager_a.post(f"/customers/{zora['id']}/locations", json={"location_id": loc_a})
    pushed = manager_b.post(f"/customers/{zora['id']}/locations", json={"location_id": loc_a})

    assert pulled.status_code == 404  # as for any customer they cannot see
    assert pushed.status_code == 403
    assert pushed.json()["field"] == "location_id"
    zora_now = api_world.api(api_world.admin).get(f"/customers/{zora['id']}").json()
    assert zora_now["location_ids"] == [loc_b]


def test_an_admins_identify_across_locations_is_in_the_customers_audit_log(
    api_world: ApiWorld,
) -> None:
    zora = _guest_of_b(api_world)
    admin = api_world.api(api_world.admin)

    found = _identify(admin, api_world.location_a.id, "email", _identity(zora, "email"))

    assert found.status_code == 200
    audit = admin.get(f"/customers/{zora['id']}/audit").json()
    linked = [e for e in audit if e["action"] == "customer.location_linked"]
    assert [e["after"] for e in linked] == [{"location_id": api_world.location_a.id}]
