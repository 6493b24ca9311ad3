"""Promise use cases: make one, keep it, cancel it, note that the customer withdrew it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol

from heedful.core.access import Actor, Permission, load_customer, scope_of
from heedful.core.calendar import LocationBusinessHours
from heedful.core.customers import audit, note_location
from heedful.core.promises.back_in_stock import tell_at_once
from heedful.core.promises.line_messages import LineWatch, tell_joined, watch_line_of
from heedful.core.promises.model import (
    NEEDS_DEADLINE,
    Evidence,
    EvidenceKind,
    Promise,
    PromiseKind,
    PromiseState,
    WantedItem,
)
from heedful.core.promises.ports import PromiseFilter
from heedful.core.promises.wishes import bind_item, record_implied_consent
from heedful.core.shared.clock import Clock
from heedful.core.shared.errors import Conflict, Forbidden, InvalidInput, NotFound
from heedful.core.shared.ids import new_id
from heedful.core.shared.phrases import Phrase
from heedful.core.shared.timers import Timer, TimerKind
from heedful.core.unit_of_work import UnitOfWork

# How long before the deadline the owner is reminded: a call-back needs a nudge minutes ahead,
# a refund a day ahead, so that there is still time to act.
REMINDER_LEAD: dict[PromiseKind, timedelta] = {
    PromiseKind.CALL_BACK: timedelta(minutes=15),
    PromiseKind.REPLY_BY: timedelta(hours=1),
    PromiseKind.REFUND_BY: timedelta(days=1),
    PromiseKind.DELIVER_BY: timedelta(days=1),
    PromiseKind.OTHER: timedelta(hours=1),
    PromiseKind.TELL_WHEN_AVAILABLE: timedelta(days=1),
    PromiseKind.RECOVER: timedelta(hours=2),
}
MAX_TEXT = 1000


class BusinessHours(Protocol):
    """The location's business calendar, for deadlines said in business time."""

    def add(self, location_id: str, start: datetime, duration: timedelta) -> datetime: ...


@dataclass(frozen=True)
class MakePromise:
    customer_id: str
    kind: PromiseKind
    location_id: str
    text: str | Phrase = ""  # a phrase when the system makes it (ADR 0047)
    due_at: datetime | None = None
    due_in_business_minutes: int | None = None
    item: WantedItem | None = None
    owner_id: str | None = None
    reference: str = ""


def described(promise: Promise) -> dict[str, object]:
    return {
        "kind": promise.kind.value,
        "text": promise.text,
        "state": promise.state.value,
        "due_at": promise.due_at.isoformat() if promise.due_at else None,
        "item": promise.item.label() if promise.item else None,
    }


_DEFAULT_TEXT = {
    PromiseKind.CALL_BACK: "promise.call_back",
    PromiseKind.REPLY_BY: "promise.reply_by",
    PromiseKind.REFUND_BY: "promise.refund_by",
    PromiseKind.DELIVER_BY: "promise.deliver_by",
}


def _default_text(cmd: MakePromise) -> Phrase | None:
    if cmd.kind is PromiseKind.TELL_WHEN_AVAILABLE and cmd.item is not None:
        return Phrase("promise.tell_when_available", {"item": cmd.item.label()})
    # A free-form promise has no words of its own to fall back on: staff must say it.
    key = _DEFAULT_TEXT.get(cmd.kind)
    return Phrase(key) if key else None


def promise_words(cmd: MakePromise) -> tuple[str, Phrase | None]:
    """The promise's words as kept, and the phrase behind them when the system chose them."""
    if isinstance(cmd.text, Phrase):
        return cmd.text.english(), cmd.text
    typed = " ".join(cmd.text.split())
    if typed:
        return typed, None
    default = _default_text(cmd)
    return (default.english(), default) if default else ("", None)


def checked_words(cmd: MakePromise) -> tuple[str, Phrase | None]:
    """``promise_words``, refused when there are none or too many: one rule for a promise made
    by staff and for those a look-ahead pass makes in bulk."""
    text, phrase = promise_words(cmd)
    if not text:
        raise InvalidInput(
            "say what was promised", said=Phrase("refusal.promise_text"), field="text"
        )
    if len(text) > MAX_TEXT:
        raise InvalidInput(
            f"a promise is at most {MAX_TEXT} characters",
            said=Phrase("refusal.promise_length"),
            field="text",
        )
    return text, phrase


def checked_due(cmd: MakePromise, now: datetime, hours: BusinessHours) -> datetime | None:
    """``due_of``, refused for a kind that needs a deadline and was given none."""
    due_at = due_of(cmd, now, hours)
    if cmd.kind in NEEDS_DEADLINE and due_at is None:
        raise InvalidInput(
            f"a {cmd.kind.value} promise needs a deadline",
            said=Phrase("refusal.promise_deadline"),
            field="due_at",
        )
    return due_at


def due_of(cmd: MakePromise, now: datetime, hours: BusinessHours) -> datetime | None:
    if cmd.due_at is not None and cmd.due_in_business_minutes is not None:
        raise InvalidInput("give a deadline or a business-time span, not both", field="due_at")
    if cmd.due_in_business_minutes is not None:
        if cmd.due_in_business_minutes <= 0:
            raise InvalidInput("a span must be positive", field="due_in_business_minutes")
        try:
            return hours.add(cmd.location_id, now, timedelta(minutes=cmd.due_in_business_minutes))
        except InvalidInput as unusable:
            raise InvalidInput(
                str(unusable), field="due_in_business_minutes", said=unusable.said
            ) from None
    if cmd.due_at is not None:
        if cmd.due_at.tzinfo is None:
            raise InvalidInput("a deadline needs its time zone or offset", field="due_at")
        if cmd.due_at <= now:
            raise InvalidInput(
                "the deadline has already passed",
                said=Phrase("refusal.deadline_passed"),
                field="due_at",
            )
        return cmd.due_at.astimezone(UTC)
    return None


def make_promise(
    cmd: MakePromise,
    uow: UnitOfWork,
    clock: Clock,
    actor: Actor,
    hours: BusinessHours | None = None,
) -> Promise:
    actor.require(Permission.MAKE_PROMISES)
    now = clock.now()
    if cmd.kind is PromiseKind.TELL_WHEN_AVAILABLE:
        if cmd.item is None:
            raise InvalidInput(
                "say which item the customer waits for",
                said=Phrase("refusal.product"),
                field="item",
            )
        if cmd.item.location_id != cmd.location_id:
            raise InvalidInput("the item is waited for at the promise's location", field="item")
    elif cmd.item is not None:
        raise InvalidInput("only a promise to tell about an item names one", field="item")
    text, phrase = checked_words(cmd)
    with uow:
        due_at = checked_due(cmd, now, hours or LocationBusinessHours(uow))
        customer = load_customer(uow, actor, cmd.customer_id, for_change=True)
        if uow.locations.get(cmd.location_id) is None:
            raise InvalidInput(
                f"no location {cmd.location_id}",
                said=Phrase("refusal.no_location"),
                field="location_id",
            )
        if not actor.may_act_at(cmd.location_id):
            raise Forbidden(
                "you do not work at that location",
                said=Phrase("refusal.not_your_location"),
                field="location_id",
            )
        owner_id = cmd.owner_id
        if owner_id is not None and uow.staff.get(owner_id) is None:
            raise InvalidInput(f"no staff member {owner_id}", field="owner_id")
        if owner_id is None and uow.staff.get(actor.id) is not None:
            owner_id = actor.id  # whoever made it keeps it, unless they hand it over
        item = cmd.item
        if item is not None:
            item = bind_item(uow, item, now)
        promise = new_promise(
            cmd,
            actor,
            now,
            customer_id=customer.id,
            text=(text, phrase),
            due_at=due_at,
            owner_id=owner_id,
            item=item,
        )
        uow.promises.add(promise)
        _set_timers(uow, promise, now)
        if item is not None:
            record_implied_consent(uow, actor, now, promise)
            if not tell_at_once(uow, promise, now):
                tell_joined(uow, promise, now)  # "you are 3rd in line for Selene, black"
        note_location(uow, actor, now, customer, cmd.location_id)
        audit(
            uow,
            actor,
            now,
            "promise.made",
            customer_id=customer.id,
            entity="promise",
            entity_id=promise.id,
            after=described(promise),
        )
        uow.commit()
    return promise


def new_promise(
    cmd: MakePromise,
    actor: Actor,
    now: datetime,
    *,
    customer_id: str,
    text: tuple[str, Phrase | None],
    due_at: datetime | None,
    owner_id: str | None = None,
    item: WantedItem | None = None,
) -> Promise:
    """The promise as made, with its first evidence: one builder for staff, playbooks and bulk.

    The words and the deadline come already checked (``checked_words``, ``checked_due``), so a
    promise made one at a time and one made in a look-ahead window read the same.
    """
    words, phrase = text
    promise = Promise(
        id=new_id("prm_"),
        customer_id=customer_id,
        location_id=cmd.location_id,
        kind=cmd.kind,
        text=words,
        text_phrase=phrase,
        made_by=actor.id,
        made_by_label=actor.label,
        made_at=now,
        due_at=due_at,
        owner_id=owner_id,
        item=item,
        due_in_business_minutes=cmd.due_in_business_minutes,
        reference=cmd.reference.strip(),
    )
    promise.note(Evidence(now, EvidenceKind.MADE, words, actor.label))
    return promise


def _set_timers(uow: UnitOfWork, promise: Promise, now: datetime) -> None:
    for timer in timers_for(promise, now):
        uow.timers.set(timer)


def timers_for(promise: Promise, now: datetime) -> list[Timer]:
    """Its reminder (while there is still time before it) and its deadline."""
    if promise.due_at is None:
        return []
    found = []
    remind_at = promise.due_at - REMINDER_LEAD[promise.kind]
    if remind_at > now and promise.kind is not PromiseKind.TELL_WHEN_AVAILABLE:
        found.append(Timer(new_id("tmr_"), TimerKind.PROMISE_REMINDER, promise.id, remind_at))
    found.append(Timer(new_id("tmr_"), TimerKind.PROMISE_DEADLINE, promise.id, promise.due_at))
    return found


def _load_open(uow: UnitOfWork, actor: Actor, promise_id: str) -> Promise:
    promise = uow.promises.get(promise_id, for_change=True)
    if promise is None:
        raise NotFound(f"no promise {promise_id}")
    # Seeing the customer is what lets staff see the promise; an outsider learns nothing.
    load_customer(uow, actor, promise.customer_id)
    if not actor.may_act_at(promise.location_id):
        raise Forbidden(
            "you do not work at that location",
            said=Phrase("refusal.not_your_location"),
            field="promise_id",
        )
    return promise


def _close(
    uow: UnitOfWork,
    actor: Actor,
    now: datetime,
    promise: Promise,
    action: str,
    watch: LineWatch | None = None,
) -> Promise:
    uow.promises.update(promise)
    if watch is not None:
        watch.tell_moves(uow, now)  # she left the line: those behind her move up
    uow.timers.cancel(promise.id)
    # Reminders and escalations about a promise that is settled would only be noise now.
    for task in uow.tasks.open_for_promise(promise.id):
        task.complete(now, f"{actor.label} ({promise.state.value.replace('_', ' ')})")
        uow.tasks.update(task)
    audit(
        uow,
        actor,
        now,
        action,
        customer_id=promise.customer_id,
        entity="promise",
        entity_id=promise.id,
        after=described(promise),
    )
    return promise


def keep_promise(
    promise_id: str, note: str, uow: UnitOfWork, clock: Clock, actor: Actor
) -> Promise:
    """Staff record that they did what was promised (called back, refunded, delivered)."""
    actor.require(Permission.MAKE_PROMISES)
    now = clock.now()
    with uow:
        promise = _load_open(uow, actor, promise_id)
        if promise.kind is PromiseKind.RECOVER:
            # Its loop closes it, with the root cause and the action the outer loop learns from.
            raise Conflict("close a recovery from its loop, with a root cause", field="kind")
        watch = watch_line_of(uow, promise)
        promise.note(Evidence(now, EvidenceKind.STAFF_ACTION, note.strip() or "done", actor.label))
        promise.keep(now, actor.label, note.strip())
        _close(uow, actor, now, promise, "promise.kept", watch)
        uow.commit()
    return promise


def cancel_promise(
    promise_id: str, reason: str, uow: UnitOfWork, clock: Clock, actor: Actor
) -> Promise:
    actor.require(Permission.MAKE_PROMISES)
    now = clock.now()
    with uow:
        promise = _load_open(uow, actor, promise_id)
        watch = watch_line_of(uow, promise)
        promise.cancel(now, actor.label, " ".join(reason.split()))
        _close(uow, actor, now, promise, "promise.cancelled", watch)
        uow.commit()
    return promise


def withdraw_promise(
    promise_id: str, note: str, uow: UnitOfWork, clock: Clock, actor: Actor
) -> Promise:
    """The customer no longer wants it: not the business's failure, so not counted as broken."""
    actor.require(Permission.MAKE_PROMISES)
    now = clock.now()
    with uow:
        promise = _load_open(uow, actor, promise_id)
        watch = watch_line_of(uow, promise)
        promise.withdraw(now, actor.label, " ".join(note.split()))
        _close(uow, actor, now, promise, "promise.withdrawn", watch)
        uow.commit()
    return promise


def get_promise(promise_id: str, uow: UnitOfWork, actor: Actor) -> Promise:
    with uow:
        promise = uow.promises.get(promise_id)
        if promise is None:
            raise NotFound(f"no promise {promise_id}")
        load_customer(uow, actor, promise.customer_id)
        return promise


def list_promises(
    uow: UnitOfWork,
    actor: Actor,
    *,
    customer_id: str | None = None,
    states: frozenset[PromiseState] | None = None,
    due_before: datetime | None = None,
    limit: int = 100,
) -> list[Promise]:
    actor.require(Permission.VIEW_CUSTOMERS)
    with uow:
        if customer_id is not None:
            customer_id = load_customer(uow, actor, customer_id).id
        where = PromiseFilter(
            customer_id=customer_id,
            location_ids=scope_of(actor).location_ids,
            states=states,
            due_before=due_before,
        )
        return uow.promises.find(where, limit)
