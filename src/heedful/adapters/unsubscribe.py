"""Unsubscribe links: signed, so a link stops exactly one customer's messages of one kind.

The token carries the customer, the channel and the purpose of the message it came with. It
never expires: a link in an old e-mail must still work (GDPR and CAN-SPAM expect as much).
"""

from __future__ import annotations

from dataclasses import dataclass

from itsdangerous import BadSignature, URLSafeSerializer

from heedful.core.outreach.outbox import Message

_SALT = "heedful.unsubscribe"


@dataclass(frozen=True)
class Unsubscribe:
    customer_id: str
    channel: str
    purpose: str


class UnsubscribeLinks:
    def __init__(self, secret: str, public_url: str) -> None:
        self._signer = URLSafeSerializer(secret, salt=_SALT)
        self._base = public_url.rstrip("/")

    def link(self, message: Message, channel: str) -> str:
        token = self._signer.dumps([message.customer_id, channel, message.purpose.value])
        return f"{self._base}/u/{token}"

    def read(self, token: str) -> Unsubscribe | None:
        try:
            customer_id, channel, purpose = self._signer.loads(token)
        except (BadSignature, ValueError, TypeError):
            return None
        return Unsubscribe(str(customer_id), str(channel), str(purpose))
