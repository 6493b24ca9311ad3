"""Who and where an event names: a customer by id or identity, a location by id or code."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from heedful.core.customers.identities import IdentityKind, normalise_identity
from heedful.core.customers.model import Customer
from heedful.core.shared.errors import HeedfulError
from heedful.core.shared.ports import UnitOfWork

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


def location_named(uow: UnitOfWork, ref: str) -> str | None:
    """The id of the location an event names by its id or by the business's code for it."""
    location = uow.locations.get(ref) or uow.locations.get_by_code(ref.strip().lower())
    return location.id if location is not None else None
