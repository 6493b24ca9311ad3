"""Quiet hours and contact caps: the business's per purpose, and a customer's own.

The built-in rules (ContactRules: quiet 21:00-09:00, two marketing messages a week) hold until an
admin sets a purpose's own; a customer's own quiet hours and channel order, set on her card, win
over the business's (she knows when she sleeps). Stored as rows, read by the relay at send time
(ADR 0043).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, time, timedelta
from typing import Protocol

from heedful.core.access import Actor, Permission, load_customer
from heedful.core.customers import SENT_TO, Channel, Purpose, audit
from heedful.core.outreach.policy import ContactRules
from heedful.core.shared.clock import Clock
from heedful.core.shared.errors import InvalidInput
from heedful.core.shared.phrases import Phrase
from heedful.core.unit_of_work import UnitOfWork

MAX_CAP = 1000
MAX_WINDOW_DAYS = 90


@dataclass(frozen=True)
class PurposeRules:
    """What the business set for one purpose."""

    purpose: Purpose
    quiet_from: time
    quiet_until: time
    cap: int | None  # messages per customer per window; None: no cap
    cap_window_days: int


@dataclass(frozen=True)
class OwnContactRules:
    """A customer's own: her quiet hours (None: the business's) and channels in her order."""

    customer_id: str
    quiet_from: time | None = None
    quiet_until: time | None = None
    channels: tuple[Channel, ...] = ()


class ContactSettings(Protocol):
    def business(self) -> list[PurposeRules]: ...
    def put_business(self, rules: PurposeRules, at: datetime) -> None: ...
    def of_customers(self, customer_ids: Sequence[str]) -> dict[str, OwnContactRules]: ...
    def put_customer(self, rules: OwnContactRules, at: datetime) -> None: ...
    def clear_customer(self, customer_id: str) -> None: ...


def built_in(purpose: Purpose, defaults: ContactRules = ContactRules()) -> PurposeRules:  # noqa: B008
    cap = defaults.marketing_cap if purpose is Purpose.MARKETING else None
    return PurposeRules(
        purpose, defaults.quiet_from, defaults.quiet_until, cap, defaults.cap_window.days
    )


def business_rules(
    stored: Sequence[PurposeRules],
    defaults: ContactRules = ContactRules(),  # noqa: B008
) -> dict[Purpose, PurposeRules]:
    """Every purpose's rules: the stored ones, the built-in ones where none is stored."""
    kept = {rules.purpose: rules for rules in stored}
    return {purpose: kept.get(purpose) or built_in(purpose, defaults) for purpose in Purpose}


def rules_for(
    purpose: Purpose,
    stored: Mapping[Purpose, PurposeRules],
    own: OwnContactRules | None,
    defaults: ContactRules,
) -> ContactRules:
    """The rules one message goes by: the purpose's, her own quiet hours over them."""
    chosen = stored.get(purpose) or built_in(purpose, defaults)
    rules = ContactRules(
        quiet_from=chosen.quiet_from,
        quiet_until=chosen.quiet_until,
        marketing_cap=chosen.cap if purpose is Purpose.MARKETING else defaults.marketing_cap,
        cap_window=timedelta(days=chosen.cap_window_days),
        other_cap=None if purpose is Purpose.MARKETING else chosen.cap,
    )
    if own is not None and own.quiet_from is not None and own.quiet_until is not None:
        rules = replace(rules, quiet_from=own.quiet_from, quiet_until=own.quiet_until)
    return rules


def channels_for(own: OwnContactRules | None, available: Sequence[Channel]) -> list[Channel]:
    """Her channels first, in her order; the others after, so consent still decides."""
    first = [c for c in (own.channels if own else ()) if c in available]
    return [*first, *(c for c in available if c not in first)]


def parse_time(text: str, field: str) -> time:
    try:
        return time.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(
            "give the time as HH:MM", said=Phrase("refusal.time"), field=field
        ) from None


def set_business_rules(rules: PurposeRules, uow: UnitOfWork, clock: Clock, actor: Actor) -> None:
    actor.require(Permission.MANAGE_STAFF)
    if rules.quiet_from == rules.quiet_until:
        raise InvalidInput(
            "quiet hours end at another time than they start",
            said=Phrase("refusal.quiet_hours_same"),
            field="quiet_until",
        )
    if rules.cap is not None and not 0 <= rules.cap <= MAX_CAP:
        raise InvalidInput(
            f"a cap is from 0 to {MAX_CAP} messages", said=Phrase("refusal.cap_range"), field="cap"
        )
    if not 1 <= rules.cap_window_days <= MAX_WINDOW_DAYS:
        raise InvalidInput(
            f"a window is from 1 to {MAX_WINDOW_DAYS} days",
            said=Phrase("refusal.window_range"),
            field="cap_window_days",
        )
    now = clock.now()
    with uow:
        before = business_rules(uow.contact_rules.business())[rules.purpose]
        uow.contact_rules.put_business(rules, now)
        audit(
            uow,
            actor,
            now,
            "contact_rules.changed",
            customer_id=None,
            entity="contact_rules",
            entity_id=rules.purpose.value,
            before=_plain(before),
            after=_plain(rules),
        )
        uow.commit()


def set_customer_rules(
    customer_id: str,
    quiet_from: time | None,
    quiet_until: time | None,
    channels: Sequence[Channel],
    uow: UnitOfWork,
    clock: Clock,
    actor: Actor,
) -> OwnContactRules:
    """Her own quiet hours (both or neither) and channel order; nothing set clears them."""
    actor.require(Permission.EDIT_CUSTOMERS)
    if (quiet_from is None) != (quiet_until is None):
        raise InvalidInput(
            "give both ends of her quiet hours, or neither",
            said=Phrase("refusal.quiet_hours_both"),
            field="quiet_until",
        )
    if quiet_from is not None and quiet_from == quiet_until:
        raise InvalidInput(
            "quiet hours end at another time than they start",
            said=Phrase("refusal.quiet_hours_same"),
            field="quiet_until",
        )
    for index, channel in enumerate(channels):
        if channel not in SENT_TO or list(channels).count(channel) > 1:
            raise InvalidInput(
                "each written channel at most once",
                said=Phrase("refusal.channel_once"),
                field=f"channels[{index}]",
            )
    now = clock.now()
    with uow:
        customer = load_customer(uow, actor, customer_id)
        before = uow.contact_rules.of_customers([customer.id]).get(customer.id)
        rules = OwnContactRules(customer.id, quiet_from, quiet_until, tuple(channels))
        if quiet_from is None and not channels:
            uow.contact_rules.clear_customer(customer.id)
        else:
            uow.contact_rules.put_customer(rules, now)
        audit(
            uow,
            actor,
            now,
            "customer.contact_rules",
            customer_id=customer.id,
            entity="customer",
            entity_id=customer.id,
            before=_own(before),
            after=_own(rules),
        )
        uow.commit()
    return rules


def customer_rules(customer_id: str, uow: UnitOfWork) -> OwnContactRules | None:
    with uow:
        return uow.contact_rules.of_customers([customer_id]).get(customer_id)


def list_business_rules(uow: UnitOfWork, actor: Actor) -> dict[Purpose, PurposeRules]:
    actor.require(Permission.MANAGE_STAFF)
    with uow:
        return business_rules(uow.contact_rules.business())


def _plain(rules: PurposeRules) -> dict[str, object]:
    return {
        "quiet_hours": f"{rules.quiet_from:%H:%M}-{rules.quiet_until:%H:%M}",
        "cap": rules.cap,
        "cap_window_days": rules.cap_window_days,
    }


def _own(rules: OwnContactRules | None) -> dict[str, object] | None:
    if rules is None:
        return None
    quiet = (
        f"{rules.quiet_from:%H:%M}-{rules.quiet_until:%H:%M}"
        if rules.quiet_from is not None and rules.quiet_until is not None
        else ""
    )
    return {"quiet_hours": quiet, "channels": [c.value for c in rules.channels]}
