"""Which events must be handled one after another: an event's ordering key (ADR 61).

Workers share the inbox, but an event is never handled while an earlier event with the same
key waits (claimed by another worker, or not yet claimed): the same customer's promise is made
before it is kept, her preference set before it is changed, a bag's stock counted before it is
sold. Events with different keys, or with none, go in any order and to any worker.

The key is, in this order:
1. the customer the event names, as it names her (``data.customer``: her id, else her phone,
   e-mail or loyalty card, normalised as the engine looks her up);
2. else the catalog item it names (``code``, else ``product``): stock reports, prices, items;
3. else the dealing it names without a customer (a booking or reservation cancelled by number);
4. else the CloudEvent's ``subject``, the thing the sender says the event is about;
5. else none: the event is ordered with nothing.

What is stored is not that name but its digest (``ordering_key``: the kind, then 40 hex digits of
its SHA-256): the inbox compares keys only for equality, and a name holds her phone or e-mail,
which have no place in a column that erasure could not read (issue 18's review). Equal names
give equal keys; a collision would only order two events that needed no order.

A customer named once by e-mail and once by phone has two keys: ordering by
the customer Heedful resolves would need a look-up at ingest for every event (an unknown
customer has no id yet); a sender names a customer one way, and the dealings of ADR 36 are
kept by their own time whatever their order.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

from heedful.core.customers import IdentityKind, normalise_identity
from heedful.core.events.model import BusinessEvent
from heedful.core.shared.errors import HeedfulError

KEY_LENGTH = 200  # the column; a key is the kind and DIGEST_LENGTH hex digits
DIGEST_LENGTH = 40

_IDENTITIES = (
    ("phone", IdentityKind.PHONE),
    ("email", IdentityKind.EMAIL),
    ("loyalty_card", IdentityKind.LOYALTY_CARD),
)
_ITEM_FIELDS = ("code", "product")
_DEALING_FIELDS = ("booking", "reservation", "order", "account")


def ordering_key(event: BusinessEvent) -> str | None:
    """The key the event is ordered by among others, or None when it needs no order: the
    kind of thing it names, then a digest of the name (``ordering_name``)."""
    name = ordering_name(event)
    if name is None:
        return None
    kind = name.split(":", 1)[0]
    return f"{kind}:{hashlib.sha256(name.encode()).hexdigest()[:DIGEST_LENGTH]}"


def ordering_name(event: BusinessEvent) -> str | None:
    """What the event is ordered by, in words: ``customer:email:anna@example.com``."""
    data = event.data
    key = (
        _customer(data.get("customer"))
        or _first("item", data, _ITEM_FIELDS)
        or _first("dealing", data, _DEALING_FIELDS, location=True)
        or (f"subject:{event.subject}" if event.subject else None)
    )
    return key or None


def _customer(ref: Any) -> str | None:
    if not isinstance(ref, Mapping):
        return None
    if ref.get("id"):
        return f"customer:id:{str(ref['id']).strip()}"
    for field, kind in _IDENTITIES:
        if ref.get(field):
            raw = str(ref[field])
            try:
                value = normalise_identity(kind, raw)
            except HeedfulError:
                value = raw.strip()  # refused later by the engine; any stable key will do
            return f"customer:{kind.value}:{value}"
    return None


def _first(
    prefix: str, data: Mapping[str, Any], fields: tuple[str, ...], *, location: bool = False
) -> str | None:
    # One name space per prefix: a stock report naming a bag by its catalog ``code`` and one
    # naming it as the ``product`` (systems without codes) write the same levels.
    for field in fields:
        value = data.get(field)
        if value is not None and str(value).strip():
            where = f"{data.get('location', '')}/" if location else ""
            return f"{prefix}:{where}{str(value).strip()}"
    return None
