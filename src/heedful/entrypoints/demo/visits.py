"""Visits and purchases that follow a customer's taste, so that "the usual" has something to find.

A habitual customer picks their favourite most of the time (the drink, the room type, the size and
brand); others pick at random. A customer whose habit changed drank one thing for a year and
another since ``switch_days_ago``: the card should show the new habit, not the old one.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from heedful.core.history.model import HistoryKind, Item

from . import catalogue as cat
from .data import BANK, BOUTIQUE, HOTEL, LOCATIONS, RESTAURANT
from .phrases import VISIT_NOTES
from .plan import Receipts, RecordVisit, Timeline

_SPEC = {spec.key: spec for spec in LOCATIONS}


@dataclass
class Taste:
    habitual: bool
    female: bool
    drink: str
    dish: str
    table: str
    room_type: str
    breakfast: bool
    brand: str
    size: str
    shoe_size: str
    colour: str
    bank_service: str
    new_drink: str | None = None
    switch_days_ago: float = 0.0


def make_taste(rng: random.Random, *, female: bool, habitual: bool) -> Taste:
    return Taste(
        habitual=habitual,
        female=female,
        drink=rng.choice(cat.DRINKS)[0],
        dish=rng.choice(cat.DISHES)[0],
        table=rng.choice(cat.TABLES),
        room_type=rng.choice(cat.ROOM_TYPES)[0],
        breakfast=rng.random() < 0.6,
        brand=rng.choice(cat.BRANDS),
        size=rng.choice(cat.SIZES_WOMEN if female else cat.SIZES_MEN),
        shoe_size=rng.choice(cat.SHOE_SIZES_WOMEN if female else cat.SHOE_SIZES_MEN),
        colour=rng.choice(cat.COLOURS),
        bank_service=rng.choice(cat.BANK_SERVICES),
    )


def with_attributes(visit: RecordVisit, **values: str) -> RecordVisit:
    """The visit with these attributes fixed: a story's habit must not depend on a coin toss."""
    items = tuple(
        replace(item, attributes={k: values.get(k, v) for k, v in item.attributes.items()})
        for item in visit.items
    )
    return replace(visit, items=items)


def visit_days(
    rng: random.Random, first_days_ago: float, last_days_ago: float, interval: float, limit: int
) -> list[float]:
    """Days ago of each visit, oldest first: from the last visit back towards the first."""
    days = [last_days_ago]
    while len(days) < limit:
        previous = days[-1] + interval * rng.uniform(0.6, 1.4)
        if previous > first_days_ago:
            break
        days.append(previous)
    return sorted(days, reverse=True)


def _pick(
    rng: random.Random, habitual: bool, share: float, favourite: str, options: list[str]
) -> str:
    return favourite if habitual and rng.random() < share else rng.choice(options)


def _rated(step: RecordVisit, line: int, share: float) -> RecordVisit:
    """The visit with a rating (1–5, mostly good) on one line, as some guests leave one.

    Its own dice, seeded by the receipt: the demo's other draws stay what they were.
    """
    dice = random.Random(step.external_ref or "")
    if dice.random() >= share:
        return step
    stars = dice.choices("54321", weights=(50, 30, 12, 5, 3))[0]
    items = list(step.items)
    items[line] = replace(items[line], attributes=items[line].attributes | {"rating": stars})
    return replace(step, items=tuple(items))


def _note(rng: random.Random, location: str, share: float = 0.08) -> str:
    return rng.choice(VISIT_NOTES[location]) if rng.random() < share else ""


def restaurant_visit(
    rng: random.Random, taste: Taste, tl: Timeline, receipts: Receipts, days_ago: float
) -> tuple[datetime, RecordVisit]:
    hour = rng.choice((9, 10, 13, 13, 14, 19, 20))
    occurred = tl.at(days_ago, hour, rng.randrange(0, 60, 5), _SPEC[RESTAURANT].time_zone)
    drinks = [name for name, _ in cat.DRINKS]
    if taste.new_drink is not None and days_ago <= taste.switch_days_ago:
        drink = taste.new_drink if rng.random() < 0.92 else rng.choice(drinks)
    else:
        drink = _pick(rng, taste.habitual, 0.85, taste.drink, drinks)
    dish = _pick(rng, taste.habitual, 0.5, taste.dish, [name for name, _ in cat.DISHES])
    table = _pick(rng, taste.habitual, 0.8, taste.table, list(cat.TABLES))
    prices = dict(cat.DRINKS) | dict(cat.DISHES)
    cups = 2 if rng.random() < 0.15 else 1
    items = (
        Item({"drink": drink}, quantity=cups, amount_minor=prices[drink] * cups * 100),
        Item({"dish": dish}, amount_minor=prices[dish] * 100),
        Item({"table": table}),
    )
    total = sum(item.amount_minor or 0 for item in items)
    step = RecordVisit(
        HistoryKind.VISIT,
        RESTAURANT,
        occurred,
        items,
        total,
        _SPEC[RESTAURANT].currency,
        receipts.next(RESTAURANT),
        _note(rng, RESTAURANT),
    )
    step = _rated(step, 1, 0.3)  # the dish, rated in the restaurant's app
    return occurred + timedelta(minutes=rng.randrange(40, 100)), step


def hotel_stay(
    rng: random.Random, taste: Taste, tl: Timeline, receipts: Receipts, days_ago: float
) -> tuple[datetime, RecordVisit]:
    occurred = tl.at(
        days_ago, rng.randrange(14, 23), rng.randrange(0, 60, 5), _SPEC[HOTEL].time_zone
    )
    nights = rng.choice((1, 2, 2, 3, 4))
    rooms = dict(cat.ROOM_TYPES)
    room = _pick(rng, taste.habitual, 0.85, taste.room_type, list(rooms))
    items = [Item({"room_type": room}, quantity=nights, amount_minor=rooms[room] * nights * 100)]
    takes_breakfast = taste.breakfast if taste.habitual else rng.random() < 0.3
    if takes_breakfast:
        name, price = cat.HOTEL_EXTRAS[0]
        items.append(Item({"item": name}, quantity=nights, amount_minor=price * nights * 100))
    if rng.random() < 0.25:
        name, price = rng.choice(cat.HOTEL_EXTRAS[1:])
        items.append(Item({"item": name}, amount_minor=price * 100))
    total = sum(item.amount_minor or 0 for item in items)
    step = RecordVisit(
        HistoryKind.VISIT,
        HOTEL,
        occurred,
        tuple(items),
        total,
        _SPEC[HOTEL].currency,
        receipts.next(HOTEL),
        _note(rng, HOTEL),
    )
    step = _rated(step, 0, 0.4)  # the room, rated on the check-out tablet
    # The folio reaches us at check-out.
    return occurred + timedelta(days=nights, hours=-3), step


def boutique_purchase(
    rng: random.Random, taste: Taste, tl: Timeline, receipts: Receipts, days_ago: float
) -> tuple[datetime, RecordVisit]:
    occurred = tl.at(
        days_ago, rng.randrange(11, 20), rng.randrange(0, 60, 5), _SPEC[BOUTIQUE].time_zone
    )
    garments = cat.GARMENTS_WOMEN if taste.female else cat.GARMENTS_MEN
    items = []
    for _ in range(rng.choice((1, 1, 1, 2, 2, 3))):
        roll = rng.random()
        brand = _pick(rng, taste.habitual, 0.7, taste.brand, list(cat.BRANDS))
        colour = _pick(rng, taste.habitual, 0.5, taste.colour, list(cat.COLOURS))
        if roll < 0.6:
            name, price = rng.choice(garments)
            size = _pick(rng, True, 0.9, taste.size, list(cat.SIZES_WOMEN + cat.SIZES_MEN))
            attributes = {"item": name, "brand": brand, "size": size, "colour": colour}
        elif roll < 0.75:
            name, price = rng.choice(cat.SHOES)
            attributes = {"item": name, "brand": brand, "size": taste.shoe_size, "colour": colour}
        else:
            name, price = rng.choice(cat.ACCESSORIES)
            attributes = {"item": name, "brand": brand, "colour": colour}
        amount = round(price * rng.uniform(0.85, 1.25), -2)
        items.append(Item(attributes, amount_minor=int(amount) * 100))
    total = sum(item.amount_minor or 0 for item in items)
    step = RecordVisit(
        HistoryKind.PURCHASE,
        BOUTIQUE,
        occurred,
        tuple(items),
        total,
        _SPEC[BOUTIQUE].currency,
        receipts.next(BOUTIQUE),
        _note(rng, BOUTIQUE),
    )
    return occurred + timedelta(minutes=2), step


def bank_visit(
    rng: random.Random, taste: Taste, tl: Timeline, receipts: Receipts, days_ago: float
) -> tuple[datetime, RecordVisit]:
    occurred = tl.at(
        days_ago, rng.randrange(9, 18), rng.randrange(0, 60, 15), _SPEC[BANK].time_zone
    )
    service = _pick(rng, taste.habitual, 0.6, taste.bank_service, list(cat.BANK_SERVICES))
    step = RecordVisit(
        HistoryKind.VISIT,
        BANK,
        occurred,
        (Item({"item": service}),),
        None,
        None,
        receipts.next(BANK),
        _note(rng, BANK, 0.15),
    )
    return occurred + timedelta(minutes=30), step


VISIT_BUILDERS = {
    RESTAURANT: restaurant_visit,
    HOTEL: hotel_stay,
    BOUTIQUE: boutique_purchase,
    BANK: bank_visit,
}
