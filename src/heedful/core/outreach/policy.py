"""May this message go now, and how? Decided at send time, in the customer's own time zone.

The order of the checks is the promise to the customer: a withdrawn consent always wins; then an
address on a channel she agreed to; then the marketing frequency cap (a service message she asked
for passes it); then quiet hours, which only ever delay a message, never drop it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from heedful.core.customers import (
    SENT_TO,
    Channel,
    ConsentDecision,
    Identity,
    Purpose,
    may_contact,
)
from heedful.core.shared.phrases import Phrase, word

# The channels a message can be written on, in the order Heedful tries them (customers room).
WRITTEN_CHANNELS: tuple[Channel, ...] = tuple(SENT_TO)


@dataclass(frozen=True)
class ContactRules:
    quiet_from: time = time(21, 0)
    quiet_until: time = time(9, 0)
    marketing_cap: int | None = 2  # marketing messages per customer per window; None: no cap
    cap_window: timedelta = timedelta(days=7)
    # The cap on a message of another purpose, when the business set one (contact_settings.py):
    # by default a message she asked for is never held back by a count.
    other_cap: int | None = None

    def cap_on(self, purpose: Purpose) -> int | None:
        return self.marketing_cap if purpose is Purpose.MARKETING else self.other_cap


@dataclass(frozen=True)
class Send:
    channel: Channel
    to: str


@dataclass(frozen=True)
class Hold:
    until: datetime
    why: Phrase

    @property
    def reason(self) -> str:
        return self.why.english()


@dataclass(frozen=True)
class Suppress:
    why: Phrase

    @property
    def reason(self) -> str:
        return self.why.english()


@dataclass(frozen=True)
class Cap:
    why: Phrase

    @property
    def reason(self) -> str:
        return self.why.english()


Decision = Send | Hold | Suppress | Cap


def zone_of(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def quiet_hours_end(now: datetime, zone: ZoneInfo, rules: ContactRules) -> datetime | None:
    """When the quiet hours around ``now`` end, as a UTC instant; None when it is not quiet."""
    local = now.astimezone(zone)
    start, end = rules.quiet_from, rules.quiet_until
    moment = local.time()
    crosses_midnight = start > end
    quiet = (moment >= start or moment < end) if crosses_midnight else start <= moment < end
    if not quiet:
        return None
    day = local.date()
    if crosses_midnight and moment >= start:
        day += timedelta(days=1)
    # Built from the wall clock, so the morning is 09:00 local on a day the clocks change too.
    return datetime.combine(day, end, tzinfo=zone).astimezone(now.tzinfo)


def choose_channel(
    identities: Iterable[Identity],
    consents: Sequence[ConsentDecision],
    purpose: Purpose,
    preferred: Sequence[Channel] = WRITTEN_CHANNELS,
) -> Send | Suppress:
    addresses: dict[Channel, str] = {}
    for identity in identities:
        for channel, kind in SENT_TO.items():
            if identity.kind is kind and channel not in addresses:
                addresses[channel] = identity.value
    reachable = [channel for channel in preferred if channel in addresses]
    if not reachable:
        return Suppress(Phrase("reason.no_address"))
    for channel in reachable:
        if may_contact(consents, channel, purpose):
            return Send(channel, addresses[channel])
    names = ", ".join(channel.value for channel in reachable)
    return Suppress(
        Phrase("reason.no_consent", {"purpose": word("purpose", purpose.value), "channels": names})
    )


def decide(
    *,
    purpose: Purpose,
    identities: Iterable[Identity],
    consents: Sequence[ConsentDecision],
    sent_in_window: int,
    now: datetime,
    time_zone: str,
    rules: ContactRules,
    channels: Sequence[Channel] = WRITTEN_CHANNELS,
) -> Decision:
    route = choose_channel(identities, consents, purpose, channels)
    if isinstance(route, Suppress):
        return route
    cap = rules.cap_on(purpose)
    if cap is not None and sent_in_window >= cap:
        days = rules.cap_window.days
        said = {"count": sent_in_window, "purpose": word("purpose", purpose.value), "days": days}
        return Cap(Phrase("reason.capped", said))
    until = quiet_hours_end(now, zone_of(time_zone), rules)
    if until is not None:
        return Hold(until, Phrase("reason.quiet_hours"))
    return route
