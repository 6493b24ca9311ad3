"""A hotel's CX index through the HTTP API: stays give it product value, stored as cx-2."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from heedful.core.access.model import SYSTEM
from heedful.core.customers.channels import Channel
from heedful.core.customers.commands import RecordConsent
from heedful.core.customers.consent import Purpose
from heedful.core.customers.handlers import record_consent

if TYPE_CHECKING:
    from api_personas import Api, ApiWorld

pytest_plugins = ["api_personas"]

STAY_SURVEY = {
    "name": "After the stay",
    "kind": "csat",
    "touchpoint": "stay",
    "texts": {"en": {"question": "How was your stay?", "comment_prompt": "Why?"}},
}


def test_a_guest_s_two_rated_stays_give_the_hotel_an_index_that_recomputes(
    api_world: ApiWorld, api: Api
) -> None:
    start = api_world.clock.now()
    hotel = api_world.location_a.id
    survey = api.post("/surveys", json=STAY_SURVEY, headers={"Idempotency-Key": "stay-survey"})
    assert survey.status_code == 201, survey.text
    anna = api.create_customer(
        "Anna Koval", language="en", identities=[{"kind": "email", "value": "anna@example.com"}]
    )
    record_consent(
        RecordConsent(anna["id"], Channel.EMAIL, Purpose.SURVEYS, True, "at check-in"),
        api_world.container.uow(),
        api_world.clock,
        SYSTEM,
    )
    for number, stars in (("F-1", "5"), ("F-2", "3")):
        stay = api.post(
            f"/customers/{anna['id']}/visits",
            json={
                "occurred_at": api_world.clock.now().isoformat(),
                "location_id": hotel,
                "items": [{"attributes": {"room_type": "double", "rating": stars}}],
                "external_ref": number,
            },
            headers={"Idempotency-Key": number},
        )
        assert stay.status_code == 201, stay.text
    sent = api.post(
        f"/surveys/{survey.json()['id']}/invitations",
        json={"customer_id": anna["id"], "location_id": hotel},
    )
    assert sent.status_code == 201, sent.text
    with api_world.container.uow() as uow:
        message = uow.outbox.get(sent.json()["message_id"])
    assert message is not None
    url = api_world.container.survey_links.link(message.context["survey"]["invitation_id"])
    answered = api_world.client.post(url[url.index("/s/") :], data={"score": "4"})
    assert answered.status_code == 200, answered.text
    api_world.clock.advance(timedelta(days=1))

    cell = {
        "period_start": start.isoformat(),
        "period_end": (start + timedelta(days=7)).isoformat(),
        "touchpoint": "stay",
        "location_id": hotel,
    }
    stored = api.post("/cx-index", json=cell, headers={"Idempotency-Key": "cx-week"})
    assert stored.status_code == 201, stored.text
    value = stored.json()
    # Emotion: CSAT 4 → 0.75. Product: rating (4 − 1) / 4 = 0.75 (weight 0.4), she came back
    # (two stays) → 1 (weight 0.3), nothing to return on a stay → (0.3 + 0.3) / 0.7.
    assert value["formula_version"] == "cx-2"
    assert value["inputs"]["visits"] == 2
    assert value["inputs"]["repeat_customers"] == 1
    assert value["value"] == round(100 * 0.75 * 0.6 / 0.7, 1) == 64.3

    again = api.get(f"/cx-index/{value['id']}/recomputed").json()
    assert again["same_inputs"] is True
    assert again["from_inputs"] == again["from_data"] == 64.3
