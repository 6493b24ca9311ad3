"""A preference audience whose preference checks the store answers (ADR 72).

"Customers who like brand X, in size M": the store reads a page of those who like the brand
and, beside each, her newest standing preference meeting each of the playbook's preference
checks (the size), in one statement a page. Neither her other preferences nor a
``Preference`` for each is read or built: at 1,000,000 preferences building every standing
preference of each member was most of an audience's cost.

The store folds case roughly (SQLite's ``lower()`` is ASCII, PostgreSQL's is not casefold):
what it returns is confirmed here with ``casefold``, so it can miss, never wrongly include,
as the audience's own read always could.
"""

from __future__ import annotations

from dataclasses import dataclass

from heedful.core.customers import Customer
from heedful.core.playbooks.model import CustomerRule, PlaybookBody, PreferenceRule
from heedful.core.preferences import Category, Polarity


@dataclass(frozen=True)
class Asked:
    """One standing preference the store looks for: "likes a brand called Max Mara"."""

    polarity: Polarity
    category: Category | None
    # As the rule or the event says it; None: any subject; "" finds none (no subject is empty).
    subject: str | None


@dataclass(frozen=True)
class Liked:
    """Her newest standing preference the store found for an ``Asked``: what a reason names."""

    polarity: Polarity
    category: Category
    subject: str


@dataclass(frozen=True)
class Member:
    """One customer of a preference audience, in customer id order.

    ``liked``: her preference that put her in the audience; ``held``: for each preference check
    of the playbook's customer conditions, in order, the one she holds, or None; ``customer``:
    she herself, read with the page when she holds every check and the playbook has not fired
    for her under the once key asked (ADR 78), else None.
    """

    customer_id: str
    liked: Liked
    held: tuple[Liked | None, ...]
    customer: Customer | None = None


def store_can_answer(rule: PreferenceRule) -> bool:
    """Whether the store can check the rule: an equal subject (given or from the event).

    A subject that contains, or a preference that must fit the event's item, is checked on
    her whole standing list instead (``firing.concerned_pages``'s other path).
    """
    return (
        not rule.subject_contains
        and rule.fits_item_of is None
        and (not rule.subject or rule.subject_of is None)
    )


def answered_by_store(body: PlaybookBody) -> bool:
    """Whether every preference the playbook asks of a member can be asked of the store.

    A branch's own preference checks would need her standing list again per customer: such a
    playbook keeps the path that reads it.
    """
    audience = body.audience
    if audience is None or audience.preference is None:
        return False
    if not store_can_answer(audience.preference):
        return False
    if not all(store_can_answer(rule) for rule in body.customer.preferences):
        return False
    return not any(_asks_preferences(branch.customer) for branch in body.branches)


def _asks_preferences(rule: CustomerRule) -> bool:
    return bool(rule.preferences)


def asked(rule: PreferenceRule, wanted: str) -> Asked:
    """What to ask the store for the rule; ``wanted``: the event's value when the rule names a
    field (stripped), else unused."""
    if rule.subject_of is not None:
        return Asked(rule.polarity, rule.category, wanted)
    return Asked(rule.polarity, rule.category, rule.subject or None)


def confirms(rule: PreferenceRule, liked: Liked, wanted: str) -> bool:
    """Whether what the store found meets the rule, folding case as the rule does."""
    subject = liked.subject.casefold()
    return (
        liked.polarity is rule.polarity
        and (rule.category is None or liked.category is rule.category)
        and (not rule.subject or subject == rule.subject.casefold())
        and (rule.subject_of is None or (bool(wanted) and subject == wanted.casefold()))
    )
