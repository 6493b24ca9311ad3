"""The sending port: one message, ready to go, and the one thing a channel must do with it.

The relay fills an Envelope from an outbox message and hands it to the Sender of its channel.
A Sender either returns the provider's reference or says, with SendFailed, whether trying again
later could help; the relay, not the channel, decides when and how often to try again.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from heedful.core.customers import Channel
from heedful.core.outreach.templates import MessageTemplate


@dataclass(frozen=True)
class Envelope:
    # Heedful's stable id of the message ("msg_..."). Whatever must make a retry recognisable as
    # the same message (the e-mail's Message-ID, the webhook's Idempotency-Key) derives from it.
    message_id: str
    channel: Channel
    to: str  # e-mail address, E.164 phone number or messenger handle
    language: str
    subject: str  # e-mail only; "" for the other channels
    text: str
    html: str | None
    unsubscribe_url: str | None
    customer_id: str
    purpose: str  # "service" | "marketing" | "surveys"
    # An agent's reply in a conversation: the customer's mailer threads it under her message.
    in_reply_to: str = ""
    references: tuple[str, ...] = ()


class SendFailed(Exception):
    """The channel did not take the message.

    ``temporary`` says whether the same message may go through later (a busy server, a network
    that is down); a permanent failure (no such mailbox, a rejected number) never will.
    """

    def __init__(self, reason: str, *, temporary: bool) -> None:
        super().__init__(reason)
        self.reason = reason
        self.temporary = temporary

    def __repr__(self) -> str:
        return f"SendFailed({self.reason!r}, temporary={self.temporary})"


class Sender(Protocol):
    def send(self, envelope: Envelope) -> str:
        """Send one message; return the provider's reference or raise SendFailed."""
        ...


# The composing port: a message's template filled in, in the first language that has it.
@dataclass(frozen=True)
class Composed:
    language: str
    subject: str
    text: str
    html: str | None


class Composer(Protocol):
    """Chooses the template in the first language that has it and fills it in.

    ``own``: the business's own templates of this key (own_templates.py), which replace the
    built-in ones of their language."""

    def compose(
        self,
        template_key: str,
        languages: Sequence[str],
        context: Mapping[str, object],
        own: Sequence[MessageTemplate] = (),
    ) -> Composed: ...


# What a batch's send gives back per envelope: the provider's reference, the channel's refusal,
# or None for one not tried because the batch went on too long (the relay decides it again).
Sent = str | SendFailed | None


@runtime_checkable
class BatchSender(Protocol):
    def send_many(self, envelopes: Sequence[Envelope], go_on: Callable[[], bool]) -> list[Sent]:
        """Send them (over several connections if it can); ask ``go_on`` before each one."""
        ...


def send_batch(
    sender: Sender, envelopes: Sequence[Envelope], go_on: Callable[[], bool]
) -> list[Sent]:
    """Each envelope's outcome, in order: the sender's own batch send if it has one."""
    if isinstance(sender, BatchSender):
        return sender.send_many(envelopes, go_on)
    results: list[Sent] = [None] * len(envelopes)
    for position, envelope in enumerate(envelopes):
        if not go_on():
            break
        try:
            results[position] = sender.send(envelope)
        except SendFailed as refused:
            results[position] = refused
    return results
