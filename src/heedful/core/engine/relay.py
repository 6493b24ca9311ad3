"""The relay: takes ready messages from the outbox a batch at a time and ends each of them.

It is the engine's third loop (events, timers, messages): what a message was sent for (a
promise kept by telling her) is written here, above both the outreach and promises rooms.

A batch is claimed (locked), decided, sent and recorded in one transaction (ADR 52, superseding
ADR 34's transaction per message): the batch's reads are made once (relay_reads.py), each
message is decided in a savepoint of its own that writes what its send will change, the batch's
envelopes go to their channels together (the SMTP sender spreads them over a few connections),
and one commit records them all. When every send went through, that commit is all that follows
the servers' replies. When some did not, the savepoints are undone and the batch is decided
again knowing each send's outcome: sent, refused for now (retried later), refused for good (a
dead letter), or not tried (left waiting). A message whose handling raises (a bug, data the
template or the database cannot take) is set aside alone, never the batch: it waits out a
backoff and after a few tries becomes a dead letter. A worker killed during a batch leaves it
all waiting, so another worker sends it again: at most one batch is resent, each copy under the
message's stable id (the e-mail's Message-ID, the webhook's Idempotency-Key), so the receiver
can tell a repeat.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from heedful.core.customers import Channel, Customer, CustomerStatus
from heedful.core.dead_letters import DeadLetter, LetterKind, RetryPolicy, note_failure
from heedful.core.engine.relay_reads import KNOWN_FOR, Known
from heedful.core.engine.relay_records import (
    Writes,
    conversation_reply_address,
    current_customer,
    customer_context,
    dead_on_the_channel,
    not_told,
    record_sent,
    threading_headers,
)
from heedful.core.engine.relay_report import RELAY_BATCH, RelayReport, next_batch
from heedful.core.engine.write_budget import UNLIMITED, WriteBudget
from heedful.core.outreach import (
    WRITTEN_CHANNELS,
    Cap,
    Composer,
    ContactRules,
    Envelope,
    Hold,
    Message,
    MessageStatus,
    Sender,
    SendFailed,
    Sent,
    Suppress,
    channels_for,
    decide,
    rules_for,
    send_batch,
)
from heedful.core.promises import LINE_MESSAGES, Promise, still_wanted
from heedful.core.shared.clock import Clock
from heedful.core.shared.errors import HeedfulError
from heedful.core.shared.phrases import Phrase
from heedful.core.unit_of_work import UnitOfWork

__all__ = ["RELAY_BATCH", "Relay", "RelayReport"]

UnsubscribeLink = Callable[[Message, str], str | None]  # (message, channel) -> URL


@dataclass(frozen=True)
class _Going:
    """A message decided to go: filled in, its promise locked, nothing written yet."""

    message: Message
    promise: Promise | None
    envelope: Envelope


@dataclass
class _Pass:
    """A batch's ends so far: the messages' statuses, their dead letters, what goes out."""

    statuses: list[MessageStatus] = field(default_factory=list)
    failed: list[DeadLetter] = field(default_factory=list)
    outgoing: list[_Going] = field(default_factory=list)
    claimed: int = 0


@dataclass(frozen=True)
class _Batch:
    now: datetime
    known: Known
    retry: RetryPolicy


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
        budget: WriteBudget = UNLIMITED,
        first_batch: int | None = None,
    ) -> RelayReport:
        """Ends up to ``limit`` ready messages, ``batch`` at most per transaction; a batch stops
        sending once ``budget`` is spent (ADR 60), as it does past ``KNOWN_FOR``, and the next
        claims about what it reached (``next_batch``, ADR 76). ``first_batch``: the size the
        last run's ``report.next_batch`` said."""
        report = RelayReport(next_batch=min(batch, first_batch or batch))
        while report.total < limit:
            size = min(report.next_batch, limit - report.total)
            done = self._batch(uow_factory, clock, size, retry, budget)
            if done is None or not done.statuses:
                break
            for status in done.statuses:
                report.count(status)
            report.failed.extend(done.failed)
            reached = len(done.statuses)
            report.next_batch = next_batch(reached, done.claimed, report.next_batch, batch)
        return report

    def _batch(
        self,
        uow_factory: Callable[[], UnitOfWork],
        clock: Clock,
        size: int,
        retry: RetryPolicy,
        budget: WriteBudget,
    ) -> _Pass | None:
        with uow_factory() as uow:
            spent = budget.start()  # SQLite's write lock is held from here to the commit
            now = clock.now()
            messages = uow.outbox.ready(now, size)
            if not messages:
                uow.commit()  # keeps what the claim set aside as unreadable
                return None
            batch = _Batch(now, Known.read(uow, messages), retry)
            done = self._decide_all(uow, messages, batch)
            done.claimed = len(messages)
            calls = itertools.count()

            def go_on() -> bool:
                # The batch's reads go by for KNOWN_FOR; its first send goes all the same, so a
                # batch that took that long to decide still moves the queue on.
                first = next(calls) == 0
                return first or (clock.now() - now <= KNOWN_FOR and not spent())

            outcomes = self._send(done.outgoing, go_on)
            # One not tried in time is left waiting, to be decided again with fresh reads.
            tried = [g for g in done.outgoing if outcomes[g.message.id] is not None]
            self._record_all(uow, tried, outcomes, batch, done)
            uow.commit()
        return done

    def _decide_all(self, uow: UnitOfWork, messages: Sequence[Message], batch: _Batch) -> _Pass:
        """Each message decided; the batch in one savepoint, each in its own if one raises."""
        try:
            with uow:
                done = _Pass()
                for message in messages:
                    self._decide_one(uow, message, batch, done)
                uow.commit()
                return done
        except Exception:  # noqa: S110 - found again, and set aside alone, just below
            pass
        done = _Pass()
        batch.known.promises.clear()  # the try above changed them: each is read again
        batch.known.going.clear()  # and counted those it decided to send
        batch.known.placed.clear()
        for stale in messages:
            stored = uow.outbox.get(stale.id)  # as stored: the try above changed the copy
            if stored is None:
                continue
            message = stored
            try:
                with uow:
                    self._decide_one(uow, message, batch, done)
                    uow.commit()
            except Exception as error:
                done.statuses.append(self._set_back(uow, message.id, error, batch, done))
        return done

    def _decide_one(self, uow: UnitOfWork, message: Message, batch: _Batch, done: _Pass) -> None:
        failed_before = message.attempts > 0
        going = self._deliver(uow, message, batch)
        if going is not None:
            done.outgoing.append(going)  # written once its send's outcome is known
            return
        uow.outbox.update(message)
        self._letters(uow, message, failed_before, batch, done)
        done.statuses.append(message.status)

    def _send(self, outgoing: Sequence[_Going], go_on: Callable[[], bool]) -> dict[str, Sent]:
        by_channel: dict[str, list[Envelope]] = {}
        for going in outgoing:
            by_channel.setdefault(going.message.channel, []).append(going.envelope)
        outcomes: dict[str, Sent] = {}
        for channel, envelopes in by_channel.items():
            results = send_batch(self.senders[channel], envelopes, go_on)
            outcomes.update(zip((e.message_id for e in envelopes), results, strict=True))
        return outcomes

    def _record_all(
        self,
        uow: UnitOfWork,
        tried: Sequence[_Going],
        outcomes: Mapping[str, Sent],
        batch: _Batch,
        done: _Pass,
    ) -> None:
        """What each send did, written: the batch at once, each alone if that raises.

        A message whose record cannot be written although it was sent is set back and sent
        again later under the same Message-ID: data the database refuses is a bug, and an
        e-mail repeated is recognisable where one lost is not.
        """
        ended = _Pass()
        try:
            with uow:
                writes = Writes()
                for going in tried:
                    self._record_one(uow, going, outcomes[going.message.id], batch, ended, writes)
                writes.write(uow, batch.now)
                uow.commit()
        except Exception:
            ended = _Pass()
            for going in tried:
                try:
                    with uow:
                        again = self._as_stored(uow, going)
                        writes = Writes()
                        outcome = outcomes[going.message.id]
                        self._record_one(uow, again, outcome, batch, ended, writes)
                        writes.write(uow, batch.now)
                        uow.commit()
                except Exception as error:
                    ended.statuses.append(
                        self._set_back(uow, going.message.id, error, batch, ended)
                    )
        done.statuses.extend(ended.statuses)
        done.failed.extend(ended.failed)

    def _as_stored(self, uow: UnitOfWork, going: _Going) -> _Going:
        """The message and promise as stored (a failed try changed the copies), refilled."""
        message = uow.outbox.get(going.message.id)
        if message is None:
            raise RuntimeError(f"message {going.message.id} vanished under the relay's lock")
        sent = going.message
        message.customer_id, message.channel, message.to = sent.customer_id, sent.channel, sent.to
        message.language, message.subject, message.text = sent.language, sent.subject, sent.text
        promise_id = message.promise_id
        promise = uow.promises.get(promise_id, for_change=True) if promise_id else None
        return _Going(message, promise, going.envelope)

    def _record_one(
        self,
        uow: UnitOfWork,
        going: _Going,
        outcome: Sent,
        batch: _Batch,
        done: _Pass,
        writes: Writes,
    ) -> None:
        message, promise, now = going.message, going.promise, batch.now
        failed_before = message.attempts > 0
        if isinstance(outcome, SendFailed):
            message.failed(now, outcome.reason, temporary=outcome.temporary)
            if message.status is MessageStatus.DEAD:
                not_told(uow, promise, message, now, outcome.reason)
        else:
            message.sent(now, outcome or "")
            if promise is not None:
                record_sent(promise, message, now, writes)
        writes.messages.append(message)
        self._letters(uow, message, failed_before, batch, done)
        done.statuses.append(message.status)

    def _letters(
        self, uow: UnitOfWork, message: Message, failed_before: bool, batch: _Batch, done: _Pass
    ) -> None:
        if message.status is MessageStatus.DEAD:
            done.failed.append(dead_on_the_channel(uow, message, batch.now))
        elif failed_before and message.status is not MessageStatus.RETRYING:
            uow.dead_letters.forget(LetterKind.MESSAGE, [message.id])

    def _set_back(
        self, uow: UnitOfWork, message_id: str, error: Exception, batch: _Batch, done: _Pass
    ) -> MessageStatus:
        # The savepoint undid what the failed try changed; the message is read again as stored.
        message = uow.outbox.get(message_id)
        if message is None:  # it cannot vanish under our lock; tell the caller loudly if it did
            raise error
        what = f"{message.template_key} to {message.customer_id}"
        letter = note_failure(
            uow, LetterKind.MESSAGE, message.id, what, error, batch.now, batch.retry
        )
        message.attempts += 1
        message.reason = letter.error[:500]
        if letter.is_dead:
            message.status = MessageStatus.DEAD
        else:
            message.status = MessageStatus.RETRYING
            message.ready_at = letter.next_try_at or batch.now
        uow.outbox.update(message)
        done.failed.append(letter)
        return message.status

    def _deliver(self, uow: UnitOfWork, message: Message, batch: _Batch) -> _Going | None:
        known, now = batch.known, batch.now
        customer = known.customers.get(message.customer_id) or current_customer(
            uow, message.customer_id
        )
        if customer is None or customer.status is CustomerStatus.ERASED:
            message.suppress(Phrase("reason.customer_erased"))
            return None
        message.customer_id = customer.id
        reply_to = conversation_reply_address(message)
        if reply_to:
            # She wrote to us and waits for the answer: it goes to the address she wrote from,
            # now, not through the consent routing and quiet hours of messages we start.
            return self._going(uow, message, customer, (Channel.EMAIL.value, reply_to), None, batch)
        promise = known.promise_of(uow, message.promise_id) if message.promise_id else None
        stock = functools.partial(known.stock_of, uow)
        if promise is not None and not still_wanted(uow, message, promise, now, stock):
            return None
        line_news = promise is not None and message.template_key in LINE_MESSAGES
        if line_news and promise is not None and promise.id in known.placed:
            message.suppress("she has heard her place since")
            return None
        own = known.own_of(uow, customer.id)
        rules = rules_for(message.purpose, known.business_of(uow), own, self.rules)
        channels = channels_for(own, [c for c in WRITTEN_CHANNELS if c.value in self.senders])
        # Only a capped purpose (by default marketing alone) needs the count.
        # Those of the batch already going count too: none of them is recorded as sent yet.
        capped = rules.cap_on(message.purpose) is not None
        sent_recently = (
            uow.outbox.sent_count(customer.id, message.purpose.value, now - rules.cap_window)
            + known.going[customer.id, message.purpose]
            if capped
            else 0
        )
        decision = decide(
            purpose=message.purpose,
            identities=known.identities_of(uow, customer.id),
            consents=known.consents_of(uow, customer.id),
            sent_in_window=sent_recently,
            now=now,
            time_zone=customer.time_zone,
            rules=rules,
            channels=channels,
        )
        if isinstance(decision, Suppress):
            message.suppress(decision.why)
            not_told(uow, promise, message, now, decision.why)
        elif isinstance(decision, Cap):
            message.cap(decision.why)
        elif isinstance(decision, Hold):
            message.hold_until(decision.until, decision.why)
        else:
            route = (decision.channel.value, decision.to)
            if line_news and promise is not None:
                known.placed.add(promise.id)
            if capped:
                known.going[customer.id, message.purpose] += 1
            return self._going(uow, message, customer, route, promise, batch)
        return None

    def _going(
        self,
        uow: UnitOfWork,
        message: Message,
        customer: Customer,
        route: tuple[str, str],
        promise: Promise | None,
        batch: _Batch,
    ) -> _Going | None:
        """The message filled in for its channel; what its send changes is written after it."""
        (channel, to), known, now = route, batch.known, batch.now
        context = dict(message.context)
        # What she likes, so a template can speak to it ("in your size S", "your usual table"),
        # and what she must never be given: `customer.preferences.never` (ADR 0049).
        likes = known.likes_of(uow, customer.id)
        context.setdefault("customer", {**customer_context(customer), "preferences": likes})
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
            not_told(uow, promise, message, now, message.reason_phrase or message.reason)
            return None
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
            **threading_headers(message),
        )
        return _Going(message, promise, envelope)
