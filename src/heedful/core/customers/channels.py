"""The channels Heedful reaches a customer on: what she consents to and what a message is sent on.

One vocabulary for consent (``customers.consent``), the outbox's routing (``outreach.policy``) and
the senders (``outreach.envelope``): a channel added here is one a customer can agree to and a
message can go out on. The stored values are stable.
"""

from __future__ import annotations

from enum import StrEnum


class Channel(StrEnum):
    EMAIL = "email"
    SMS = "sms"
    MESSENGER = "messenger"
    PHONE = "phone"  # consent to calls; no message is sent on it
