"""Wishes bound to the catalog: what staff pick is exactly what the stock system names.

A wish for something the catalog does not know yet is kept against a provisional item, listed
as unlinked, and linked later to the real item; her place in line stays the one she took when she
first asked (``Promise.sequence``), so linking late never sends her to the back.
"""

from __future__ import annotations

from datetime import datetime

from heedful.core.access import Actor, Permission, load_customer, scope_of
from heedful.core.catalog import CatalogItem, ItemKind, normalise, provisional_item
from heedful.core.customers import SENT_TO, ConsentDecision, Purpose, audit, current_consents
from heedful.core.promises.back_in_stock import tell_at_once
from heedful.core.promises.line_messages import tell_joined
from heedful.core.promises.model import (
    Evidence,
    EvidenceKind,
    Promise,
    PromiseKind,
    PromiseState,
    WantedItem,
)
from heedful.core.promises.ports import PromiseFilter
from heedful.core.shared.clock import Clock
from heedful.core.shared.errors import Conflict, Forbidden, InvalidInput, NotFound
from heedful.core.shared.ids import new_id
from heedful.core.shared.phrases import Phrase
from heedful.core.unit_of_work import UnitOfWork

_PARENTED = frozenset({ItemKind.VARIANT, ItemKind.ROOM})
MAX_UNLINKED = 500


def as_wanted(item: CatalogItem, location_id: str, size: str = "") -> WantedItem:
    """What a stock report of this item fulfils: a variant under its product, else the item."""
    if item.kind in _PARENTED and item.parent_code:
        return WantedItem(item.parent_code, location_id, variant=item.code, size=size)
    return WantedItem(item.code, location_id, size=size)


def bind_item(uow: UnitOfWork, wanted: WantedItem, now: datetime, words: str = "") -> WantedItem:
    """The wanted item as the catalog names it; an unknown one kept against a provisional item.

    A variant's code given as the product ("selene-black") becomes the product with that variant,
    as the stock system will report it.
    """
    if wanted.variant:
        if uow.catalog.get(wanted.product) is None:
            uow.catalog.put(_provisional(wanted.product, now, words))
        return wanted
    known = uow.catalog.get(wanted.product)
    if known is None:
        uow.catalog.put(_provisional(wanted.product, now, words))
        return wanted
    return as_wanted(known, wanted.location_id, wanted.size)


def record_implied_consent(
    uow: UnitOfWork, actor: Actor, now: datetime, promise: Promise
) -> list[ConsentDecision]:
    """Asking to be told is consent to be told: service messages on the addresses she gave.

    Recorded with its source (the promise), only where she has not decided already: a "no" she
    said before is hers to change, not ours to assume away.
    """
    identities = uow.identities.list_for(promise.customer_id)
    decided = current_consents(uow.consents.list_for(promise.customer_id))
    kinds = {identity.kind for identity in identities}
    what = promise.item.label() if promise.item else ""
    recorded: list[ConsentDecision] = []
    for channel, kind in SENT_TO.items():
        if kind not in kinds or (channel, Purpose.SERVICE) in decided:
            continue
        decision = ConsentDecision(
            id=new_id("cns_"),
            customer_id=promise.customer_id,
            channel=channel,
            purpose=Purpose.SERVICE,
            granted=True,
            decided_at=now,
            how=f"asked to be told when {what} is back ({promise.id})"[:200],
            recorded_by=actor.id,
            recorded_by_label=actor.label,
        )
        uow.consents.add(decision)
        recorded.append(decision)
        audit(
            uow,
            actor,
            now,
            "consent.granted",
            customer_id=promise.customer_id,
            entity="consent",
            entity_id=decision.id,
            after={
                "channel": channel.value,
                "purpose": "service",
                "granted": True,
                "how": decision.how,
            },
        )
    return recorded


def _provisional(code: str, now: datetime, words: str) -> CatalogItem:
    item = provisional_item(code, now)
    item.names = {"en": " ".join((words or code).split())}
    return item


def unlinked_wishes(uow: UnitOfWork, actor: Actor, limit: int = 100) -> list[Promise]:
    """Open wishes for items the catalog does not know yet, at your locations; oldest first."""
    actor.require(Permission.VIEW_CUSTOMERS)
    with uow:
        codes = frozenset(item.code for item in uow.catalog.provisional(MAX_UNLINKED))
        if not codes:
            return []
        where = PromiseFilter(
            location_ids=scope_of(actor).location_ids,
            states=frozenset({PromiseState.OPEN}),
            item_products=codes,
        )
        found = [
            p for p in uow.promises.find(where, limit) if p.kind is PromiseKind.TELL_WHEN_AVAILABLE
        ]
    return sorted(found, key=lambda promise: promise.sequence)


def link_wish(promise_id: str, code: str, uow: UnitOfWork, clock: Clock, actor: Actor) -> Promise:
    """Binds a wish to a real item; she keeps the place in line she took when she first asked."""
    actor.require(Permission.MAKE_PROMISES)
    now = clock.now()
    with uow:
        promise = uow.promises.get(promise_id, for_change=True)
        if promise is None:
            raise NotFound(f"no promise {promise_id}")
        load_customer(uow, actor, promise.customer_id)
        if not actor.may_act_at(promise.location_id):
            raise Forbidden(
                "you do not work at that location",
                said=Phrase("refusal.not_your_location"),
                field="promise_id",
            )
        if promise.kind is not PromiseKind.TELL_WHEN_AVAILABLE or promise.item is None:
            raise Conflict("only a wish to be told about an item is linked", field="kind")
        if not promise.is_open:
            raise Conflict(
                f"this promise is already {promise.state.value}",
                said=Phrase("refusal.promise_closed"),
                field="state",
            )
        target = uow.catalog.get(normalise(code))
        if target is None or target.provisional:
            raise InvalidInput(f"the catalog has no item {code.strip()}", field="code")
        before = promise.item.label()
        promise.item = as_wanted(target, promise.location_id, target.size)
        promise.note(
            Evidence.said(
                now,
                EvidenceKind.STAFF_ACTION,
                Phrase("evidence.linked_to", {"code": target.shown_code}),
                actor.label,
            )
        )
        uow.promises.update(promise)
        audit(
            uow,
            actor,
            now,
            "promise.linked",
            customer_id=promise.customer_id,
            entity="promise",
            entity_id=promise.id,
            before={"item": before},
            after={"item": promise.item.label()},
        )
        if not tell_at_once(uow, promise, now):
            tell_joined(uow, promise, now)  # linked: she hears where she stands, from her first ask
        uow.commit()
    return promise
