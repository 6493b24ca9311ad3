"""Who and where an event names: a customer by id or identity, a location by id or code."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from heedful.core.customers import Customer, IdentityKind, normalise_identity
from heedful.core.events.model import BusinessEvent
from heedful.core.shared.errors import HeedfulError
from heedful.core.unit_of_work import UnitOfWork

_IDENTITY_KEYS = (
    ("phone", IdentityKind.PHONE),
    ("email", IdentityKind.EMAIL),
    ("loyalty_card", IdentityKind.LOYALTY_CARD),
)


def customer_named(uow: UnitOfWork, ref: Any) -> Customer | None:
    """The customer an event's ``data.customer`` names by id, phone, e-mail or loyalty card."""
    if not isinstance(ref, Mapping):
        return None
    if ref.get("id"):
        return uow.customers.get(str(ref["id"]))
    for key, kind in _IDENTITY_KEYS:
        if ref.get(key):
            try:
                value = normalise_identity(kind, str(ref[key]))
            except HeedfulError:
                return None
            return uow.customers.find_by_identity(kind, value)
    return None


def location_named(uow: UnitOfWork, ref: str, within: frozenset[str] | None = None) -> str | None:
    """The id of the location an event names by its id or by the business's code for it.

    ``within``: the sender's locations (``BusinessEvent.sender_locations``); a location outside
    them is unknown to that sender, as it is unknown to its token everywhere else.
    """
    location = uow.locations.get(ref) or uow.locations.get_by_code(ref.strip().lower())
    if location is None or (within is not None and location.id not in within):
        return None
    return location.id


OUTSIDE_SCOPE = "customer not known at the sender's locations"


def sender_may_name(event: BusinessEvent, customer: Customer) -> bool:
    """Whether the event's sender may act on this customer: she is known at one of its locations.

    A manager's token of location B that names a guest of location A (by her e-mail, card or
    id) must not make the engine message her or keep her promises: the engine then treats her
    as unknown, as ``POST /customers/identify`` does for that token (ADR 0024, 0029).
    """
    scope = event.sender_locations
    return scope is None or not scope.isdisjoint(customer.location_ids)
