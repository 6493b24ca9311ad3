"""The relay: takes ready messages from the outbox one by one and ends each of them.

It is the engine's third loop (events, timers, messages): what a message was sent for (a
promise kept by telling her) is written here, above both the outreach and promises rooms.

Each message is claimed (locked), decided, sent and recorded in one transaction, so a worker
killed half-way leaves the message waiting and another worker sends it. A message whose handling
raises (not a channel's refusal: a bug, data the template or the database cannot take) has its
savepoint undone and its failure written down; it waits out a backoff and after a few tries is
set aside as a dead letter, so the messages behind it still go. The channel sees the
message's stable id (the e-mail's Message-ID, the webhook's Idempotency-Key), so in the one
window a crash cannot close (sent, not yet recorded) the receiver can tell a repeat.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from heedful.core.access import SYSTEM, load_customer
from heedful.core.customers import (
    Channel,
    ConsentDecision,
    Customer,
    CustomerStatus,
    Identity,
    Purpose,
)
from heedful.core.dead_letters import (
    DeadLetter,
    LetterKind,
    LetterState,
    RetryPolicy,
    first_failure,
    note_failure,
)
from heedful.core.outreach import (
    WRITTEN_CHANNELS,
    Cap,
    Composer,
    ContactRules,
    Envelope,
    Hold,
    Message,
    MessageStatus,
    MessageTemplate,
    OwnContactRules,
    PurposeRules,
    Sender,
    SendFailed,
    Suppress,
    business_rules,
    channels_for,
    decide,
    rules_for,
)
from heedful.core.promises import (
    LINE_MESSAGES,
    Evidence,
    EvidenceKind,
    Promise,
    PromiseKind,
    settle_tasks,
    still_wanted,
)
from heedful.core.shared.clock import Clock
from heedful.core.shared.errors import HeedfulError, NotFound
from heedful.core.shared.phrases import Phrase, word
from heedful.core.unit_of_work import UnitOfWork

# Messages claimed per read of the outbox. Each is still decided, sent and recorded in its own
# transaction (one failing is set aside alone); the batch shares the claim and the disk flush.
RELAY_BATCH = 100
# How long what the batch read of its customers (consent, addresses, erasure) is gone by; past
# it, a message reads them again in its own transaction (a slow mail server, ADR 34).
KNOWN_FOR = timedelta(seconds=5)

UnsubscribeLink = Callable[[Message, str], str | None]  # (message, channel) -> URL


@dataclass
class RelayReport:
    sent: int = 0
    held: int = 0
    suppressed: int = 0
    capped: int = 0
    retrying: int = 0
    dead: int = 0
    failed: list[DeadLetter] = field(default_factory=list)  # crashed: tried later or set aside

    def count(self, status: MessageStatus) -> None:
        name = {MessageStatus.RETRYING: "retrying"}.get(status, status.value)
        if hasattr(self, name):
            setattr(self, name, getattr(self, name) + 1)

    @property
    def total(self) -> int:
        return self.sent + self.held + self.suppressed + self.capped + self.retrying + self.dead


@dataclass
class _Known:
    """What the batch's read found for its messages, so that each message does not ask again.

    Read with the batch, in one query each; a customer not among them (merged or erased since,
    or never found) is read afresh by her message. Consent read with the batch can be older
    than the send by the batch's duration, as a read in the message's transaction is older
    than the send by the SMTP dialogue: neither is locked against a withdrawal (ADR 34). So
    that a slow server cannot stretch that, what was read is used for KNOWN_FOR only.
    """

    customers: dict[str, Customer] = field(default_factory=dict)
    identities: Mapping[str, list[Identity]] = field(default_factory=dict)
    consents: Mapping[str, list[ConsentDecision]] = field(default_factory=dict)
    likes: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    place_names: dict[str, str] = field(default_factory=dict)
    # The business's contact rules (None: not read yet) and customers' own, set in the console.
    business: Mapping[Purpose, PurposeRules] | None = None
    own: Mapping[str, OwnContactRules] = field(default_factory=dict)
    own_templates: dict[str, list[MessageTemplate]] = field(default_factory=dict)

    def fresh(self, now: datetime, read_at: datetime) -> _Known:
        """Itself while it is recent enough to go by, else nothing known (each message reads)."""
        return self if now - read_at <= KNOWN_FOR else _Known()

    @classmethod
    def read(cls, uow: UnitOfWork, batch: Sequence[Message]) -> _Known:
        ids = sorted({m.customer_id for m in batch})
        customers = {
            c.id: c for c in uow.customers.get_many(ids) if c.status is CustomerStatus.ACTIVE
        }
        active = sorted(customers)
        standing = uow.preferences.standing_for_many(active)
        places = {m.location_id for m in batch if m.location_id}
        names = {}
        for location_id in sorted(places):
            location = uow.locations.get(location_id)
            names[location_id] = location.name if location else ""
        return cls(
            customers=customers,
            identities=uow.identities.list_for_many(active),
            consents=uow.consents.list_for_many(active),
            likes={cid: _likes(standing.get(cid, [])) for cid in active},
            place_names=names,
            business=business_rules(uow.contact_rules.business()),
            own=uow.contact_rules.of_customers(active),
        )

    def business_of(self, uow: UnitOfWork) -> Mapping[Purpose, PurposeRules]:
        if self.business is None:
            self.business = business_rules(uow.contact_rules.business())
        return self.business

    def templates_of(self, uow: UnitOfWork, key: str) -> list[MessageTemplate]:
        """The business's own wording of ``key``: read once per batch and key."""
        if key not in self.own_templates:
            self.own_templates[key] = uow.message_templates.for_key(key)
        return self.own_templates[key]

    def own_of(self, uow: UnitOfWork, customer_id: str) -> OwnContactRules | None:
        if customer_id in self.customers:
            return self.own.get(customer_id)
        return uow.contact_rules.of_customers([customer_id]).get(customer_id)

    def identities_of(self, uow: UnitOfWork, customer_id: str) -> list[Identity]:
        if customer_id in self.customers:
            return self.identities.get(customer_id, [])
        return uow.identities.list_for(customer_id)

    def consents_of(self, uow: UnitOfWork, customer_id: str) -> list[ConsentDecision]:
        if customer_id in self.customers:
            return self.consents.get(customer_id, [])
        return uow.consents.list_for(customer_id)

    def likes_of(self, uow: UnitOfWork, customer_id: str) -> dict[str, list[str]]:
        if customer_id in self.likes:
            return self.likes[customer_id]
        return _likes(uow.preferences.list_for(customer_id))

    def place_name(self, uow: UnitOfWork, location_id: str | None) -> str:
        if not location_id:
            return ""
        if location_id not in self.place_names:
            location = uow.locations.get(location_id)
            self.place_names[location_id] = location.name if location else ""
        return self.place_names[location_id]


@dataclass(frozen=True)
class Relay:
    senders: Mapping[str, Sender]  # by channel: "email", "sms", "messenger"
    composer: Composer
    rules: ContactRules = field(default_factory=ContactRules)
    unsubscribe_link: UnsubscribeLink = lambda _message, _channel: None

    def run(
        self,
        uow_factory: Callable[[], UnitOfWork],
        clock: Clock,
        *,
        limit: int = 100,
        batch: int = RELAY_BATCH,
        retry: RetryPolicy = RetryPolicy(),  # noqa: B008 - frozen, shared safely
    ) -> RelayReport:
        """Ends up to ``limit`` ready messages, claimed ``batch`` at a time."""
        report = RelayReport()
        while report.total < limit:
            with uow_factory() as uow:
                read_at = clock.now()
                messages = uow.outbox.ready(read_at, min(batch, limit - report.total))
                known = _Known.read(uow, messages)
                uow.commit()  # keeps what the claim set aside as unreadable
            ready = [m.id for m in messages]
            ended = 0
            for position, message_id in enumerate(ready):
                # Each e-mail's record waits only for the process, the batch's last for the
                # disk too: a kill resends at most the one message in flight (ADR 34).
                last = position == len(ready) - 1
                status = self._one(
                    uow_factory, clock, message_id, retry, report, (known, read_at), durable=last
                )
                if status is not None:
                    report.count(status)
                    ended += 1
            if not ended:
                break
        return report

    def _one(
        self,
        uow_factory: Callable[[], UnitOfWork],
        clock: Clock,
        message_id: str,
        retry: RetryPolicy,
        report: RelayReport,
        batch_read: tuple[_Known, datetime],
        *,
        durable: bool,
    ) -> MessageStatus | None:
        """One claimed message decided, sent and recorded in its own transaction.

        None when another relay took it since the batch was read (it is theirs now).
        """
        uow = uow_factory()
        if not durable:
            uow.defer_durability()
        with uow:
            now = clock.now()
            known = batch_read[0].fresh(now, batch_read[1])
            message = uow.outbox.claim(message_id, now)
            if message is None:
                uow.commit()
                return None
            failed_before = message.attempts > 0
            try:
                with uow:
                    self._deliver(uow, message, now, known)
                    uow.outbox.update(message)
                    if message.status is MessageStatus.DEAD:
                        report.failed.append(_dead_on_the_channel(uow, message, now))
                    elif failed_before and message.status is not MessageStatus.RETRYING:
                        uow.dead_letters.forget(LetterKind.MESSAGE, [message.id])
                    uow.commit()
            except Exception as error:
                message = self._set_back(uow, message.id, error, now, retry, report)
            uow.commit()
        return message.status

    def _set_back(
        self,
        uow: UnitOfWork,
        message_id: str,
        error: Exception,
        now: datetime,
        retry: RetryPolicy,
        report: RelayReport,
    ) -> Message:
        # The savepoint undid what the failed try changed; the message is read again as stored.
        message = uow.outbox.get(message_id)
        if message is None:  # it cannot vanish under our lock; tell the caller loudly if it did
            raise error
        what = f"{message.template_key} to {message.customer_id}"
        letter = note_failure(uow, LetterKind.MESSAGE, message.id, what, error, now, retry)
        message.attempts += 1
        message.reason = letter.error[:500]
        if letter.is_dead:
            message.status = MessageStatus.DEAD
        else:
            message.status, message.ready_at = MessageStatus.RETRYING, letter.next_try_at or now
        uow.outbox.update(message)
        report.failed.append(letter)
        return message

    def _deliver(self, uow: UnitOfWork, message: Message, now: datetime, known: _Known) -> None:
        customer = known.customers.get(message.customer_id) or _current(uow, message.customer_id)
        if customer is None or customer.status is CustomerStatus.ERASED:
            message.suppress(Phrase("reason.customer_erased"))
            return
        message.customer_id = customer.id
        reply_to = _conversation_reply_address(message)
        if reply_to:
            # She wrote to us and waits for the answer: it goes to the address she wrote from,
            # now, not through the consent routing and quiet hours of messages we start.
            self._send(uow, message, customer, Channel.EMAIL.value, reply_to, None, now, known)
            return
        promise = (
            uow.promises.get(message.promise_id, for_change=True) if message.promise_id else None
        )
        if promise is not None and not still_wanted(uow, message, promise, now):
            return
        own = known.own_of(uow, customer.id)
        rules = rules_for(message.purpose, known.business_of(uow), own, self.rules)
        channels = channels_for(own, [c for c in WRITTEN_CHANNELS if c.value in self.senders])
        identities = known.identities_of(uow, customer.id)
        consents = known.consents_of(uow, customer.id)
        # Only a capped purpose (by default marketing alone) needs the count.
        sent_recently = (
            uow.outbox.sent_count(customer.id, message.purpose.value, now - rules.cap_window)
            if rules.cap_on(message.purpose) is not None
            else 0
        )
        decision = decide(
            purpose=message.purpose,
            identities=identities,
            consents=consents,
            sent_in_window=sent_recently,
            now=now,
            time_zone=customer.time_zone,
            rules=rules,
            channels=channels,
        )
        if isinstance(decision, Suppress):
            message.suppress(decision.why)
            _not_told(uow, promise, message, now, decision.why)
        elif isinstance(decision, Cap):
            message.cap(decision.why)
        elif isinstance(decision, Hold):
            message.hold_until(decision.until, decision.why)
        else:
            self._send(
                uow, message, customer, decision.channel.value, decision.to, promise, now, known
            )

    def _send(
        self,
        uow: UnitOfWork,
        message: Message,
        customer: Customer,
        channel: str,
        to: str,
        promise: Promise | None,
        now: datetime,
        known: _Known,
    ) -> None:
        context = dict(message.context)
        # What she likes, so a template can speak to it ("in your size S", "your usual table"),
        # and what she must never be given: `customer.preferences.never` (ADR 0049).
        likes = known.likes_of(uow, customer.id)
        context.setdefault("customer", {**_customer_context(customer), "preferences": likes})
        context.setdefault("preferences", likes)
        context.setdefault("location", {"name": known.place_name(uow, message.location_id)})
        unsubscribe = self.unsubscribe_link(message, channel)
        context["unsubscribe_url"] = unsubscribe or ""
        try:
            composed = self.composer.compose(
                message.template_key,
                [customer.language, "en"],
                context,
                known.templates_of(uow, message.template_key),
            )
        except HeedfulError as broken:
            # A template that cannot be filled in will not heal by itself: dead-letter this
            # message for an operator, and let the ones behind it go.
            message.failed(now, f"template {message.template_key}: {broken}", temporary=False)
            _not_told(uow, promise, message, now, message.reason_phrase or message.reason)
            return
        message.channel, message.to, message.language = channel, to, composed.language
        message.subject, message.text = composed.subject, composed.text
        envelope = Envelope(
            message_id=message.id,
            channel=Channel(channel),
            to=to,
            language=composed.language,
            subject=composed.subject,
            text=composed.text,
            html=composed.html,
            unsubscribe_url=unsubscribe,
            customer_id=customer.id,
            purpose=message.purpose.value,
            **_threading_headers(message),
        )
        # What a successful send changes is written first, in a savepoint, so that after the
        # server's "250 OK" only the commit remains: the instant a crash could make us send the
        # message again is as short as it can be.
        sent = copy.deepcopy(message)
        sent.sent(now, "")
        failure: SendFailed | None = None
        with uow:
            uow.outbox.update(sent)
            if promise is not None:
                _record_sent(uow, copy.deepcopy(promise), message, channel, to, now)
            try:
                reference = self.senders[channel].send(envelope)
            except SendFailed as refused:
                failure = refused  # leaving the block without a commit undoes the above
            else:
                uow.commit()
        if failure is not None:
            message.failed(now, failure.reason, temporary=failure.temporary)
            if message.status is MessageStatus.DEAD:
                _not_told(uow, promise, message, now, failure.reason)
            return
        message.sent(now, reference)


def _conversation_reply_address(message: Message) -> str:
    reply = message.context.get("reply")
    return str(reply.get("to") or "") if isinstance(reply, dict) else ""


def _threading_headers(message: Message) -> dict[str, Any]:
    threading = message.context.get("threading")
    if not isinstance(threading, dict):
        return {}
    return {
        "in_reply_to": str(threading.get("in_reply_to") or ""),
        "references": tuple(str(ref) for ref in threading.get("references") or ()),
    }


def _record_sent(
    uow: UnitOfWork, promise: Promise, message: Message, channel: str, to: str, now: datetime
) -> None:
    promise.note(
        Evidence.said(
            now,
            EvidenceKind.MESSAGE_SENT,
            Phrase("evidence.sent_on", {"channel": word("channel", channel), "to": to}),
            SYSTEM.label,
            message.id,
        )
    )
    # Only the notice that it is back keeps a wish; her place in line is news, not the deed.
    if (
        promise.is_open
        and promise.kind is PromiseKind.TELL_WHEN_AVAILABLE
        and message.template_key not in LINE_MESSAGES
    ):
        promise.keep(now, SYSTEM.label, "the customer was told", message.id)
        settle_tasks(uow, promise, now)
        uow.timers.cancel(promise.id)
    uow.promises.update(promise)


def _current(uow: UnitOfWork, customer_id: str) -> Customer | None:
    """The customer now (the survivor, if merged since the message was queued)."""
    try:
        return load_customer(uow, SYSTEM, customer_id)
    except NotFound:
        return None


def _customer_context(customer: Customer) -> dict[str, str]:
    first = customer.full_name.split()[0] if customer.full_name.split() else ""
    return {"name": customer.full_name, "first_name": first, "language": customer.language}


def _likes(standing: Sequence[Any]) -> dict[str, list[str]]:
    """Her standing preferences as a template reads them: likes, dislikes, never."""
    by_polarity = {"likes": "like", "dislikes": "dislike", "never": "never"}
    return {
        name: [p.subject for p in standing if p.polarity.value == polarity]
        for name, polarity in by_polarity.items()
    }


def _not_told(
    uow: UnitOfWork,
    promise: Promise | None,
    message: Message,
    now: datetime,
    reason: str | Phrase,
) -> None:
    if promise is None:
        return
    promise.note(
        Evidence.said(now, EvidenceKind.MESSAGE_NOT_SENT, reason, SYSTEM.label, message.id)
    )
    uow.promises.update(promise)


def _dead_on_the_channel(uow: UnitOfWork, message: Message, now: datetime) -> DeadLetter:
    """A channel's final refusal (or its tries ran out): listed with the other dead letters."""
    what = f"{message.template_key} to {message.customer_id}"
    letter = uow.dead_letters.get(LetterKind.MESSAGE, message.id) or first_failure(
        LetterKind.MESSAGE, message.id, what, now
    )
    letter.attempts, letter.error, letter.last_failed_at = message.attempts, message.reason, now
    letter.state, letter.next_try_at = LetterState.DEAD, None
    uow.dead_letters.save(letter)
    return letter
