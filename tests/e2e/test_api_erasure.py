"""Erasure and export of a customer with everything Heedful can hold on her, on both databases.

Oksana is built the way a business builds a customer over weeks: through the API (identities,
preferences, purchases, a visit, promises, a chat, an e-mail thread, a survey answer, a merge,
an event from the shop) and the handlers the console calls. Her export must hold every part of
it; after her erasure no text or JSON column of any table may hold her name, e-mail, phone or
loyalty card, and replaying the request that created her must not bring her record back.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from heedful.adapters.channels.webhook import sign
from heedful.adapters.storage.erasure_registry import text_columns
from heedful.adapters.storage.tables import metadata
from heedful.core.access.model import SYSTEM
from heedful.core.customers.channels import Channel
from heedful.core.customers.commands import RecordConsent
from heedful.core.customers.consent import Purpose
from heedful.core.customers.handlers import record_consent
from heedful.core.engine.reactions import process_events
from heedful.core.engine.timers import fire_due_timers

if TYPE_CHECKING:
    from api_personas import Api, ApiWorld

pytest_plugins = ["api_personas"]

NAME = "Oksana Zhuravska"
EMAIL = "oksana.zhuravska@example.com"
PHONE = "+380671112233"
CARD = "OZCARD4455"
# What must be gone: her name (and its rarer half alone), her e-mail, phone (as stored and as a
# till may type it) and card.
HERS = (NAME, "Zhuravska", EMAIL, PHONE, "0671112233", CARD)
CREATE_KEY = "7b0c1f9e-2d4a-4c55-9a61-0e5b2f3c8d17"  # a random key, as the API reference asks
CREATE = {
    "full_name": NAME,
    "language": "uk",
    "birthday": "1991-04-12",
    "identities": [
        {"kind": "email", "value": EMAIL},
        {"kind": "phone", "value": PHONE},
        {"kind": "loyalty_card", "value": CARD},
    ],
}
OTHER_KEY = "3f1d9a2c-5e7b-4d8f-a0c6-9b2e4f7a1c35"
OTHER_RECORD = {
    "full_name": "O. Zhuravska",
    "identities": [{"kind": "phone", "value": "+380501234567"}],
}
SURVEY = {
    "name": "After the visit",
    "kind": "nps",
    "touchpoint": "visit",
    "texts": {"en": {"question": "Would you recommend us?", "comment_prompt": "Why?"}},
    "choices": [],
    "valid_for_hours": 48,
}


def _ok(response: Any, status: int = 201) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    return body


def _keyed(key: str) -> dict[str, str]:
    return {"Idempotency-Key": key}


def _inbound_email(world: ApiWorld, payload: dict[str, Any]) -> dict[str, Any]:
    raw = json.dumps(payload).encode()
    at = int(world.clock.now().timestamp())
    signature = sign(world.container.settings.webhook_secret, at, raw)
    return _ok(
        world.api().post(
            "/inbound/email",
            content=raw,
            headers={"Heedful-Signature": signature, "Content-Type": "application/json"},
        ),
        202,
    )


def _customer_side(world: ApiWorld, api: Api, oksana: str) -> None:
    location = world.location_a.id
    _ok(
        api.post(
            f"/customers/{oksana}/preferences",
            json={"polarity": "like", "subject": "linen", "note": f"{NAME} asks for linen only"},
            headers=_keyed("c8e2a3f4-pref"),
        )
    )
    _ok(
        api.post(
            f"/customers/{oksana}/consents",
            json={"channel": "email", "purpose": "surveys", "granted": True, "how": "web form"},
        )
    )
    _ok(
        api.post(
            f"/customers/{oksana}/purchases",
            json={
                "occurred_at": "2026-03-01T12:00:00+02:00",
                "location_id": location,
                "items": [{"attributes": {"item": "scarf", "rating": "5"}, "amount_minor": 4000}],
                "amount_minor": 4000,
                "currency": "uah",
                "external_ref": "R-501",
                "note": f"gift wrapped for {NAME}",
            },
            headers=_keyed("c8e2a3f4-purchase"),
        )
    )
    _ok(
        api.post(
            f"/customers/{oksana}/visits",
            json={
                "occurred_at": "2026-03-01T19:00:00+02:00",
                "location_id": location,
                "items": [{"attributes": {"table": f"window table, booked by {NAME}"}}],
            },
        )
    )
    # A second record of her, merged in: its name and phone sit in the merge's snapshots.
    other = _ok(api.post("/customers", json=OTHER_RECORD, headers=_keyed(OTHER_KEY)))
    _ok(
        api.post(
            "/merges",
            json={"survivor_id": oksana, "absorbed_id": other["id"], "reason": f"both {NAME}"},
            headers=_keyed("c8e2a3f4-merge"),
        )
    )


def _promises_and_tasks(world: ApiWorld, oksana: str) -> None:
    agent = world.api(world.agent_a)
    soon = (world.clock.now() + timedelta(hours=2)).isoformat()
    _ok(
        agent.post(
            f"/customers/{oksana}/promises",
            json={
                "kind": "call_back",
                "location_id": world.location_a.id,
                "text": f"Call {NAME} back on {PHONE}",
                "due_at": soon,
            },
            headers=_keyed("c8e2a3f4-promise"),
        )
    )
    # The reminder and then the broken promise's escalation become tasks that quote it.
    world.clock.advance(timedelta(hours=3))
    fire_due_timers(world.container.uow, world.clock)


def _conversations(world: ApiWorld, oksana: str) -> None:
    world.container.settings.conversations_location = world.location_a.id
    _ok(
        world.api(world.manager_a).post(
            "/sla-policies", json={"name": "Everyone", "first_response_minutes": 60}
        )
    )
    mail = _inbound_email(
        world,
        {
            "from": f"{NAME} <{EMAIL}>",
            "to": ["podil@shop.example"],
            "subject": f"Order for {NAME}",
            "text": f"Hello, this is {NAME}, call me on {PHONE}.",
            "headers": {"Message-ID": "<oksana.zhuravska-1@mail.example.com>"},
        },
    )
    agent = world.api(world.agent_a)
    _ok(agent.post(f"/conversations/{mail['thread_id']}/replies", json={"body": f"Dear {NAME},"}))
    _ok(agent.post(f"/conversations/{mail['thread_id']}/notes", json={"body": f"{NAME} is a VIP"}))
    chat = _ok(
        world.api().post(
            "/conversations/chat",
            json={
                "text": f"Hi, {NAME} here, card {CARD}",
                "email": EMAIL,
                "name": NAME,
                "location_id": world.location_a.id,
            },
        )
    )
    _ok(agent.post(f"/conversations/{chat['thread_id']}/replies", json={"body": f"Hi {NAME}!"}))


def _survey_answer(world: ApiWorld, api: Api, oksana: str) -> None:
    survey = _ok(api.post("/surveys", json=SURVEY))
    sent = _ok(api.post(f"/surveys/{survey['id']}/invitations", json={"customer_id": oksana}))
    with world.container.uow() as uow:
        message = uow.outbox.get(sent["message_id"])
    assert message is not None
    url = world.container.survey_links.link(message.context["survey"]["invitation_id"])
    page = url[url.index("/s/") :]
    answered = world.client.post(
        page, data={"score": "2", "comment": f"{NAME} waited forty minutes for the fitting"}
    )
    assert answered.status_code == 200, answered.text


def _shop_event(world: ApiWorld, api: Api) -> None:
    event = {
        "specversion": "1.0",
        "id": "delivered-77",
        "source": "urn:shop:orders",
        "type": "heedful.order.delivered",
        "data": {"customer": {"email": EMAIL}, "order_ref": "ORD-77", "name": NAME},
    }
    response = api.post(
        "/events",
        content=json.dumps(event),
        headers={"Content-Type": "application/cloudevents+json"},
    )
    assert response.status_code == 202, response.text
    process_events(world.container.uow, world.clock)


def _rich_customer(world: ApiWorld, api: Api) -> str:
    oksana = _ok(api.post("/customers", json=CREATE, headers=_keyed(CREATE_KEY)))["id"]
    identified = api.post(
        "/customers/identify",
        json={"identities": [{"kind": "email", "value": EMAIL}]},
        headers=_keyed("c8e2a3f4-identify"),
    )
    assert identified.status_code in (200, 201), identified.text
    _customer_side(world, api, oksana)
    record_consent(
        RecordConsent(oksana, Channel.EMAIL, Purpose.SERVICE, True, f"told {NAME} at the till"),
        world.container.uow(),
        world.clock,
        SYSTEM,
    )
    _conversations(world, oksana)
    _promises_and_tasks(world, oksana)
    _survey_answer(world, api, oksana)
    _shop_event(world, api)
    return str(oksana)


def _where_she_remains(world: ApiWorld) -> list[str]:
    """Every text and JSON value of every table that still holds one of her values."""
    hits = []
    wanted = [value.casefold() for value in HERS]
    columns = text_columns()
    with world.container.engine.connect() as conn:
        for table in metadata.sorted_tables:
            names = sorted(columns[table.name])
            if not names:
                continue
            for row in conn.execute(sa.select(*(table.c[name] for name in names))):
                for name, value in zip(names, row, strict=True):
                    text = (
                        value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
                    )
                    if any(needle in text.casefold() for needle in wanted):
                        hits.append(f"{table.name}.{name}: {text[:120]}")
    return hits


def test_the_export_holds_every_part_of_a_rich_customer(api_world: ApiWorld, api: Api) -> None:
    oksana = _rich_customer(api_world, api)

    document = _ok(api.get(f"/customers/{oksana}/export"), 200)

    for section in (
        "identities",
        "preferences",
        "consent",
        "history",
        "merges",
        "promises",
        "messages",
        "tasks",
        "survey_invitations",
        "survey_answers",
        "conversations",
        "audit_log",
    ):
        assert document[section], f"the export's {section} is empty"
    assert len(document["consent"]) == 2  # every decision, not only the standing one
    assert {h["note"] for h in document["history"]} >= {f"gift wrapped for {NAME}"}
    channels = {thread["channel"] for thread in document["conversations"]}
    assert channels == {"email", "chat"}
    bodies = [m["body"] for thread in document["conversations"] for m in thread["messages"]]
    assert f"Dear {NAME}," in bodies
    assert f"Hi, {NAME} here, card {CARD}" in bodies
    notes = [n["body"] for thread in document["conversations"] for n in thread["notes"]]
    assert notes == [f"{NAME} is a VIP"]
    assert all("visitor_token" not in thread for thread in document["conversations"])
    assert document["survey_answers"][0]["comment"].startswith(NAME)
    assert {"customer.created", "customers.merged"} <= {e["action"] for e in document["audit_log"]}


def test_after_erasure_no_column_of_any_table_holds_her(api_world: ApiWorld, api: Api) -> None:
    oksana = _rich_customer(api_world, api)
    assert _where_she_remains(api_world)  # the search finds her while she is there

    erased = api.post(
        f"/customers/{oksana}/erasure",
        json={"reason": f"written request from {NAME}, {EMAIL}"},
        headers=_keyed("c8e2a3f4-erasure"),
    )

    assert erased.status_code == 200, erased.text
    assert _where_she_remains(api_world) == []
    card = _ok(api.get(f"/customers/{oksana}/card"), 200)
    assert card["customer"]["status"] == "erased"
    assert card["history_count"] == 2  # the purchase and the visit still count
    # The record merged into hers was erased with her: its stored answer is gone too.
    replayed = api.post("/customers", json=OTHER_RECORD, headers=_keyed(OTHER_KEY))
    assert replayed.status_code == 410, replayed.text
    # The erasure's own answer is kept, with the reason as stored (her values taken out).
    again = api.post(
        f"/customers/{oksana}/erasure",
        json={"reason": f"written request from {NAME}, {EMAIL}"},
        headers=_keyed("c8e2a3f4-erasure"),
    )
    assert again.json() == erased.json()
    assert NAME not in again.text


def test_replaying_her_create_after_erasure_answers_gone(api_world: ApiWorld, api: Api) -> None:
    oksana = _ok(api.post("/customers", json=CREATE, headers=_keyed(CREATE_KEY)))["id"]
    before = api.post("/customers", json=CREATE, headers=_keyed(CREATE_KEY))
    assert before.headers.get("Idempotent-Replayed") == "true"
    _ok(api.post(f"/customers/{oksana}/erasure", json={"reason": "her request"}), 200)

    replayed = api.post("/customers", json=CREATE, headers=_keyed(CREATE_KEY))

    assert replayed.status_code == 410, replayed.text
    assert replayed.headers["content-type"].startswith("application/problem+json")
    assert replayed.json()["field"] == "Idempotency-Key"
    assert NAME not in replayed.text
    assert EMAIL not in replayed.text
    # The key stays spent: another body under it is still refused, not run.
    other = api.post("/customers", json={"full_name": "Someone"}, headers=_keyed(CREATE_KEY))
    assert other.status_code == 410
    assert api.get("/customers/search", params={"q": "Zhuravska"}).json() == []
