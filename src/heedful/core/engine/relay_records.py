"""What the relay writes beside a message's own row: the promise's evidence, dead letters."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from heedful.core.access import SYSTEM, load_customer
from heedful.core.customers import Customer
from heedful.core.dead_letters import DeadLetter, LetterKind, LetterState, first_failure
from heedful.core.outreach import Message
from heedful.core.promises import LINE_MESSAGES, Evidence, EvidenceKind, Promise, PromiseKind
from heedful.core.shared.errors import NotFound
from heedful.core.shared.phrases import Phrase, word
from heedful.core.unit_of_work import UnitOfWork


@dataclass
class Writes:
    """What recording a batch's sends changes beside the messages, written at once."""

    messages: list[Message] = field(default_factory=list)
    promises: dict[str, Promise] = field(default_factory=dict)
    kept: dict[str, Promise] = field(default_factory=dict)  # their tasks and timers end

    def write(self, uow: UnitOfWork, now: datetime) -> None:
        uow.outbox.update_many(self.messages)
        if self.kept:
            # As settle_tasks does for one promise: its open tasks are moot once it is kept.
            for task in uow.tasks.open_for_promises(sorted(self.kept)):
                promise = self.kept[str(task.promise_id)]
                task.complete(now, f"{SYSTEM.label} ({promise.state.value.replace('_', ' ')})")
                uow.tasks.update(task)
            uow.timers.cancel_many(sorted(self.kept))
        # record_sent changes a promise's evidence and state (kept), nothing else of it.
        uow.promises.update_evidence_and_state(list(self.promises.values()))


def record_sent(promise: Promise, message: Message, now: datetime, writes: Writes) -> None:
    sent_on = Phrase(
        "evidence.sent_on", {"channel": word("channel", message.channel), "to": message.to}
    )
    promise.note(Evidence.said(now, EvidenceKind.MESSAGE_SENT, sent_on, SYSTEM.label, message.id))
    # Only the notice that it is back keeps a wish; her place in line is news, not the deed.
    if (
        promise.is_open
        and promise.kind is PromiseKind.TELL_WHEN_AVAILABLE
        and message.template_key not in LINE_MESSAGES
    ):
        promise.keep(now, SYSTEM.label, "the customer was told", message.id)
        writes.kept[promise.id] = promise
    writes.promises[promise.id] = promise


def not_told(
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


def dead_on_the_channel(uow: UnitOfWork, message: Message, now: datetime) -> DeadLetter:
    """A channel's final refusal (or its tries ran out): listed with the other dead letters."""
    what = f"{message.template_key} to {message.customer_id}"
    letter = uow.dead_letters.get(LetterKind.MESSAGE, message.id) or first_failure(
        LetterKind.MESSAGE, message.id, what, now
    )
    letter.attempts, letter.error, letter.last_failed_at = message.attempts, message.reason, now
    letter.state, letter.next_try_at = LetterState.DEAD, None
    uow.dead_letters.save(letter)
    return letter


def current_customer(uow: UnitOfWork, customer_id: str) -> Customer | None:
    """The customer now (the survivor, if merged since the message was queued)."""
    try:
        return load_customer(uow, SYSTEM, customer_id)
    except NotFound:
        return None


def customer_context(customer: Customer) -> dict[str, str]:
    first = customer.full_name.split()[0] if customer.full_name.split() else ""
    return {"name": customer.full_name, "first_name": first, "language": customer.language}


def conversation_reply_address(message: Message) -> str:
    reply = message.context.get("reply")
    return str(reply.get("to") or "") if isinstance(reply, dict) else ""


def threading_headers(message: Message) -> dict[str, Any]:
    threading = message.context.get("threading")
    if not isinstance(threading, dict):
        return {}
    return {
        "in_reply_to": str(threading.get("in_reply_to") or ""),
        "references": tuple(str(ref) for ref in threading.get("references") or ()),
    }
