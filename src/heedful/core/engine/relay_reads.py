"""What the relay reads for a whole batch at once, so that each message does not ask again.

One query each for the batch's customers (with their locations), identities, consents, standing
preferences, contact rules and the messages' locations; the business's own templates once per
key. A customer not among them (merged or erased since, or never found) is read afresh by her
message.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from heedful.core.customers import ConsentDecision, Customer, CustomerStatus, Identity, Purpose
from heedful.core.outreach import (
    Message,
    MessageTemplate,
    OwnContactRules,
    PurposeRules,
    business_rules,
)
from heedful.core.promises import Promise, WantedItem, notice_item
from heedful.core.unit_of_work import UnitOfWork

# How long what the batch read of its customers (consent, addresses, erasure) is gone by: a
# message of the batch not sent by then is left waiting and decided again (ADR 34, ADR 52).
KNOWN_FOR = timedelta(seconds=5)


@dataclass
class Known:
    """What the batch's read found for its messages, so that each message does not ask again.

    Read with the batch, in one query each; a customer not among them (merged or erased since,
    or never found) is read afresh by her message. Consent read with the batch can be older
    than the send by the batch's duration, as a read in the message's transaction is older
    than the send by the SMTP dialogue: neither is locked against a withdrawal (ADR 34). So
    that a slow server cannot stretch that, a message not sent within KNOWN_FOR of the read is
    left waiting and decided again with the next batch (ADR 52).
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
    # Capped messages the batch decided to send, by customer and purpose: the frequency cap
    # counts them with those already sent (a send that then fails still counts, this batch).
    going: Counter[tuple[str, Purpose]] = field(default_factory=Counter)
    # Promises whose place-in-line message goes in this batch: it tells her place as it is now,
    # so another about the same line in the batch (a move it already tells) is not sent.
    placed: set[str] = field(default_factory=set)
    # The batch's promises, locked with the batch (shared by messages about the same promise),
    # and the stock levels its back-in-stock notices are checked against.
    promises: dict[str, Promise] = field(default_factory=dict)
    stock: dict[WantedItem, int | None] = field(default_factory=dict)

    @classmethod
    def read(cls, uow: UnitOfWork, batch: Sequence[Message]) -> Known:
        ids = sorted({m.customer_id for m in batch})
        customers = {
            c.id: c for c in uow.customers.get_many(ids) if c.status is CustomerStatus.ACTIVE
        }
        active = sorted(customers)
        standing = uow.preferences.standing_subjects_for_many(active)
        places = {m.location_id for m in batch if m.location_id}
        names = {}
        for location_id in sorted(places):
            location = uow.locations.get(location_id)
            names[location_id] = location.name if location else ""
        promise_ids = sorted({m.promise_id for m in batch if m.promise_id})
        promises = {p.id: p for p in uow.promises.get_many(promise_ids, for_change=True)}
        return cls(
            promises=promises,
            stock=_notice_levels(uow, batch, promises),
            customers=customers,
            identities=uow.identities.list_for_many(active),
            consents=uow.consents.list_for_many(active),
            likes={cid: likes_of_subjects(standing.get(cid, [])) for cid in active},
            place_names=names,
            business=business_rules(uow.contact_rules.business()),
            own=uow.contact_rules.of_customers(active),
        )

    def promise_of(self, uow: UnitOfWork, promise_id: str) -> Promise | None:
        if promise_id not in self.promises:
            promise = uow.promises.get(promise_id, for_change=True)
            if promise is None:
                return None
            self.promises[promise_id] = promise
        return self.promises[promise_id]

    def stock_of(self, uow: UnitOfWork, item: WantedItem) -> int | None:
        # Nothing in the relay's transaction changes a stock level: read once per batch.
        if item not in self.stock:
            self.stock[item] = uow.stock.get(item)
        return self.stock[item]

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
        return likes_of_standing(uow.preferences.list_for(customer_id))

    def place_name(self, uow: UnitOfWork, location_id: str | None) -> str:
        if not location_id:
            return ""
        if location_id not in self.place_names:
            location = uow.locations.get(location_id)
            self.place_names[location_id] = location.name if location else ""
        return self.place_names[location_id]


def likes_of_standing(standing: Sequence[Any]) -> dict[str, list[str]]:
    """Her standing preferences as a template reads them: likes, dislikes, never."""
    return likes_of_subjects([(p.polarity, p.subject) for p in standing])


def likes_of_subjects(standing: Sequence[tuple[Any, str]]) -> dict[str, list[str]]:
    """(polarity, subject) pairs as a template reads them: likes, dislikes, never, in order."""
    found: dict[str, list[str]] = {"likes": [], "dislikes": [], "never": []}
    for polarity, subject in standing:
        found[_LIKES_KEY[polarity.value]].append(subject)
    return found


# By the polarities' stored values: the engine reads preferences only through this.
_LIKES_KEY = {"like": "likes", "dislike": "dislikes", "never": "never"}


def _notice_levels(
    uow: UnitOfWork, batch: Sequence[Message], promises: Mapping[str, Promise]
) -> dict[WantedItem, int | None]:
    """The levels the batch's back-in-stock notices are checked against, in one read.

    Each notice asks whether the stock is still there just before it goes; asked one by one,
    that was a round trip per e-mail and most of the relay's time beside a busy inbox (a
    restock's e-mails behind 500 events/s: 37 % of the worker's wall clock, issue 18). An item
    never heard of is None, as its own read would say.
    """
    items = {
        notice_item(message, promises[message.promise_id])
        for message in batch
        if message.template_key == "back_in_stock"
        and message.promise_id
        and message.promise_id in promises
    }
    if not items:
        return {}
    found = uow.stock.get_many(sorted(items, key=_item_key))
    return {item: found.get(item) for item in items}


def _item_key(item: WantedItem) -> tuple[str, str, str, str]:
    return (item.product, item.variant, item.size, item.location_id)
