"""SMS and messenger webhooks to a real HTTP server on loopback, checked as an integrator would."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from smtp_mailbox import free_port
from webhook_receiver import ReceivedRequest, WebhookReceiver

from heedful.adapters.channels.webhook import WebhookSender, sign, verify_signature
from heedful.core.customers.channels import Channel
from heedful.core.outreach.envelope import Envelope, SendFailed
from heedful.core.shared.clock import FrozenClock

SECRET = "whsec_test_3f9a"
SENT_AT = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def an_sms(**changes: object) -> Envelope:
    values: dict[str, object] = {
        "message_id": "msg_01sms",
        "channel": Channel.SMS,
        "to": "+380501234567",
        "language": "uk",
        "subject": "",
        "text": "Вітаємо, Олено! Чорна сумка знову в наявності.",
        "html": None,
        "unsubscribe_url": "https://bags.example/u/tok_1",
        "customer_id": "cus_olena",
        "purpose": "service",
    }
    values.update(changes)
    return Envelope(**values)  # type: ignore[arg-type]


@pytest.fixture
def sender(webhook_receiver: WebhookReceiver) -> Iterator[WebhookSender]:
    sender = WebhookSender(webhook_receiver.url("/sms"), SECRET, FrozenClock(SENT_AT), timeout=5)
    yield sender
    sender.close()


def sent(sender: WebhookSender, receiver: WebhookReceiver, envelope: Envelope) -> ReceivedRequest:
    sender.send(envelope)
    [request] = receiver.wait_for(1)
    return request


def test_the_message_is_posted_as_json_with_what_a_gateway_needs(
    sender: WebhookSender, webhook_receiver: WebhookReceiver
) -> None:
    request = sent(sender, webhook_receiver, an_sms())

    assert (request.method, request.path) == ("POST", "/sms")
    assert request.header("Content-Type") == "application/json"
    assert request.json() == {
        "message_id": "msg_01sms",
        "channel": "sms",
        "to": "+380501234567",
        "language": "uk",
        "text": "Вітаємо, Олено! Чорна сумка знову в наявності.",
        "customer_id": "cus_olena",
        "purpose": "service",
        "unsubscribe_url": "https://bags.example/u/tok_1",
    }


def test_the_idempotency_key_is_the_message_id_on_every_attempt(
    sender: WebhookSender, webhook_receiver: WebhookReceiver
) -> None:
    webhook_receiver.reply_next(503)
    with pytest.raises(SendFailed):
        sender.send(an_sms())
    sender.send(an_sms())

    keys = [r.header("Idempotency-Key") for r in webhook_receiver.wait_for(2)]
    assert keys == ["msg_01sms", "msg_01sms"]


def test_the_signature_verifies_with_the_shared_secret(
    sender: WebhookSender, webhook_receiver: WebhookReceiver
) -> None:
    request = sent(sender, webhook_receiver, an_sms())
    header = request.header("Heedful-Signature")

    assert header is not None
    assert header.startswith(f"t={int(SENT_AT.timestamp())},v1=")
    assert verify_signature(SECRET, header, request.body, now=SENT_AT + timedelta(seconds=2))


def test_a_tampered_body_or_another_secret_does_not_verify(
    sender: WebhookSender, webhook_receiver: WebhookReceiver
) -> None:
    request = sent(sender, webhook_receiver, an_sms())
    header = request.header("Heedful-Signature") or ""
    forged = json.loads(request.body)
    forged["to"] = "+380679999999"
    forged_body = json.dumps(forged, ensure_ascii=False, separators=(",", ":")).encode()

    assert not verify_signature(SECRET, header, forged_body, now=SENT_AT)
    assert not verify_signature("another secret", header, request.body, now=SENT_AT)


def test_a_stale_or_future_timestamp_does_not_verify(
    sender: WebhookSender, webhook_receiver: WebhookReceiver
) -> None:
    request = sent(sender, webhook_receiver, an_sms())
    header = request.header("Heedful-Signature") or ""

    assert verify_signature(SECRET, header, request.body, now=SENT_AT + timedelta(minutes=5))
    assert not verify_signature(SECRET, header, request.body, now=SENT_AT + timedelta(minutes=6))
    assert not verify_signature(SECRET, header, request.body, now=SENT_AT - timedelta(minutes=6))
    assert verify_signature(
        SECRET, header, request.body, SENT_AT + timedelta(hours=1), tolerance=timedelta(hours=2)
    )


@pytest.mark.parametrize(
    "header",
    ["", "t=abc,v1=00", "v1=00", "t=1772443800", "garbage", "t=1772443800,v0=00"],
)
def test_a_malformed_signature_header_does_not_verify(header: str) -> None:
    assert not verify_signature(SECRET, header, b"{}", now=SENT_AT)


def test_one_of_several_signatures_is_enough_while_a_secret_is_rotated() -> None:
    body = b'{"message_id":"msg_1"}'
    timestamp = int(SENT_AT.timestamp())
    old = sign("old secret", timestamp, body)
    new_signature = sign(SECRET, timestamp, body).split("v1=")[1]
    header = f"{old},v1={new_signature}"

    assert verify_signature(SECRET, header, body, now=SENT_AT)
    assert verify_signature("old secret", header, body, now=SENT_AT)


def test_the_gateways_own_id_is_the_reference_when_it_gives_one(
    sender: WebhookSender, webhook_receiver: WebhookReceiver
) -> None:
    webhook_receiver.reply_next(202, body={"id": "SM8f2c"})
    assert sender.send(an_sms()) == "SM8f2c"

    webhook_receiver.reply_next(204)
    assert sender.send(an_sms()) == "msg_01sms"


@pytest.mark.parametrize("status", [408, 429, 500, 502, 503])
def test_busy_or_broken_gateways_are_temporary_failures(
    sender: WebhookSender, webhook_receiver: WebhookReceiver, status: int
) -> None:
    webhook_receiver.reply_next(status, body="upstream is busy")

    with pytest.raises(SendFailed) as failure:
        sender.send(an_sms())

    assert failure.value.temporary
    assert str(status) in failure.value.reason
    assert "upstream is busy" in failure.value.reason


@pytest.mark.parametrize("status", [400, 401, 404, 410, 422])
def test_a_gateway_that_refuses_the_message_is_a_permanent_failure(
    sender: WebhookSender, webhook_receiver: WebhookReceiver, status: int
) -> None:
    webhook_receiver.reply_next(status, body={"error": "invalid phone number"})

    with pytest.raises(SendFailed) as failure:
        sender.send(an_sms())

    assert not failure.value.temporary
    assert "invalid phone number" in failure.value.reason


def test_a_gateway_that_is_not_there_is_a_temporary_failure() -> None:
    url = f"http://127.0.0.1:{free_port()}/sms"
    sender = WebhookSender(url, SECRET, FrozenClock(SENT_AT), timeout=5)

    with pytest.raises(SendFailed) as failure:
        sender.send(an_sms())

    assert failure.value.temporary
    assert url in failure.value.reason


def test_a_failure_reason_does_not_show_the_gateways_key() -> None:
    port = free_port()
    url = f"http://user:pass@127.0.0.1:{port}/sms?api_key=k3y"
    sender = WebhookSender(url, SECRET, FrozenClock(SENT_AT), timeout=5)

    with pytest.raises(SendFailed) as failure:
        sender.send(an_sms())

    assert f"http://127.0.0.1:{port}/sms" in failure.value.reason
    assert "k3y" not in failure.value.reason
    assert "pass" not in failure.value.reason


def test_a_gateway_that_never_answers_is_a_temporary_failure(
    webhook_receiver: WebhookReceiver,
) -> None:
    webhook_receiver.stall_next()
    sender = WebhookSender(webhook_receiver.url(), SECRET, FrozenClock(SENT_AT), timeout=0.2)

    with pytest.raises(SendFailed) as failure:
        sender.send(an_sms())

    assert failure.value.temporary
    assert "Timeout" in failure.value.reason


def test_a_batch_is_posted_over_several_connections_each_message_once_with_its_key(
    sender: WebhookSender, webhook_receiver: WebhookReceiver
) -> None:
    batch = [an_sms(message_id=f"msg_{n:02d}") for n in range(10)]

    results = sender.send_many(batch, lambda: True)

    assert all(isinstance(result, str) for result in results)
    keys = [request.header("Idempotency-Key") for request in webhook_receiver.wait_for(10)]
    assert sorted(str(key) for key in keys) == [f"msg_{n:02d}" for n in range(10)]
