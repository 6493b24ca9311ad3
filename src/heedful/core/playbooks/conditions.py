"""Whether a playbook's conditions hold, and in words why: the engine and the dry-run share this.

Event conditions read the event alone. Customer conditions read the customer's profile, consent,
preferences and history through the unit of work, and only for customers the event concerns.
A field the event lacks meets no condition except ``exists: false``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from heedful.core.customers import Customer, may_contact
from heedful.core.events import BusinessEvent
from heedful.core.history import HistoryKind
from heedful.core.interests import Bound, Interest, is_number
from heedful.core.playbooks.liking import Liked, confirms
from heedful.core.playbooks.model import (
    COMPARISONS,
    Condition,
    CustomerRule,
    HistoryRule,
    Op,
    Playbook,
    PreferenceRule,
    Said,
)
from heedful.core.preferences import ItemToFit, Polarity, Preference, item_to_fit, preference_fits
from heedful.core.shared.phrases import Phrase, word
from heedful.core.unit_of_work import UnitOfWork

MISSING: Any = object()
_HISTORY_READ = 1000  # entries read per customer: a history rule counts at most this far back


def value_at(event: BusinessEvent, path: str) -> Any:
    """The event's value at ``data.a.b``, ``subject``, ``source`` or ``type``; MISSING if none."""
    if path in ("subject", "source", "type"):
        value = getattr(event, path)
        return MISSING if value is None else value
    current: Any = event.data
    for part in path.split(".")[1:]:
        if not isinstance(current, Mapping) or part not in current:
            return MISSING
        current = current[part]
    return MISSING if current is None else current


def flatten(event: BusinessEvent) -> dict[str, object]:
    """The event's scalar fields by path, as the interest index reads them."""
    found: dict[str, object] = {"type": event.type, "source": event.source}
    if event.subject is not None:
        found["subject"] = event.subject
    stack: list[tuple[str, Mapping[str, Any]]] = [("data", event.data)]
    while stack:
        prefix, mapping = stack.pop()
        for key, value in mapping.items():
            path = f"{prefix}.{key}"
            if isinstance(value, Mapping):
                stack.append((path, value))
            elif isinstance(value, str | int | float) and not isinstance(value, bool):
                found[path] = value
    return found


def _same(left: Any, right: Any) -> bool:
    # true is not 1, and "12" is not 12: a playbook compares what the business system sent.
    if isinstance(left, bool) or isinstance(right, bool):
        return type(left) is type(right) and left == right
    if is_number(left) and is_number(right):
        return left == right
    return type(left) is type(right) and left == right


def _compare(op: Op, left: Any, right: Any) -> bool:
    if not (is_number(left) and is_number(right)):
        return False
    return Bound("x", op.value, right).holds(left)  # type: ignore[arg-type]


def holds(condition: Condition, event: BusinessEvent) -> Said | None:
    """The condition in words with the event's values when it holds; None when it does not.

    A comparison ("data.amount 1200 > 300") has no words to translate and stays a string."""
    actual = value_at(event, condition.field)
    if condition.op is Op.EXISTS:
        present = actual is not MISSING
        if present != condition.value:
            return None
        return Phrase("why.present" if present else "why.absent", {"field": condition.field})
    if actual is MISSING:
        return None
    if condition.value_of is not None:
        other = value_at(event, condition.value_of)
        if other is MISSING:
            return None
        right, said = other, f"{condition.value_of} {other!r}"
    else:
        right, said = condition.value, repr(condition.value)
    if condition.op is Op.IN:
        met = any(_same(actual, option) for option in right)
    elif condition.op is Op.EQUALS:
        met = _same(actual, right)
    elif condition.op is Op.NOT_EQUALS:
        met = not _same(actual, right)
    else:
        met = _compare(condition.op, actual, right)
    return f"{condition.field} {actual!r} {condition.op.value} {said}" if met else None


def event_reasons(conditions: Iterable[Condition], event: BusinessEvent) -> list[Said] | None:
    reasons: list[Said] = []
    for condition in conditions:
        reason = holds(condition, event)
        if reason is None:
            return None
        reasons.append(reason)
    return reasons


def interest_of(playbook: Playbook, order: int) -> Interest:
    """The part of a trigger the interest index can answer: constant equalities and bounds.

    The rest (``!=``, ``in``, ``exists``, comparisons between fields) is checked afterwards on
    the few playbooks the index returns.
    """
    equals: dict[str, str | int] = {}
    bounds: list[Bound] = []
    for condition in playbook.body.where:
        value = condition.value
        if condition.value_of is not None:
            continue
        if condition.op is Op.EQUALS and (type(value) is str or type(value) is int):
            equals.setdefault(condition.field, value)
        elif condition.op in COMPARISONS and is_number(value):
            bounds.append(Bound(condition.field, condition.op.value, value))  # type: ignore[arg-type]
    return Interest(
        id=playbook.id,
        event_type=playbook.event_type,
        owner=f"playbook:{playbook.id}",
        created_seq=order,
        equals=equals,
        ranges=tuple(bounds),
    )


@dataclass(frozen=True)
class Place:
    """What customer conditions may need beyond the customer: where and when the event was."""

    location_id: str | None
    now: datetime


def _text_of(value: Any) -> str:
    return str(value).strip().casefold() if value is not MISSING else ""


def wanted_text(rule: PreferenceRule, event: BusinessEvent) -> str:
    """The event's value the rule's subject must equal, folded; "" when it names no field."""
    return _text_of(value_at(event, rule.subject_of)) if rule.subject_of else ""


def item_of_event(uow: UnitOfWork, rule: PreferenceRule, event: BusinessEvent) -> ItemToFit | None:
    """The catalog's item the event names in the rule's ``fits_item_of`` field, if any."""
    if rule.fits_item_of is None:
        return None
    code = value_at(event, rule.fits_item_of)
    if code is MISSING or not isinstance(code, str | int) or isinstance(code, bool):
        return None
    return item_to_fit(uow, str(code))


def preference_met(
    rule: PreferenceRule,
    preferences: Iterable[Preference],
    event: BusinessEvent,
    item: ItemToFit | None = None,
) -> Preference | None:
    """Her first standing preference that meets the rule. ``item``: the event's item, read by
    the caller (``item_of_event``), when the rule asks that the preference fit it."""
    wanted = wanted_text(rule, event)
    if rule.subject_of and not wanted:
        return None
    if rule.fits_item_of is not None and item is None:
        return None  # the event names no item the catalog sells: nothing of hers fits it
    for preference in preferences:
        if item is not None and not preference_fits(preference, item):
            continue
        subject = preference.subject.casefold()
        if (
            preference.is_standing
            and preference.polarity is rule.polarity
            and (rule.category is None or preference.category is rule.category)
            and (not rule.subject or subject == rule.subject.casefold())
            and (not rule.subject_contains or rule.subject_contains.casefold() in subject)
            and (not wanted or subject == wanted)
        ):
            return preference
    return None


def _history_reason(
    uow: UnitOfWork, rule: HistoryRule, customer: Customer, place: Place
) -> Phrase | None:
    if rule.at_event_location and place.location_id is None:
        return None
    since = place.now - timedelta(days=rule.within_days) if rule.within_days else None
    counts = {HistoryKind.PURCHASE: 0, HistoryKind.VISIT: 0}
    for entry in uow.history.list_for(customer.id, _HISTORY_READ):
        if since is not None and entry.occurred_at < since:
            continue
        if rule.at_event_location and entry.location_id != place.location_id:
            continue
        counts[entry.kind] += 1
    purchases, visits = counts[HistoryKind.PURCHASE], counts[HistoryKind.VISIT]
    if purchases < rule.purchases_at_least or visits < rule.visits_at_least:
        return None
    key = "why.history" + ("_here" if rule.at_event_location else "")
    said: dict[str, str | int | Phrase] = {"purchases": purchases, "visits": visits}
    if rule.within_days:
        key, said["days"] = key + "_recent", rule.within_days
    return Phrase(key, said)


def preference_reason(found: Preference, item: ItemToFit | None = None) -> Phrase:
    """ "likes: sparkling water (Drinks)", in the reader's words; with the item the event names
    when the rule asked that her preference fit it ("brand=Selene, size=M; SEL-M-BLK fits")."""
    liked = liked_reason(Liked(found.polarity, found.category, found.subject))
    if item is None:
        return liked
    wished = ", ".join(f"{k}={v}" for k, v in sorted(found.attributes.items()))
    return Phrase("why.fits_item", {"liked": liked, "wished": wished, "code": item.item.shown_code})


def liked_reason(liked: Liked) -> Phrase:
    """ "likes: sparkling water (Drinks)": the words of a preference that met a rule."""
    category = word("category", liked.category.value)
    key = _POLARITY_KEYS[liked.polarity]
    return Phrase(key, {"category": category, "subject": liked.subject})


_POLARITY_KEYS = {
    Polarity.LIKE: "why.likes",
    Polarity.DISLIKE: "why.dislikes",
    Polarity.NEVER: "why.never",
}


def customer_reasons(
    uow: UnitOfWork,
    rule: CustomerRule,
    customer: Customer,
    event: BusinessEvent,
    place: Place,
    standing: list[Preference] | None = None,
    held: tuple[Liked | None, ...] | None = None,
) -> list[Said] | None:
    """Each customer condition in words when all hold; None as soon as one does not.

    ``standing``: her standing preferences when the caller read them already (a page at once).
    ``held``: instead, what the store found for each preference check (``liking.Member``).
    """
    reasons: list[Said] = []
    if rule.segments:
        if customer.segment not in rule.segments:
            return None
        reasons.append(Phrase("why.segment", {"segment": word("segment", customer.segment)}))
    if rule.languages:
        if customer.language not in rule.languages:
            return None
        reasons.append(Phrase("why.reads", {"language": customer.language}))
    if rule.consent is not None:
        channel, purpose = rule.consent
        if not may_contact(uow.consents.list_for(customer.id), channel, purpose):
            return None
        words = {"purpose": word("purpose", purpose), "channel": word("channel", channel)}
        reasons.append(Phrase("why.agreed", words))
    if rule.preferences and held is not None:
        for preference_rule, liked in zip(rule.preferences, held, strict=True):
            wanted = wanted_text(preference_rule, event)
            if liked is None or not confirms(preference_rule, liked, wanted):
                return None
            reasons.append(liked_reason(liked))
    elif rule.preferences:
        if standing is None:
            standing = uow.preferences.list_for(customer.id)
        for preference_rule in rule.preferences:
            item = item_of_event(uow, preference_rule, event)
            found = preference_met(preference_rule, standing, event, item)
            if found is None:
                return None
            reasons.append(preference_reason(found, item))
    if rule.history is not None:
        said = _history_reason(uow, rule.history, customer, place)
        if said is None:
            return None
        reasons.append(said)
    return reasons
