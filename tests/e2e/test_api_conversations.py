"""Conversations, chat, inbound e-mail and SLA policies through the HTTP API, on both databases.

Location A (Podil boutique, Kyiv) keeps no opening hours, so its SLA clocks count round the clock;
it is the configured location for e-mail and chat that name no other.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from heedful.adapters.channels.webhook import sign

if TYPE_CHECKING:
    from api_personas import ApiWorld

pytest_plugins = ["api_personas"]
PROBLEM = "application/problem+json"


def _signed_email(world: ApiWorld, payload: dict[str, Any], *, secret: str | None = None) -> Any:
    raw = json.dumps(payload).encode()
    at = int(world.clock.now().timestamp())
    key = secret or world.container.settings.webhook_secret
    return world.api().post(
        "/inbound/email",
        content=raw,
        headers={"Heedful-Signature": sign(key, at, raw), "Content-Type": "application/json"},
    )


def _policy(world: ApiWorld) -> dict[str, Any]:
    # No location has the code "podil" here: mail lands at the configured default, A.
    world.container.settings.conversations_location = world.location_a.id
    response = world.api(world.manager_a).post(
        "/sla-policies",
        json={"name": "Everyone", "first_response_minutes": 60, "resolution_minutes": 1440},
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def _email(world: ApiWorld, **extra: Any) -> dict[str, Any]:
    payload = {
        "from": "Anna Petrenko <anna@example.com>",
        "to": ["podil@shop.example"],
        "subject": "Order 1042",
        "text": "Where is my order?",
        "headers": {"Message-ID": "<anna-1@mail.example.com>"},
        **extra,
    }
    response = _signed_email(world, payload)
    assert response.status_code == 202, response.text
    body: dict[str, Any] = response.json()
    return body


def test_inbound_email_with_a_good_signature_opens_a_thread_with_its_clocks(
    api_world: ApiWorld,
) -> None:
    _policy(api_world)
    received = _email(api_world)

    detail = api_world.api(api_world.agent_a).get(f"/conversations/{received['thread_id']}")

    assert detail.status_code == 200, detail.text
    body = detail.json()
    assert body["subject"] == "Order 1042"
    assert body["messages"][0]["message_id"] == "<anna-1@mail.example.com>"
    assert {c["kind"] for c in body["clocks"]} == {"first_response", "resolution"}
    assert body["promise_id"]
    assert body["next_due_kind"] == "first_response"


def test_inbound_email_with_a_bad_signature_is_refused(api_world: ApiWorld) -> None:
    response = _signed_email(
        api_world, {"from": "x@example.com", "text": "hi"}, secret="not-the-secret"
    )
    assert response.status_code == 401
    assert response.headers["content-type"].startswith(PROBLEM)
    assert response.json()["errors"][0]["field"] == "Heedful-Signature"
    unsigned = api_world.api().post("/inbound/email", json={"from": "x@example.com"})
    assert unsigned.status_code == 401


def test_a_reply_sent_twice_with_one_idempotency_key_is_one_reply(api_world: ApiWorld) -> None:
    _policy(api_world)
    thread_id = _email(api_world)["thread_id"]
    agent = api_world.api(api_world.agent_a)
    headers = {"Idempotency-Key": "reply-1"}

    first = agent.post(
        f"/conversations/{thread_id}/replies", json={"body": "Today."}, headers=headers
    )
    again = agent.post(
        f"/conversations/{thread_id}/replies", json={"body": "Today."}, headers=headers
    )

    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    detail = agent.get(f"/conversations/{thread_id}").json()
    assert [m["direction"] for m in detail["messages"]] == ["in", "out"]
    first_response = next(c for c in detail["clocks"] if c["kind"] == "first_response")
    assert first_response["state"] == "met"
    empty = agent.post(f"/conversations/{thread_id}/replies", json={"body": ""})
    assert empty.status_code == 422
    assert empty.json()["errors"][0]["field"] == "body"


def test_the_inbox_is_scoped_to_the_agents_locations_and_pages_by_cursor(
    api_world: ApiWorld,
) -> None:
    _policy(api_world)
    for n in range(3):
        _email(api_world, headers={"Message-ID": f"<m{n}@mail.example.com>"}, subject=f"Q{n}")

    agent = api_world.api(api_world.agent_a)
    page = agent.get("/conversations", params={"limit": 2})
    rest = agent.get("/conversations", params={"limit": 2, "cursor": page.json()["next_cursor"]})

    assert page.status_code == 200, page.text
    assert len(page.json()["items"]) == 2
    assert len(rest.json()["items"]) == 1
    assert rest.json()["next_cursor"] is None
    assert api_world.api(api_world.agent_b).get("/conversations").json()["items"] == []
    thread_id = page.json()["items"][0]["id"]
    assert api_world.api(api_world.agent_b).get(f"/conversations/{thread_id}").status_code == 404
    assert api_world.api(api_world.evaluator).get("/conversations").status_code == 403


def test_status_pauses_and_notes_stay_internal(api_world: ApiWorld) -> None:
    _policy(api_world)
    thread_id = _email(api_world)["thread_id"]
    agent = api_world.api(api_world.agent_a)

    waiting = agent.post(
        f"/conversations/{thread_id}/status", json={"status": "waiting_on_customer"}
    )
    note = agent.post(f"/conversations/{thread_id}/notes", json={"body": "asked for a photo"})

    assert waiting.status_code == 200, waiting.text
    assert waiting.json()["next_due_at"] is None
    assert note.status_code == 201
    detail = agent.get(f"/conversations/{thread_id}").json()
    assert {c["state"] for c in detail["clocks"]} == {"paused"}
    assert [n["body"] for n in detail["notes"]] == ["asked for a photo"]
    bad = agent.post(f"/conversations/{thread_id}/status", json={"status": "closed"})
    assert bad.status_code == 422


def test_managers_write_sla_policies_and_agents_only_read_them(api_world: ApiWorld) -> None:
    policy = _policy(api_world)
    agent = api_world.api(api_world.agent_a)

    assert (
        agent.post("/sla-policies", json={"name": "x", "first_response_minutes": 5}).status_code
        == 403
    )
    assert [p["id"] for p in agent.get("/sla-policies").json()] == [policy["id"]]
    changed = api_world.api(api_world.manager_a).request(
        "PUT",
        f"/sla-policies/{policy['id']}",
        json={"name": "Faster", "first_response_minutes": 30},
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["first_response_minutes"] == 30
    none = api_world.api(api_world.manager_a).post("/sla-policies", json={"name": "Empty"})
    assert none.status_code == 422
    assert none.json()["errors"][0]["field"] == "first_response_minutes"
    gone = api_world.api(api_world.manager_a).delete(f"/sla-policies/{policy['id']}")
    assert gone.json()["active"] is False


def test_a_visitor_chats_without_a_token_and_polls_for_the_reply(api_world: ApiWorld) -> None:
    _policy(api_world)
    visitor = api_world.api()
    started = visitor.post(
        "/conversations/chat",
        json={"text": "Чи є розмір 38?", "language": "uk", "location_id": api_world.location_a.id},
    )
    assert started.status_code == 201, started.text
    token = started.json()["visitor_token"]
    after = started.json()["message"]["sequence"]

    reply = api_world.api(api_world.agent_a).post(
        f"/conversations/{started.json()['thread_id']}/replies", json={"body": "Так, дві пари."}
    )
    assert reply.status_code == 201, reply.text
    polled = visitor.get(f"/conversations/chat/{token}/messages", params={"after": after})

    assert polled.status_code == 200
    assert [m["body"] for m in polled.json()["items"]] == ["Так, дві пари."]
    assert polled.json()["cursor"] > after
    assert "author_id" not in polled.json()["items"][0]
    assert visitor.get("/conversations/chat/unknown/messages").status_code == 404


def test_managers_close_a_day_and_the_calendar_says_when_a_year_is_provisional(
    api_world: ApiWorld,
) -> None:
    manager = api_world.api(api_world.manager_a)
    location = api_world.location_a.id

    closed = manager.request(
        "PUT",
        f"/locations/{location}/calendar-days/2026-12-31",
        json={"hours": [], "reason": "stocktaking"},
    )
    year = api_world.api(api_world.agent_a).get(f"/locations/{location}/calendar/2026")

    assert closed.status_code == 200, closed.text
    assert year.status_code == 200, year.text
    assert year.json()["days"] == [{"day": "2026-12-31", "hours": [], "reason": "stocktaking"}]
    # Ukraine's calendar has not been published since martial law began: every year is a guess.
    assert year.json()["provisional"] is True
    other = api_world.api(api_world.agent_b).get(f"/locations/{location}/calendar/2026")
    assert other.status_code == 404
    bad = manager.request(
        "PUT", f"/locations/{location}/calendar-days/2026-12-30", json={"hours": ["9-5"]}
    )
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "hours[0]"
    gone = manager.delete(f"/locations/{location}/calendar-days/2026-12-31")
    assert gone.status_code == 204


def test_a_chat_naming_a_customer_is_an_unverified_sender_until_an_agent_accepts_it(
    api_world: ApiWorld,
) -> None:
    _policy(api_world)
    _email(api_world)  # Anna writes from her own address first: her card, verified
    started = api_world.api().post(
        "/conversations/chat",
        json={"text": "It's Anna, send me my order history", "email": "anna@example.com"},
    )
    thread_id = started.json()["thread_id"]
    agent = api_world.api(api_world.agent_a)

    before = agent.get(f"/conversations/{thread_id}").json()
    inbox = agent.get("/conversations").json()["items"]
    accepted = agent.post(
        f"/conversations/{thread_id}/accept-sender", headers={"Idempotency-Key": "acc-1"}
    )
    replayed = agent.post(
        f"/conversations/{thread_id}/accept-sender", headers={"Idempotency-Key": "acc-1"}
    )
    after = agent.get(f"/conversations/{thread_id}").json()

    assert (before["sender_verified"], before["sender_proof"], before["promise_id"]) == (
        False,
        "",
        None,
    )
    assert {t["id"]: t["sender_verified"] for t in inbox}[thread_id] is False
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["sender_proof"] == "staff"
    assert replayed.json() == accepted.json()
    assert after["sender_verified"] is True
    assert after["promise_id"]
    elsewhere = api_world.api(api_world.persona("agent_b")).post(
        f"/conversations/{thread_id}/accept-sender"
    )
    assert elsewhere.status_code == 404


def test_inbound_email_with_a_dkim_pass_from_our_mail_server_is_verified(
    api_world: ApiWorld,
) -> None:
    _policy(api_world)
    api_world.container.settings.inbound_authserv_id = "mx.shop.example"
    _email(api_world)
    headers = {"Message-ID": "<anna-2@mail.example.com>"}

    forged = _email(api_world, headers=headers)
    signed = _email(
        api_world,
        headers={
            "Message-ID": "<anna-3@mail.example.com>",
            "Authentication-Results": "mx.shop.example; dkim=pass header.d=example.com",
        },
    )
    agent = api_world.api(api_world.agent_a)

    assert agent.get(f"/conversations/{forged['thread_id']}").json()["sender_verified"] is False
    verified = agent.get(f"/conversations/{signed['thread_id']}").json()
    assert (verified["sender_verified"], verified["sender_proof"]) == (True, "dkim")
    assert verified["promise_id"]
