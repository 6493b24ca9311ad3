"""Back in stock, done right: first come first served, as many told as units arrived.

Seed 000: the boutique promised to tell her when the handbag was back, and nobody did. Here a
restock tells the first customers in line (``tell_per_unit`` for each unit that arrived), each in
their own language through the outbox; the others keep their place for the next delivery. The
relay asks `still_wanted` just before sending, so nobody is told about stock already gone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial

from heedful.core.access import SYSTEM, Role
from heedful.core.customers import Purpose
from heedful.core.outreach import Message, Suppress, choose_channel
from heedful.core.promises.line_messages import (
    LINE_MESSAGES,
    line_message_still_true,
    watch_line,
)
from heedful.core.promises.model import (
    Evidence,
    EvidenceKind,
    Promise,
    PromiseKind,
    PromiseState,
    WantedItem,
)
from heedful.core.promises.ports import PromiseFilter
from heedful.core.promises.waiting_book import WaitingBook
from heedful.core.shared.ids import new_id
from heedful.core.shared.phrases import Phrase, word
from heedful.core.shared.timers import Timer, TimerKind
from heedful.core.tasks import Task, TaskKind
from heedful.core.unit_of_work import UnitOfWork

DEFAULT_TELL_PER_UNIT = 1
# A customer no message may reach is called instead: by the next day, or the call is overdue.
CALL_WITHIN = timedelta(days=1)


@dataclass
class Restock:
    arrived: int
    told: list[str] = field(default_factory=list)  # promise ids, in the order they waited
    passed_over: list[str] = field(default_factory=list)  # no channel she consented to: a call


def stock_changed(
    uow: UnitOfWork,
    now: datetime,
    item: WantedItem,
    quantity: int,
    *,
    tell_per_unit: int = DEFAULT_TELL_PER_UNIT,
    cause: str = "",
    nobody_waiting: bool = False,
    book: WaitingBook | None = None,
) -> Restock:
    """Records the units on hand and tells the customers the new units are for.

    Only units that arrived count (on hand now minus before): a sale that lowers the stock, or
    a count that repeats the last one, tells nobody. ``nobody_waiting``: the caller already
    knows the line is empty (a batch's read-ahead), so it is not read again. ``book``: the
    batch's waiting lines read ahead; who is told is taken from it and what telling writes is
    held in it (``waiting_book``): the same customers, in the same order.
    """
    own = book is None
    book = book or WaitingBook()  # an empty book reads and writes through to the database
    before = book.set_level(uow, item, quantity, now)
    arrived = quantity - (before or 0)
    restock = Restock(arrived=max(arrived, 0))
    if arrived <= 0 or nobody_waiting:
        return restock
    wanted = arrived * tell_per_unit
    line = (item.product, item.location_id)
    if book.holds_writes_in(line):
        book.flush(uow)  # the line's places are read from the database: with what it told
    # Those behind the customers told move up: each hears her new place once, for the lot.
    watch = watch_line(uow, item, partial(book.catalog_item, uow))
    # The line never stalls: a customer no consented channel reaches is passed over for this
    # unit (her promise becomes a call for staff) and the next in line is told in her stead.
    while len(restock.told) < wanted:
        batch = book.waiting_for(uow, item, limit=wanted - len(restock.told))
        if not batch:
            break
        for promise in batch:
            unreachable = book.unreachable(uow, promise.customer_id)
            if unreachable is not None:
                book.claim_handed_out(uow)  # passed over, she no longer waits: claimed first
                _pass_over(uow, promise, item, now, cause, unreachable.why)
                restock.passed_over.append(promise.id)
            else:
                message = _telling(promise, item, now, cause)
                book.hold(line, message, promise)
                restock.told.append(promise.id)
    if watch.before:  # nobody held a place before: nobody can hear that it moved
        book.flush(uow)
        watch.tell_moves(uow, now)
    if own:  # the batch's book is written when its run of stock reports ends
        book.flush(uow)
    return restock


def _unreachable(uow: UnitOfWork, customer_id: str) -> Suppress | None:
    decision = choose_channel(
        uow.identities.list_for(customer_id), uow.consents.list_for(customer_id), Purpose.SERVICE
    )
    return decision if isinstance(decision, Suppress) else None


def _pass_over(
    uow: UnitOfWork,
    promise: Promise,
    item: WantedItem,
    now: datetime,
    cause: str,
    why: str | Phrase,
) -> None:
    """Her promise turns into a call for staff, kept or broken by its deadline like any other."""
    promise.kind = PromiseKind.CALL_BACK
    promise.due_at = now + CALL_WITHIN
    call = Phrase("promise.call_unreachable", {"item": item.label(), "why": why})
    promise.text, promise.text_phrase = call.english(), call
    promise.note(Evidence.said(now, EvidenceKind.MESSAGE_NOT_SENT, why, SYSTEM.label, cause))
    uow.promises.update(promise)
    uow.tasks.add(
        Task(
            id=new_id("tsk_"),
            kind=TaskKind.CALL_CUSTOMER,
            title=promise.text,
            title_phrase=call,
            location_id=promise.location_id,
            created_at=now,
            created_by_label=SYSTEM.label,
            customer_id=promise.customer_id,
            promise_id=promise.id,
            assignee_id=promise.owner_id,
            assignee_role=None if promise.owner_id else Role.AGENT,
            due_at=promise.due_at,
        )
    )
    uow.timers.set(Timer(new_id("tmr_"), TimerKind.PROMISE_DEADLINE, promise.id, promise.due_at))


def _tell(
    uow: UnitOfWork, promise: Promise, item: WantedItem, now: datetime, cause: str
) -> Promise:
    message = _telling(promise, item, now, cause)
    uow.outbox.add(message)
    uow.promises.update(promise)
    return promise


def _telling(promise: Promise, item: WantedItem, now: datetime, cause: str) -> Message:
    """The message that tells her, and her promise noted as told (neither written yet)."""
    message = Message(
        id=new_id("msg_"),
        customer_id=promise.customer_id,
        template_key="back_in_stock",
        purpose=Purpose.SERVICE,  # she asked to be told: marketing caps do not apply
        created_at=now,
        ready_at=now,
        location_id=promise.location_id,
        promise_id=promise.id,
        context={"item": {"product": item.product, "variant": item.variant, "size": item.size}},
    )
    promise.notice_message_id = message.id
    promise.note(
        Evidence.said(
            now,
            EvidenceKind.EVENT,
            Phrase("evidence.arrived", {"item": item.label()}),
            SYSTEM.label,
            cause,
        )
    )
    promise.note(
        Evidence(now, EvidenceKind.MESSAGE_QUEUED, "customer to be told", SYSTEM.label, message.id)
    )
    return message


def tell_at_once(uow: UnitOfWork, promise: Promise, now: datetime) -> bool:
    """She asked while units were already on the shelf, unclaimed: she is told now.

    Units on hand minus those already promised to customers told before her (their message on
    its way, their promise still open). Waiting for the next delivery would tell her about a
    restock that already happened. True when she was told.
    """
    if promise.item is None or promise.notice_message_id is not None:
        return False
    stocked = _as_stocked(uow, promise.item)
    on_hand = uow.stock.get(stocked) or 0
    if on_hand <= 0:
        return False
    where = PromiseFilter(
        location_ids=frozenset({promise.location_id}),
        states=frozenset({PromiseState.OPEN}),
        item_products=frozenset({stocked.product}),
    )
    claimed = sum(
        1
        for other in uow.promises.find(where, 1000)
        if other.id != promise.id
        and other.notice_message_id is not None
        and other.item is not None
        and other.item.variant in ("", stocked.variant)
        and other.item.size in ("", stocked.size)
    )
    if on_hand <= claimed:
        return False
    unreachable = _unreachable(uow, promise.customer_id)
    if unreachable is not None:
        _pass_over(uow, promise, stocked, now, "", unreachable.why)
        return False
    _tell(uow, promise, stocked, now, "already in stock when she asked")
    return True


def _as_stocked(uow: UnitOfWork, wanted: WantedItem) -> WantedItem:
    """The item as stock reports name it: a catalog variant carries its own size."""
    variant = uow.catalog.get(wanted.variant) if wanted.variant else None
    if variant is None or wanted.size:
        return wanted
    return WantedItem(wanted.product, wanted.location_id, wanted.variant, variant.size)


def notice_item(message: Message, promise: Promise) -> WantedItem:
    """The item a back-in-stock notice tells of, whose level decides whether it still goes."""
    wanted = message.context.get("item", {})
    return WantedItem(
        product=str(wanted.get("product") or (promise.item.product if promise.item else "?")),
        location_id=promise.location_id,
        variant=str(wanted.get("variant", "")),
        size=str(wanted.get("size", "")),
    )


def still_wanted(
    uow: UnitOfWork,
    message: Message,
    promise: Promise,
    now: datetime,
    stock: Callable[[WantedItem], int | None] | None = None,
) -> bool:
    """A back-in-stock notice goes only while she still waits and the stock is still there.

    The relay asks just before sending; a message about her place in line goes only while it
    is still true (`line_message_still_true`); any other message is always still wanted.
    ``stock``: the level of an item as the relay's batch read it (else asked here).
    """
    if message.template_key in LINE_MESSAGES:
        untrue = line_message_still_true(uow, message, promise)
        if untrue:
            message.suppress(untrue)
        return not untrue
    if message.template_key != "back_in_stock":
        return True
    if not promise.is_open:
        message.suppress(
            Phrase("reason.promise_ended", {"state": word("state", promise.state.value)})
        )
        return False
    item = notice_item(message, promise)
    if ((stock or uow.stock.get)(item) or 0) > 0:
        return True
    message.suppress(Phrase("reason.stock_went"))
    # Back in line at her old place: the next delivery is hers.
    promise.notice_message_id = None
    promise.note(
        Evidence.said(
            now,
            EvidenceKind.MESSAGE_NOT_SENT,
            message.reason_phrase or message.reason,
            SYSTEM.label,
            message.id,
        )
    )
    uow.promises.update(promise)
    return False
