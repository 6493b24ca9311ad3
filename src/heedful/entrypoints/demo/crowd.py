"""The generated customers: a few hundred people with names, channels, consent, wishes and habits.

Segments shape the story: VIPs and regulars keep coming until last week, customers at risk stopped
coming months ago, new ones arrived in the last six weeks. About one habitual restaurant regular in
five changed their drink about two months ago, and staff retracted the old preference.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from datetime import date, datetime, timedelta

from heedful.core.customers.channels import Channel
from heedful.core.customers.commands import NewIdentity
from heedful.core.customers.consent import Purpose
from heedful.core.customers.identities import IdentityKind
from heedful.core.customers.model import Segment
from heedful.core.preferences.model import Category, Polarity, Source

from . import catalogue as cat
from . import names
from .data import (
    BANK,
    BOUTIQUE,
    CROSS_VISIT_SHARE,
    HOME_WEIGHTS,
    HOTEL,
    LANGUAGE_WEIGHTS,
    MAX_VISITS,
    RESTAURANT,
    SEGMENT_WEIGHTS,
    VISIT_INTERVAL_DAYS,
)
from .phrases import CONSENT_GIVEN, CONSENT_WITHDRAWN, WISHES
from .plan import (
    CustomerPlan,
    GiveConsent,
    NotePreference,
    Receipts,
    RecordVisit,
    RetractPreference,
    Timeline,
)
from .visits import VISIT_BUILDERS, Taste, make_taste, visit_days

# Days ago a customer was first seen, and last seen, per segment. The oldest stays inside the
# demo's history span, counting the days a hotel booking is made before the stay.
_FIRST_SEEN = {"vip": (200, 520), "regular": (90, 520), "at_risk": (260, 520), "new": (1, 42)}
_SIZE_WORD = {"uk": "Розмір", "ru": "Размер", "en": "Size"}
_KYIV = (BOUTIQUE, RESTAURANT, BANK)


def weighted(rng: random.Random, weights: Mapping[str, float]) -> str:
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def plan_crowd(
    rng: random.Random, count: int, tl: Timeline, registry: names.Registry, receipts: Receipts
) -> list[CustomerPlan]:
    return [_plan_one(rng, tl, registry, receipts) for _ in range(count)]


def _plan_one(
    rng: random.Random, tl: Timeline, registry: names.Registry, receipts: Receipts
) -> CustomerPlan:
    home = weighted(rng, HOME_WEIGHTS)
    language = weighted(rng, LANGUAGE_WEIGHTS[home])
    segment = Segment(weighted(rng, SEGMENT_WEIGHTS))
    female = rng.random() < (0.65 if home == BOUTIQUE else 0.5)
    first, last = names.unique_name(rng, registry, language, female=female)
    origin_key = language if language != "ru" else ("ru_moscow" if home == HOTEL else "ru_kyiv")
    origins = names.ORIGINS[origin_key]
    origin = rng.choices([o for o, _ in origins], weights=[w for _, w in origins])[0]
    identities = _identities(rng, registry, home, segment, language, origin, first, last)

    low, high = _FIRST_SEEN[segment.value]
    first_days = rng.uniform(low, high)
    taste = make_taste(rng, female=female, habitual=rng.random() < 0.7)
    days = _home_visit_days(rng, home, segment, first_days)
    regular = segment in (Segment.VIP, Segment.REGULAR)
    if home == RESTAURANT and regular and taste.habitual and len(days) >= 8 and rng.random() < 0.2:
        days = _change_habit(rng, taste, days)

    visits = [VISIT_BUILDERS[home](rng, taste, tl, receipts, d) for d in days]
    if visits:
        lead = timedelta(days=rng.uniform(2, 20)) if home == HOTEL else timedelta(minutes=5)
        created_at = visits[0][1].occurred_at - lead
    else:
        created_at = tl.at(first_days, rng.randrange(8, 23), rng.randrange(60), "Europe/Kyiv")
    plan = CustomerPlan(
        full_name=f"{first} {last}",
        language=language,
        time_zone=origin.time_zone,
        segment=segment,
        home=home,
        created_at=created_at,
        identities=identities,
        birthday=_birthday(rng) if rng.random() < 0.5 else None,
    )
    for recorded_at, visit in visits:
        plan.add(recorded_at, visit)
    if home in _KYIV and segment is not Segment.NEW and rng.random() < CROSS_VISIT_SHARE:
        _add_cross_visits(rng, plan, taste, tl, receipts, first_days, days[-1] if days else 1.0)
    first_visit = min(
        (s.occurred_at for _, s in plan.steps if isinstance(s, RecordVisit)), default=None
    )
    if first_visit is not None and first_visit < plan.created_at:
        plan.created_at = first_visit - timedelta(minutes=5)
    moments = [recorded_at for recorded_at, _ in visits] or [plan.created_at]
    _add_consents(rng, plan, tl)
    _add_wishes(rng, plan, taste, moments)
    if taste.new_drink is not None:
        _add_drink_change(plan, taste, tl, moments)
    return plan


def _identities(
    rng: random.Random,
    registry: names.Registry,
    home: str,
    segment: Segment,
    language: str,
    origin: names.Origin,
    first: str,
    last: str,
) -> tuple[NewIdentity, ...]:
    found: list[NewIdentity] = []
    phone = names.unique_phone(rng, registry, origin.country_code) if rng.random() < 0.92 else None
    if phone is not None:
        found.append(NewIdentity(IdentityKind.PHONE, phone, "mobile"))
    if phone is None or rng.random() < 0.8:
        found.append(
            NewIdentity(
                IdentityKind.EMAIL, names.unique_email(rng, registry, first, last, language)
            )
        )
    card_share = {"vip": 0.8, "regular": 0.5}.get(segment.value, 0.2)
    if home in (BOUTIQUE, RESTAURANT) and rng.random() < card_share:
        found.append(
            NewIdentity(IdentityKind.LOYALTY_CARD, names.unique_code(rng, registry, "LC-", 6))
        )
    if home == BANK:
        found.append(
            NewIdentity(
                IdentityKind.EXTERNAL, names.unique_code(rng, registry, "LB-CL-", 8), "core banking"
            )
        )
    if home == HOTEL and segment in (Segment.VIP, Segment.REGULAR) and rng.random() < 0.6:
        found.append(
            NewIdentity(
                IdentityKind.EXTERNAL, names.unique_code(rng, registry, "OGH-G-", 6), "PMS profile"
            )
        )
    if language != "en" and rng.random() < 0.15:
        handle = f"@{names.transliterate(first, language)}_{names.transliterate(last, language)}"
        if registry.claim(handle):
            found.append(NewIdentity(IdentityKind.MESSENGER, handle, "Telegram"))
    return tuple(found)


def _birthday(rng: random.Random) -> date:
    return date(rng.randrange(1958, 2004), rng.randrange(1, 13), rng.randrange(1, 29))


def _home_visit_days(
    rng: random.Random, home: str, segment: Segment, first_days: float
) -> list[float]:
    if segment is Segment.NEW:
        if rng.random() < 0.2:
            return []  # signed up on the website, not seen yet
        count = rng.choice((1, 1, 2))
        return sorted((rng.uniform(0.2, first_days) for _ in range(count)), reverse=True)
    if segment is Segment.AT_RISK:
        last_days = rng.uniform(150, min(first_days - 20, 260))
    else:
        last_days = rng.uniform(1, 12) if segment is Segment.VIP else rng.uniform(2, 40)
    interval = VISIT_INTERVAL_DAYS[home][segment.value]
    days = visit_days(rng, first_days, last_days, interval, MAX_VISITS)
    if len(days) < MAX_VISITS:
        days.insert(0, first_days)  # the first visit is the day we met
    return days


def _change_habit(rng: random.Random, taste: Taste, days: list[float]) -> list[float]:
    """One drink for about a year, another for the last two months: the card shows the new one.

    She came every few weeks then and comes every week now, so the new drink is chosen often
    enough, and recently enough, for "the usual" to follow the change.
    """
    taste.new_drink = rng.choice([name for name, _ in cat.DRINKS if name != taste.drink])
    taste.switch_days_ago = rng.uniform(50, 62)
    older = [d for d in days if d > taste.switch_days_ago][::2]
    recent = []
    day = rng.uniform(1, 4)
    while day < taste.switch_days_ago:
        recent.append(day)
        day += rng.uniform(5, 8)
    return sorted(older + recent, reverse=True)


def _add_cross_visits(
    rng: random.Random,
    plan: CustomerPlan,
    taste: Taste,
    tl: Timeline,
    receipts: Receipts,
    first_days: float,
    last_days: float,
) -> None:
    elsewhere = rng.choice([key for key in (BOUTIQUE, RESTAURANT) if key != plan.home])
    for _ in range(rng.randrange(2, 6)):
        # Never on the day we met: that first visit is where the record begins.
        days_ago = rng.uniform(max(last_days, 0.5), max(first_days - 2, last_days + 1))
        plan.add(*VISIT_BUILDERS[elsewhere](rng, taste, tl, receipts, days_ago))


def _add_consents(rng: random.Random, plan: CustomerPlan, tl: Timeline) -> None:
    at = plan.created_at + timedelta(minutes=1)
    how = rng.choice(CONSENT_GIVEN[plan.language][plan.home])
    kinds = {identity.kind for identity in plan.identities}
    service = [
        (Channel.EMAIL, IdentityKind.EMAIL, 0.95),
        (Channel.SMS, IdentityKind.PHONE, 0.9),
        (Channel.MESSENGER, IdentityKind.MESSENGER, 1.0),
    ]
    if plan.home == BANK:
        service.append((Channel.PHONE, IdentityKind.PHONE, 1.0))
    for channel, kind, share in service:
        if kind in kinds and rng.random() < share:
            plan.add(at, GiveConsent(channel, Purpose.SERVICE, True, how))
    offers = [
        (Channel.EMAIL, IdentityKind.EMAIL, Purpose.MARKETING, 0.55, 0.3),
        (Channel.SMS, IdentityKind.PHONE, Purpose.MARKETING, 0.25, 0.25),
        (Channel.EMAIL, IdentityKind.EMAIL, Purpose.SURVEYS, 0.5, 0.1),
    ]
    for channel, kind, purpose, share, withdraw_share in offers:
        if kind not in kinds or rng.random() >= share:
            continue
        plan.add(at, GiveConsent(channel, purpose, True, how))
        if rng.random() < withdraw_share:
            later = rng.uniform(0, tl.days_ago(at) - 1) if tl.days_ago(at) > 2 else 0.0
            when = tl.now - timedelta(days=later, hours=rng.uniform(0, 12))
            plan.add(
                max(when, at + timedelta(hours=1)),
                GiveConsent(channel, purpose, False, rng.choice(CONSENT_WITHDRAWN[plan.language])),
            )


def _add_wishes(
    rng: random.Random, plan: CustomerPlan, taste: Taste, moments: list[datetime]
) -> None:
    count = {"vip": (2, 4), "regular": (1, 3), "at_risk": (1, 2), "new": (0, 1)}[plan.segment.value]
    wishes = [w for w in WISHES[plan.home] if plan.language in w.text]
    for wish in rng.sample(wishes, rng.randint(*count)):
        subject, note = wish.text[plan.language]
        at = rng.choice(moments) + timedelta(minutes=rng.randrange(1, 30))
        # A "never" is always something the customer said: nobody infers an allergy.
        source, confidence = (
            (Source.SAID, None) if wish.polarity is Polarity.NEVER else _source(rng)
        )
        plan.add(
            at,
            NotePreference(
                wish.polarity, wish.category, subject, note, source, plan.home, confidence
            ),
        )
        if wish.polarity is Polarity.NEVER and wish.text["en"][0] == "Marketing calls":
            # "No marketing calls" said at the desk is also a withdrawn consent, recorded with it.
            how = CONSENT_WITHDRAWN[plan.language][1]
            plan.add(at, GiveConsent(Channel.PHONE, Purpose.MARKETING, False, how))
    if plan.home == BOUTIQUE and moments and rng.random() < 0.45:
        at = moments[-1] + timedelta(minutes=3)
        subject = f"{_SIZE_WORD[plan.language]} {taste.size}"
        plan.add(
            at, NotePreference(Polarity.LIKE, Category.SIZE, subject, "", Source.OBSERVED, BOUTIQUE)
        )
    if plan.home == BOUTIQUE and taste.habitual and rng.random() < 0.5:
        at = rng.choice(moments) + timedelta(minutes=4)
        plan.add(
            at,
            NotePreference(Polarity.LIKE, Category.BRAND, taste.brand, "", Source.SAID, BOUTIQUE),
        )


def _source(rng: random.Random) -> tuple[Source, float | None]:
    roll = rng.random()
    if roll < 0.55:
        return Source.SAID, None
    if roll < 0.9:
        return Source.OBSERVED, None
    return Source.INFERRED, round(rng.uniform(0.55, 0.85), 2)


def _add_drink_change(
    plan: CustomerPlan, taste: Taste, tl: Timeline, moments: list[datetime]
) -> None:
    assert taste.new_drink is not None
    switch = tl.now - timedelta(days=taste.switch_days_ago)
    before = [m for m in moments if m < switch] or [plan.created_at]
    after = [m for m in moments if m >= switch]
    plan.add(
        before[min(2, len(before) - 1)] + timedelta(minutes=2),
        NotePreference(
            Polarity.LIKE,
            Category.DRINK,
            taste.drink,
            "",
            Source.OBSERVED,
            RESTAURANT,
            tag="old-drink",
        ),
    )
    if len(after) >= 3:
        plan.add(after[2] + timedelta(minutes=2), RetractPreference("old-drink"))
        plan.add(
            after[2] + timedelta(minutes=3),
            NotePreference(
                Polarity.LIKE, Category.DRINK, taste.new_drink, "", Source.OBSERVED, RESTAURANT
            ),
        )
