"""Names refuse hidden characters on every API path, as problem+json naming the field."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from api_personas import Api, ApiWorld

pytest_plugins = ["api_personas"]

RLO, ZWSP = "\u202e", "\u200b"


def _cases(world: ApiWorld) -> list[tuple[str, str, dict[str, Any], str]]:
    loc = world.location_a.id
    return [
        ("POST", "/customers", {"full_name": f"Anna{RLO}txt.exe"}, "full_name"),
        (
            "POST",
            "/customers",
            {
                "full_name": "Anna",
                "identities": [{"kind": "phone", "value": "+380671234567", "label": f"w{ZWSP}"}],
            },
            "identities[0].label",
        ),
        (
            "POST",
            "/customers",
            {"full_name": "Anna", "identities": [{"kind": "email", "value": f"a{ZWSP}@x.com"}]},
            "identities[0].value",
        ),
        (
            "POST",
            "/customers/identify",
            {
                "identities": [{"kind": "email", "value": "anna@example.com"}],
                "full_name": f"{ZWSP}Anna",
                "location_id": loc,
            },
            "full_name",
        ),
        (
            "POST",
            "/locations",
            {"name": f"Podil{RLO}", "kind": "hotel", "country": "UA", "time_zone": "Europe/Kyiv"},
            "name",
        ),
        ("POST", "/tokens", {"name": f"till{ZWSP}", "role": "admin"}, "name"),
    ]


@pytest.mark.parametrize("case", range(6))
def test_a_hidden_character_in_a_name_is_refused_naming_the_field(
    api: Api, api_world: ApiWorld, case: int
) -> None:
    method, path, body, field = _cases(api_world)[case]

    refused = api.request(method, path, json=body)

    assert refused.status_code == 422, refused.text
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.json()["field"] == field
    assert api.get("/customers").json()["items"] == []


def test_a_rename_with_a_zero_width_space_leaves_the_name_as_it_was(api: Api) -> None:
    anna = api.create_customer("Anna")

    refused = api.patch(f"/customers/{anna['id']}", json={"full_name": f"An{ZWSP}na"})

    assert refused.status_code == 422
    assert refused.json()["field"] == "full_name"
    assert api.get(f"/customers/{anna['id']}").json()["full_name"] == "Anna"


def test_a_lone_surrogate_in_a_name_is_a_422_not_a_database_error(api: Api) -> None:
    # JSON may escape half of a UTF-16 pair ("\ud800"); no database can store it as text.
    refused = api.post(
        "/customers",
        content='{"full_name": "Anna \\ud800"}',
        headers={"Content-Type": "application/json"},
    )

    assert refused.status_code == 422, refused.text
    assert refused.json()["field"] == "full_name"
