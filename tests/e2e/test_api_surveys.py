"""Surveys through the HTTP API and the customer's answer page, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from heedful.core.access.model import SYSTEM
from heedful.core.customers.channels import Channel
from heedful.core.customers.commands import RecordConsent
from heedful.core.customers.consent import Purpose
from heedful.core.customers.handlers import record_consent

if TYPE_CHECKING:
    from api_personas import Api, ApiWorld

pytest_plugins = ["api_personas"]

SURVEY = {
    "name": "After the visit",
    "kind": "nps",
    "touchpoint": "visit",
    "texts": {
        "uk": {"question": "Чи порадили б ви нас другу?", "comment_prompt": "Чому?"},
        "en": {"question": "Would you recommend us to a friend?", "comment_prompt": "Why?"},
    },
    "choices": [{"key": "staff", "labels": {"uk": "Персонал", "en": "Staff"}}],
    "valid_for_hours": 48,
}


def _guest(api_world: ApiWorld, api: Api, name: str) -> dict[str, Any]:
    email = f"{name.split(maxsplit=1)[0].lower()}@example.com"
    customer = api.create_customer(
        name,
        language="uk",
        home_location_id=api_world.location_a.id,
        identities=[{"kind": "email", "value": email}],
    )
    record_consent(
        RecordConsent(customer["id"], Channel.EMAIL, Purpose.SURVEYS, True, "web form"),
        api_world.container.uow(),
        api_world.clock,
        SYSTEM,
    )
    return customer


def _invite(api_world: ApiWorld, api: Api, survey_id: str, customer_id: str) -> str:
    sent = api.post(f"/surveys/{survey_id}/invitations", json={"customer_id": customer_id})
    assert sent.status_code == 201, sent.text
    with api_world.container.uow() as uow:
        message = uow.outbox.get(sent.json()["message_id"])
    assert message is not None
    # The relay signs the link into the message as it writes it; the same signer makes it here.
    url = api_world.container.survey_links.link(message.context["survey"]["invitation_id"])
    return url[url.index("/s/") :]


def test_a_customer_answers_once_and_the_manager_closes_the_loop(
    api_world: ApiWorld, api: Api
) -> None:
    created = api.post("/surveys", json=SURVEY, headers={"Idempotency-Key": "survey-1"})
    assert created.status_code == 201, created.text
    survey_id = created.json()["id"]
    anna = _guest(api_world, api, "Anna Koval")
    page = _invite(api_world, api, survey_id, anna["id"])

    shown = api_world.client.get(page)
    assert shown.status_code == 200
    assert "Чи порадили б ви нас другу?" in shown.text
    answered = api_world.client.post(
        page, data={"score": "3", "comment": "Чекали пів години", "choices": ["staff"]}
    )
    assert answered.status_code == 200, answered.text
    again = api_world.client.post(page, data={"score": "10"})
    assert again.status_code == 409
    assert "вже відповіли" in again.text

    figures = api.get("/answers/figures", params={"kind": "nps"}).json()
    assert figures[0]["value"] == -100.0
    assert figures[0]["sample_size"] == 1
    assert "promoters" in figures[0]["definition"]
    [answer] = api.get("/answers").json()
    assert (answer["score"], answer["choices"]) == (3, ["staff"])

    manager = api_world.api(api_world.manager_a)
    [loop] = manager.get("/recoveries", params={"open_only": True}).json()
    assert loop["reasons"] == ["detractor"]
    refused = manager.post(f"/recoveries/{loop['id']}/close", json={"root_cause": ""})
    assert refused.status_code == 422
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert refused.json()["field"] == "root_cause"
    closed = manager.post(
        f"/recoveries/{loop['id']}/close",
        json={"root_cause": "waiting_time", "action_taken": "called and apologised"},
    )
    assert closed.status_code == 200, closed.text
    assert closed.json()["closed_in_time"] is True
    promise = api.get(f"/customers/{anna['id']}/promises").json()[0]
    assert (promise["kind"], promise["state"]) == ("recover", "kept")


def test_a_forged_or_expired_link_is_refused(api_world: ApiWorld, api: Api) -> None:
    survey_id = api.post("/surveys", json=SURVEY).json()["id"]
    page = _invite(api_world, api, survey_id, _guest(api_world, api, "Oksana Lys")["id"])
    other = _guest(api_world, api, "Borys Inshyi")
    other_page = _invite(api_world, api, survey_id, other["id"])

    token = page.removeprefix("/s/")
    payload, _, signature = token.partition(".")
    forged = f"/s/{other_page.removeprefix('/s/').partition('.')[0]}.{signature}"
    assert api_world.client.get(forged).status_code == 404
    assert api_world.client.post(forged, data={"score": "0"}).status_code == 404
    # One character of the signature changed (to another: the key is random, so the first
    # character may already be the one we would put there).
    altered = ("y" if signature[0] == "x" else "x") + signature[1:]
    assert api_world.client.get(f"/s/{payload}.{altered}").status_code == 404

    api_world.clock.advance(timedelta(hours=48))
    expired = api_world.client.get(page)
    assert expired.status_code == 410
    assert "минув" in expired.text
    assert api_world.client.post(page, data={"score": "9"}).status_code == 409
    assert api.get("/answers").json() == []


def test_the_cap_and_consent_are_said_not_hidden(api_world: ApiWorld, api: Api) -> None:
    survey_id = api.post("/surveys", json=SURVEY).json()["id"]
    guest = _guest(api_world, api, "Capped Kateryna")
    _invite(api_world, api, survey_id, guest["id"])
    second = api.post(f"/surveys/{survey_id}/invitations", json={"customer_id": guest["id"]})
    assert second.status_code == 200
    assert second.json()["id"] is None
    assert "surveyed recently" in second.json()["skipped"]
    silent = api.create_customer("Silent Stepan", home_location_id=api_world.location_a.id)
    third = api.post(f"/surveys/{survey_id}/invitations", json={"customer_id": silent["id"]})
    assert "no e-mail" in third.json()["skipped"]
