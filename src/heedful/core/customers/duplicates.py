"""Which other record is probably the same person: what the card offers to merge.

Two signs are strong enough to offer, never to merge by themselves: the same phone written in
another form (a number stored without its country code next to the same number with it), and
the same name with the same birthday. Staff decide; the merge can be undone.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from heedful.core.access import Actor, Permission, load_customer, scope_of
from heedful.core.customers.handlers import search_customers
from heedful.core.customers.identities import IdentityKind
from heedful.core.customers.model import Customer, fold
from heedful.core.customers.spelling import phone_candidates
from heedful.core.unit_of_work import UnitOfWork

_OFFERED = 5


class Likeness(StrEnum):
    SAME_PHONE = "same_phone"
    SAME_NAME_AND_BIRTHDAY = "same_name_and_birthday"


@dataclass(frozen=True)
class Duplicate:
    customer: Customer
    likeness: Likeness


def likely_duplicates(customer_id: str, uow: UnitOfWork, actor: Actor) -> list[Duplicate]:
    """Other records the staff member may see that look like the same person, strongest first."""
    actor.require(Permission.MERGE_CUSTOMERS)
    found: dict[str, Duplicate] = {}
    with uow:
        customer = load_customer(uow, actor, customer_id)
        scope = scope_of(actor)
        for identity in uow.identities.list_for(customer.id):
            if identity.kind is not IdentityKind.PHONE:
                continue
            for number in _other_forms(identity.value):
                other = uow.customers.find_by_identity(IdentityKind.PHONE, number)
                if other is not None and _offerable(other, customer, actor):
                    found.setdefault(other.id, Duplicate(other, Likeness.SAME_PHONE))
        if customer.birthday is not None:
            name = fold(customer.full_name)
            for other in uow.customers.search(customer.full_name, scope, 50):
                if (
                    _offerable(other, customer, actor)
                    and fold(other.full_name) == name
                    and other.birthday == customer.birthday
                ):
                    found.setdefault(other.id, Duplicate(other, Likeness.SAME_NAME_AND_BIRTHDAY))
    return list(found.values())[:_OFFERED]


def merge_candidates(customer_id: str, text: str, uow: UnitOfWork, actor: Actor) -> list[Customer]:
    """The records the search box finds for what was typed into "merge with", but not her own."""
    actor.require(Permission.MERGE_CUSTOMERS)
    return [c for c in search_customers(text, uow, actor) if c.id != customer_id]


def _other_forms(number: str) -> list[str]:
    """The same phone as it may have been stored when typed without its country code."""
    digits = number.removeprefix("+")
    forms = ["+" + candidate for candidate in _without_country(digits)]
    forms += [form for form in phone_candidates(digits) if form != number]
    return forms


def _without_country(digits: str) -> list[str]:
    if digits.startswith("7") and len(digits) == 11:  # +7 and ten digits
        return [digits[1:]]
    if digits.startswith("380") and len(digits) == 12:  # +380 and nine digits
        return [digits[3:]]
    return []


def _offerable(other: Customer, customer: Customer, actor: Actor) -> bool:
    return (
        other.id != customer.id
        and other.is_active
        and actor.may_see_customer_at(other.location_ids)
    )
