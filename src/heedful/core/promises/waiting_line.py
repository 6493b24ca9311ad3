"""Waiting lines made visible: who waits for which item, where, in what order and how it stands.

Seed 000's failure was silent: nobody could see who was waiting for the bag. Here each item has
its line per location (position, since when, language, channel, state), and the card says where
she stands ("3rd in line for Selene, black, at Lypky").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from heedful.core.access import Actor, Permission, load_customer, scope_of
from heedful.core.catalog import CatalogItem, normalise
from heedful.core.customers import Purpose
from heedful.core.outreach import MessageStatus, Suppress, choose_channel
from heedful.core.promises.line_messages import is_waiting, line_of, place_of
from heedful.core.promises.model import Promise, PromiseKind, PromiseState, WantedItem
from heedful.core.promises.ports import PromiseFilter
from heedful.core.shared.errors import NotFound
from heedful.core.unit_of_work import UnitOfWork

MAX_LINE = 1000


class PlaceState(StrEnum):
    WAITING = "waiting"
    TOLD = "told"  # her message is on its way or went
    HELD = "held"  # told, the message waits out her quiet hours (``held_until``)
    BOUGHT = "bought"
    EXPIRED = "expired"  # the wait ran past its deadline


@dataclass(frozen=True)
class PlaceInLine:
    promise: Promise
    position: int | None  # 1 for the first still waiting; None once told or closed
    customer_name: str
    language: str
    channel: str  # the channel she is or would be told on; "" when none she consented to
    state: PlaceState
    held_until: datetime | None = None


@dataclass(frozen=True)
class Line:
    location_id: str
    places: list[PlaceInLine]


def _fits(promise: Promise, item: WantedItem) -> bool:
    wanted = promise.item
    return (
        promise.kind is PromiseKind.TELL_WHEN_AVAILABLE
        and wanted is not None
        and wanted.product == item.product
        and (not item.variant or wanted.variant in ("", item.variant))
    )


def _waited_for(item: CatalogItem) -> WantedItem:
    if item.parent_code:
        return WantedItem(item.parent_code, "", variant=item.code)
    return WantedItem(item.code, "")


def _state(uow: UnitOfWork, promise: Promise) -> tuple[PlaceState, datetime | None, str]:
    if promise.state is PromiseState.BROKEN:
        return PlaceState.EXPIRED, None, ""
    if promise.notice_message_id is None:
        return (PlaceState.TOLD if promise.state.is_final else PlaceState.WAITING), None, ""
    message = uow.outbox.get(promise.notice_message_id)
    if message is None:
        return PlaceState.TOLD, None, ""
    if message.status is MessageStatus.HELD:
        return PlaceState.HELD, message.ready_at, message.channel
    return PlaceState.TOLD, None, message.channel


def _channel(uow: UnitOfWork, customer_id: str) -> str:
    decision = choose_channel(
        uow.identities.list_for(customer_id), uow.consents.list_for(customer_id), Purpose.SERVICE
    )
    return "" if isinstance(decision, Suppress) else decision.channel.value


def waiting_lines(uow: UnitOfWork, actor: Actor, code: str) -> tuple[CatalogItem, list[Line]]:
    """The item's line at each of the actor's locations, first come first."""
    actor.require(Permission.VIEW_CUSTOMERS)
    with uow:
        item = uow.catalog.get(normalise(code))
        if item is None:
            raise NotFound(f"no item {code}")
        wanted = _waited_for(item)
        where = PromiseFilter(
            location_ids=scope_of(actor).location_ids, item_products=frozenset({wanted.product})
        )
        every = uow.promises.find(where, MAX_LINE)
        # Places are counted as the customers' messages count them: among all still waiting
        # for the product there, any variant (one rule, `line_messages.place_of`).
        waiting: dict[str, list[Promise]] = {}
        for promise in every:
            if is_waiting(promise):
                waiting.setdefault(promise.location_id, []).append(promise)
        found = [
            p
            for p in every
            if _fits(p, wanted) and p.state not in (PromiseState.CANCELLED, PromiseState.WITHDRAWN)
        ]
        lines: dict[str, list[PlaceInLine]] = {}
        for promise in sorted(found, key=lambda p: p.sequence):
            places = lines.setdefault(promise.location_id, [])
            customer = uow.customers.get(promise.customer_id)
            state, held_until, channel = _state(uow, promise)
            position = place_of(promise, waiting.get(promise.location_id, []))
            places.append(
                PlaceInLine(
                    promise=promise,
                    position=position,
                    customer_name=customer.full_name if customer else "",
                    language=customer.language if customer else "",
                    channel=channel or _channel(uow, promise.customer_id),
                    state=state,
                    held_until=held_until,
                )
            )
    return item, [Line(location, places) for location, places in sorted(lines.items())]


@dataclass(frozen=True)
class Standing:
    promise_id: str
    position: int
    item_name: str  # in the language asked for, else any the catalog has, else the code
    location_id: str


def standings(
    uow: UnitOfWork, actor: Actor, customer_id: str, language: str = "en"
) -> list[Standing]:
    """Where the customer stands in each line she waits in ("3rd in line for Selene, black")."""
    with uow:
        customer = load_customer(uow, actor, customer_id)
        mine = uow.promises.find(
            PromiseFilter(customer_id=customer.id, states=frozenset({PromiseState.OPEN})), 100
        )
        found: list[Standing] = []
        for promise in mine:
            if promise.kind is not PromiseKind.TELL_WHEN_AVAILABLE or promise.item is None:
                continue
            item = promise.item
            position = place_of(promise, line_of(uow, promise.location_id, item.product))
            if position is None:
                continue  # told: her unit is on its way, she waits in no line
            named = uow.catalog.get(item.variant or item.product)
            name = named.name(language) if named else item.label()
            found.append(Standing(promise.id, position, name, promise.location_id))
    return found
