"""The channels Heedful reaches a customer on: what she consents to and what a message is sent on.

One vocabulary for consent (``customers.consent``), the outbox's routing (``outreach.policy``) and
the senders (``outreach.envelope``): a channel added here is one a customer can agree to and a
message can go out on. The stored values are stable.

Adding a channel is a line in ``Channel`` and, when messages are written on it, a line in
``SENT_TO`` (CONTRIBUTING.md, "Add a channel").
"""

from __future__ import annotations

from enum import StrEnum

from heedful.core.customers.identities import IdentityKind


class Channel(StrEnum):
    EMAIL = "email"
    SMS = "sms"
    MESSENGER = "messenger"
    PHONE = "phone"  # consent to calls; no message is sent on it


# The channels a message is written on, each with the identity it is sent to, in the order
# Heedful tries them when the customer has no preference: e-mail carries the most and
# interrupts the least. Phone calls are consented to but never written on.
SENT_TO: dict[Channel, IdentityKind] = {
    Channel.EMAIL: IdentityKind.EMAIL,
    Channel.SMS: IdentityKind.PHONE,
    Channel.MESSENGER: IdentityKind.MESSENGER,
}
