"""The access check every room makes before touching a customer: visible to the actor, or not found.

It lives in `access`, below the customers room, so it names the customer only by the few
properties it reads (`VisibleCustomer`); whatever record the unit of work returns comes back.
"""

from __future__ import annotations

from collections.abc import Set
from typing import Protocol, TypeVar

from heedful.core.access.model import Actor, Permission
from heedful.core.shared.errors import Conflict, NotFound
from heedful.core.shared.phrases import Phrase
from heedful.core.shared.scope import CustomerScope

_MAX_MERGE_HOPS = 20


class VisibleCustomer(Protocol):
    """What the check reads of a customer record."""

    @property
    def is_merged(self) -> bool: ...
    @property
    def is_erased(self) -> bool: ...
    @property
    def merged_into_id(self) -> str | None: ...
    @property
    def location_ids(self) -> Set[str]: ...


_Record = TypeVar("_Record", bound=VisibleCustomer)
_Record_co = TypeVar("_Record_co", bound=VisibleCustomer, covariant=True)


class _CustomerLookup(Protocol[_Record_co]):
    def get(self, customer_id: str) -> _Record_co | None: ...


class _WithCustomers(Protocol[_Record_co]):
    @property
    def customers(self) -> _CustomerLookup[_Record_co]: ...


def scope_of(actor: Actor) -> CustomerScope:
    return CustomerScope(None if actor.sees_every_location else actor.location_ids)


def load_customer(
    uow: _WithCustomers[_Record],
    actor: Actor,
    customer_id: str,
    *,
    follow_merge: bool = True,
    for_change: bool = False,
) -> _Record:
    """The customer as this actor may see it.

    A record merged into another answers with the survivor, so that old links keep working. A
    customer outside the actor's locations is "not found", not "forbidden": staff must not learn
    that a guest of another hotel exists.
    """
    actor.require(Permission.VIEW_CUSTOMERS)
    customer = uow.customers.get(customer_id)
    hops = 0
    while (
        follow_merge
        and customer is not None
        and customer.is_merged
        and customer.merged_into_id
        and hops < _MAX_MERGE_HOPS
    ):
        customer = uow.customers.get(customer.merged_into_id)
        hops += 1
    if customer is None or not actor.may_see_customer_at(customer.location_ids):
        raise NotFound(f"no customer {customer_id}", said=Phrase("refusal.no_customer"))
    if for_change and customer.is_erased:
        # An erased record keeps only numbers; writing to it would start a profile again.
        raise Conflict("this customer was erased", field="customer_id")
    return customer
