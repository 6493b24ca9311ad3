"""SMS and messengers through a signed webhook: Heedful POSTs, the integrator's gateway delivers.

The body is signed the way Stripe signs its webhooks, so integrators can reuse what they know:

    Heedful-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, f"{t}.{raw body}")>

The timestamp is inside the signed text, so a captured request cannot be replayed later than the
receiver's tolerance; ``verify_signature`` is the reference check (docs/decisions/0014).
Every retry of a message carries the same ``Idempotency-Key`` (the message id) for the gateway
to drop repeats, and a fresh timestamp and signature, so a retry is never stale on arrival.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

import httpx

from heedful.adapters.channels.lanes import Lanes
from heedful.core.outreach.envelope import Envelope, SendFailed, Sent
from heedful.core.shared.clock import Clock

SIGNATURE_HEADER = "Heedful-Signature"
SIGNATURE_VERSION = "v1"
DEFAULT_TOLERANCE = timedelta(minutes=5)

# Worth another try later: the gateway timed out, is rate limiting us, or is down.
_TEMPORARY_STATUSES = frozenset({408, 425, 429})
_REASON_BODY_CHARS = 300
# Posts of one batch in flight at once: enough to hide the gateway's answer time, few enough
# not to look like a flood to a gateway that limits concurrent requests.
LANES = 4


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The value of the Heedful-Signature header for ``body`` sent at ``timestamp``."""
    return f"t={timestamp},{SIGNATURE_VERSION}={_digest(secret, timestamp, body)}"


def verify_signature(
    secret: str,
    header: str,
    body: bytes,
    now: datetime,
    tolerance: timedelta = DEFAULT_TOLERANCE,
) -> bool:
    """True if ``header`` signs exactly ``body`` with ``secret`` and is no older than tolerance.

    Several v1 values are accepted (any one may match), so a sender can sign with an old and a
    new secret while a rotation is under way. Timestamps further in the future than the
    tolerance are refused as well: a clock that far off is not to be trusted either.
    """
    timestamp: int | None = None
    signatures: list[str] = []
    for part in header.split(","):
        name, _, value = part.strip().partition("=")
        if name == "t" and value.isdigit():
            timestamp = int(value)
        elif name == SIGNATURE_VERSION and value:
            signatures.append(value)
    if timestamp is None or not signatures:
        return False
    if abs(now.timestamp() - timestamp) > tolerance.total_seconds():
        return False
    expected = _digest(secret, timestamp, body)
    # compare_digest for every candidate, without stopping early: timing says nothing.
    matches = [hmac.compare_digest(expected, candidate) for candidate in signatures]
    return any(matches)


class WebhookSender:
    """POSTs each message as JSON to one URL (one sender per channel: SMS, messenger)."""

    def __init__(
        self,
        url: str,
        secret: str,
        clock: Clock,
        timeout: float = 10,
        lanes: int = LANES,
    ) -> None:
        self.url = url
        # Failure reasons are shown to staff in the console: never the query string, where some
        # gateways expect their API key.
        self._shown_url = httpx.URL(url).copy_with(query=None, fragment=None, userinfo=b"")
        self._secret = secret
        self._clock = clock
        # One pooled client per sender, made when bootstrap builds the sender, not at import.
        # Redirects are not followed: a POST that is redirected is a misconfigured URL.
        self._client = httpx.Client(timeout=timeout, follow_redirects=False)
        # A batch's posts go over a few of the client's pooled connections at once (ADR 52).
        self._lanes = Lanes(lanes, "webhook")

    def send_many(self, envelopes: Sequence[Envelope], go_on: Callable[[], bool]) -> list[Sent]:
        return self._lanes.send(self.send, envelopes, go_on)

    def send(self, envelope: Envelope) -> str:
        body = payload(envelope)
        timestamp = int(self._clock.now().timestamp())
        headers = {
            "Content-Type": "application/json",
            "Idempotency-Key": envelope.message_id,
            SIGNATURE_HEADER: sign(self._secret, timestamp, body),
        }
        try:
            response = self._client.post(self.url, content=body, headers=headers)
        except httpx.HTTPError as error:  # refused, reset, DNS, timed out
            raise SendFailed(
                f"cannot reach the webhook {self._shown_url}: {error!r}", temporary=True
            ) from error
        if response.is_success:
            return _reference(response) or envelope.message_id
        reason = f"the webhook answered {response.status_code}: {_excerpt(response)}"
        status = response.status_code
        raise SendFailed(reason, temporary=status in _TEMPORARY_STATUSES or status >= 500)

    def close(self) -> None:
        self._lanes.close()
        self._client.close()


def payload(envelope: Envelope) -> bytes:
    """The JSON body: the raw bytes that are signed, UTF-8, names as documented in the ADR."""
    document = {
        "message_id": envelope.message_id,
        "channel": envelope.channel.value,
        "to": envelope.to,
        "language": envelope.language,
        "text": envelope.text,
        "customer_id": envelope.customer_id,
        "purpose": envelope.purpose,
        "unsubscribe_url": envelope.unsubscribe_url,
    }
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _digest(secret: str, timestamp: int, body: bytes) -> str:
    signed = f"{timestamp}.".encode() + body
    return hmac.new(secret.encode("utf-8"), signed, hashlib.sha256).hexdigest()


def _reference(response: httpx.Response) -> str:
    # A gateway that names its own id for the message ({"id": "SM..."}) gets it recorded, so
    # support can look the message up there; otherwise our own id is the reference.
    try:
        document = response.json()
    except ValueError:
        return ""
    if isinstance(document, dict):
        for key in ("id", "reference", "message_id"):
            value = document.get(key)
            if isinstance(value, str | int) and str(value):
                return str(value)
    return ""


def _excerpt(response: httpx.Response) -> str:
    text = " ".join(response.text.split())
    return text[:_REASON_BODY_CHARS] or response.reason_phrase
