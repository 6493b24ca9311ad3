"""Whom a row of an imported file names: an id, e-mail, phone, loyalty card or external id."""

from __future__ import annotations

from typing import Protocol

from heedful.core.access import Actor
from heedful.core.customers.identities import IdentityKind, guess_kind, normalise_identity
from heedful.core.customers.model import Customer
from heedful.core.shared.errors import InvalidInput

_CUSTOMER_ID_PREFIX = "cus_"
# Where a value could be several kinds (digits are a phone or a card), the first match wins.
_FALLBACK_KINDS = (IdentityKind.LOYALTY_CARD, IdentityKind.EXTERNAL)


class FindsCustomers(Protocol):
    def get(self, customer_id: str) -> Customer | None: ...
    def find_by_identity(self, kind: IdentityKind, value: str) -> Customer | None: ...


def customer_in_file(value: str, customers: FindsCustomers, actor: Actor) -> Customer | None:
    """The customer a file's cell names, among those the importer may see; None if nobody."""
    if value.startswith(_CUSTOMER_ID_PREFIX):
        found = customers.get(value)
        if found is not None and actor.may_see_customer_at(found.location_ids):
            return found
    guessed = guess_kind(value)
    for kind in ((guessed,) if guessed else ()) + _FALLBACK_KINDS:
        try:
            normalised = normalise_identity(kind, value)
        except InvalidInput:
            continue
        found = customers.find_by_identity(kind, normalised)
        if found is not None and actor.may_see_customer_at(found.location_ids):
            return found
    return None
