"""Her place in line, told to her: when she joins a line and when her place moves up.

No back-in-stock product tells the customer where she stands. Here the confirmation of a wish
bound to a catalog item says "you are 3rd in line for Selene, black", and when people ahead of
her are served (a unit is theirs) or drop out (cancelled, withdrawn, expired, passed over for a
call), she hears her new place: one message per change of the line, however many moved ahead of
her in it (a delivery of three units is one move, not three).

A place counts only those still waiting for a unit: a customer who was told (her unit is on its
way to her) has left the line, and comes back to her old place only if the stock went before
she could be told. The messages go through the outbox like any other, within consent, quiet
hours and caps; the relay asks `line_message_still_true` just before sending, so a message held
through the night never tells a place that has changed since.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from heedful.core.catalog import CatalogItem
from heedful.core.customers import Purpose
from heedful.core.outreach import Message
from heedful.core.promises.model import (
    EvidenceKind,
    Promise,
    PromiseKind,
    PromiseState,
    WantedItem,
)
from heedful.core.promises.ports import PromiseFilter
from heedful.core.shared.ids import new_id
from heedful.core.unit_of_work import UnitOfWork

JOINED = "waiting_line_joined"
MOVED = "waiting_line_moved"
LINE_MESSAGES = frozenset({JOINED, MOVED})
# A line longer than this is read in part: the newest wishes are the ones that could be behind.
MAX_LINE = 1000


def is_waiting(promise: Promise) -> bool:
    """Open, bound to an item, and no unit told to her yet: she holds a place in line."""
    return (
        promise.kind is PromiseKind.TELL_WHEN_AVAILABLE
        and promise.state is PromiseState.OPEN
        and promise.item is not None
        and promise.notice_message_id is None
    )


def line_of(uow: UnitOfWork, location_id: str, product: str) -> list[Promise]:
    """Everyone waiting for the product at the location, first come first."""
    # Only waits: the partial index ix_promises_waiting serves the read, which then costs the
    # line's length, not every promise ever made (issue 18's benchmark found a scan here).
    where = PromiseFilter(
        location_ids=frozenset({location_id}),
        states=frozenset({PromiseState.OPEN}),
        item_products=frozenset({product}),
        kinds=frozenset({PromiseKind.TELL_WHEN_AVAILABLE}),
    )
    found = [p for p in uow.promises.find(where, MAX_LINE) if is_waiting(p)]
    return sorted(found, key=lambda promise: promise.sequence)


def place_of(promise: Promise, line: Sequence[Promise]) -> int | None:
    """1 for the first in line; None when she is not waiting.

    Those ahead are those who asked before her for what she asked or for any variant of it
    when she named none: a wish for "any Selene" waits behind a wish for the black one, since
    the black unit that arrives is for the one who asked first.
    """
    if not is_waiting(promise) or promise.item is None:
        return None
    variant = promise.item.variant
    return 1 + sum(
        1
        for other in line
        if other.id != promise.id
        and other.sequence < promise.sequence
        and other.item is not None
        and (not variant or other.item.variant in ("", variant))
    )


def ordinal_en(position: int) -> str:
    """ "3rd": English only; Russian and Ukrainian texts say the number ("місце: 3")."""
    if 10 <= position % 100 <= 20:
        return f"{position}th"
    return f"{position}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(position % 10, 'th') }"


def _item_name(uow: UnitOfWork, promise: Promise, language: str) -> str:
    item = promise.item
    if item is None:
        return ""
    named = uow.catalog.get(item.variant or item.product)
    return named.name(language) if named else item.label()


def _line_message(
    uow: UnitOfWork, promise: Promise, key: str, place: int, now: datetime
) -> Message:
    customer = uow.customers.get(promise.customer_id)
    language = customer.language if customer else "en"
    return Message(
        id=new_id("msg_"),
        customer_id=promise.customer_id,
        template_key=key,
        purpose=Purpose.SERVICE,  # she asked to be told about this item
        created_at=now,
        ready_at=now,
        location_id=promise.location_id,
        promise_id=promise.id,
        context={"line": _line_context(place, _item_name(uow, promise, language))},
    )


def _line_context(place: int, item: str) -> dict[str, object]:
    return {"position": place, "place": ordinal_en(place), "item": item}


def tell_joined(uow: UnitOfWork, promise: Promise, now: datetime) -> Message | None:
    """The confirmation of a wish: her place in the line she joined.

    Only for an item the catalog knows (a provisional one's line is no line yet: she hears when
    staff link it) and only while she waits (told at once, she hears that instead).
    """
    if not is_waiting(promise) or promise.item is None:
        return None
    if not _known(uow, promise.item):
        return None
    place = place_of(promise, line_of(uow, promise.location_id, promise.item.product))
    if place is None:
        return None
    message = _line_message(uow, promise, JOINED, place, now)
    uow.outbox.add(message)
    return message


@dataclass
class LineWatch:
    """Places in one line before a change, so that after it each customer whose place improved
    hears it once, with her new place."""

    location_id: str
    product: str
    before: dict[str, int]

    def tell_moves(self, uow: UnitOfWork, now: datetime) -> list[Message]:
        line = line_of(uow, self.location_id, self.product)
        told: list[Message] = []
        for promise in line:
            was, now_at = self.before.get(promise.id), place_of(promise, line)
            if was is None or now_at is None or now_at >= was:
                continue
            message = _line_message(uow, promise, MOVED, now_at, now)
            told.append(message)
        if told:
            uow.outbox.add_many(told)
        return told


def _known(
    uow: UnitOfWork, wanted: WantedItem, catalog: Callable[[str], CatalogItem | None] | None = None
) -> bool:
    """A line is told about only for an item the catalog knows (the variant, else the product):
    a provisional one (a wish in staff's words, a code no import described) is no line yet; she
    hears her place once staff link her wish, from the place she took when she first asked."""
    get = catalog or uow.catalog.get
    for code in (wanted.variant, wanted.product):
        item = get(code) if code else None
        if item is not None and not item.provisional:
            return True
    return False


def watch_line(
    uow: UnitOfWork, wanted: WantedItem, catalog: Callable[[str], CatalogItem | None] | None = None
) -> LineWatch:
    """The line ``wanted`` is waited for in (its product at its location), watched.

    ``catalog``: the catalog's items as a batch read them ahead (else asked here).
    """
    location_id, product = wanted.location_id, wanted.product
    if not _known(uow, wanted, catalog):
        return LineWatch(location_id, product, {})  # nobody in it hears a move
    line = line_of(uow, location_id, product)
    places = {p.id: place for p in line if (place := place_of(p, line)) is not None}
    return LineWatch(location_id, product, places)


def watch_line_of(uow: UnitOfWork, promise: Promise) -> LineWatch | None:
    """The watch over the line a promise stands in; None for a promise that stands in none."""
    if promise.kind is not PromiseKind.TELL_WHEN_AVAILABLE or promise.item is None:
        return None
    return watch_line(uow, promise.item)


def line_message_still_true(uow: UnitOfWork, message: Message, promise: Promise) -> str:
    """Why a line message would no longer be true just before it is sent; "" when it is.

    A confirmation tells her place as it is when it goes (held through the night, it may have
    moved up). A "your place moved" goes only if it still tells her place (else a later one
    says the newer place). Neither goes once she has heard her place after it was written.
    """
    if promise.notice_message_id is not None:
        return "she was told it is back"
    if not is_waiting(promise) or promise.item is None:
        return f"she no longer waits in line (the promise is {promise.state.value})"
    place = place_of(promise, line_of(uow, promise.location_id, promise.item.product))
    if place is None:  # pragma: no cover - is_waiting said she waits
        return "she no longer waits in line"
    # She heard her place after this message was written (held messages go in any order
    # once her quiet hours end): whichever went first told the place she has now.
    if any(
        e.kind is EvidenceKind.MESSAGE_SENT and e.at > message.created_at for e in promise.evidence
    ):
        return "she has heard her place since"
    line = message.context.get("line")
    stated = dict(line) if isinstance(line, dict) else {}
    if message.template_key == JOINED:
        stated.update(_line_context(place, str(stated.get("item", ""))))
        message.context = {**message.context, "line": stated}
        return ""
    return "" if stated.get("position") == place else "her place changed again since"
