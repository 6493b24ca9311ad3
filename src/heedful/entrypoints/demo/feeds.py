"""The demo lives: what the businesses' own systems keep sending while ``heedful demo`` runs.

Each feed is one system (the boutique's stock system, the hotel's PMS, the restaurant's book, the
web shop, the bank's core system) and its generator is a pure function of the feed's state, a
seeded ``random.Random`` and the moment: ``(state, rng, now) -> events``. The runner
(``feed_runner.py``) sends what they make through ``accept_events``, the path of
``POST /api/v1/events``: stored in the inbox, handled by the worker, never written to state.

Rates are bounded by each feed's ``every`` (seconds between two batches, drawn between the two
bounds) and each batch is one or two events: the whole demo sends at most a few events a minute.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from .data import BANK, BOUTIQUE, HOTEL, LOCATION_CODES, LOCATIONS, RESTAURANT
from .promises import SELENE

Event = dict[str, Any]

# Every few minutes the Selene bag comes back (one unit) and, a batch later, is sold again, so
# the handbag story can be played by waiting: the first in line is told, the line moves up.
SELENE_EVERY = 8
# The boutique's other variants, as its stock system names them (product code, colour, size).
VARIANTS: tuple[tuple[str, str, str], ...] = (
    ("ottavia-bruni-selene", "бежева", ""),
    ("maison-verlaine-coat", "кемел", "M"),
    ("castellani-loafers", "чорні", "38"),
    ("severin-silk-scarf", "бордова", ""),
    ("nordhaven-cashmere", "темно-синій", "S"),
    ("hartwell-belt", "коньячний", "90"),
)
ROOM_TYPES = ("Superior Queen", "Deluxe King", "Deluxe Twin", "Junior Suite")
CARRIERS = ("Nova Poshta", "Meest", "Ukrposhta")


@dataclass(frozen=True)
class FeedState:
    run: str  # this run's mark in event ids: a restarted demo never repeats an id
    people: tuple[str, ...] = ()  # phones of customers the system knows (never a story's)
    sent: int = 0  # batches sent so far
    due_at: datetime | None = None  # the next batch; None: at once


Generator = Callable[[FeedState, random.Random, datetime], list[Event]]


@dataclass(frozen=True)
class Feed:
    name: str  # the system, in the events' source (urn:demo:feed:NAME)
    location: str  # the demo's location key
    every: tuple[float, float]  # seconds between two batches, at least and at most
    make: Generator


def _zone(key: str) -> ZoneInfo:
    return ZoneInfo(next(spec.time_zone for spec in LOCATIONS if spec.key == key))


def local_day(now: datetime, key: str) -> date:
    return now.astimezone(_zone(key)).date()


def local_at(day: date, key: str, clock_time: time) -> datetime:
    return datetime.combine(day, clock_time, tzinfo=_zone(key))


def _event(
    feed: str, state: FeedState, n: int, event_type: str, now: datetime, **data: Any
) -> Event:
    return {
        "specversion": "1.0",
        "id": f"{state.run}-{state.sent}-{n}",
        "source": f"urn:demo:feed:{feed}",
        "type": event_type,
        "time": now.isoformat(),
        "data": data,
    }


def _someone(state: FeedState, rng: random.Random) -> dict[str, str] | None:
    return {"phone": rng.choice(state.people)} if state.people else None


def stock_changes(state: FeedState, rng: random.Random, now: datetime) -> list[Event]:
    """A variant counted at the boutique; every ``SELENE_EVERY`` batches the Selene bag is back."""
    where = LOCATION_CODES[BOUTIQUE]
    turn = state.sent % SELENE_EVERY
    if turn in (SELENE_EVERY - 1, 0) and state.sent:
        units = 1 if turn == SELENE_EVERY - 1 else 0  # back, then sold to the one told first
        bag = {"product": SELENE.product, "variant": SELENE.variant}
        return [
            _event(
                "stock",
                state,
                0,
                "heedful.stock.changed",
                now,
                **bag,
                location=where,
                quantity=units,
            )
        ]
    product, colour, size = rng.choice(VARIANTS)
    named = {"product": product, "variant": colour, **({"size": size} if size else {})}
    # A count, not a movement: a movement needs a catalog code, and the till names these freely.
    units = rng.choice((0, 1, 2, 2, 3, 5))
    return [
        _event(
            "stock", state, 0, "heedful.stock.changed", now, **named, location=where, quantity=units
        )
    ]


def hotel_bookings(state: FeedState, rng: random.Random, now: datetime) -> list[Event]:
    """A booking for tomorrow upserted by the PMS: a new one, or a room given to an earlier one."""
    guest = _someone(state, rng)
    if guest is None:
        return []
    arrival = local_at(local_day(now, HOTEL) + timedelta(days=1), HOTEL, time(14, 0))
    number = state.sent if state.sent % 4 != 3 else state.sent - 1  # now and then, a change
    return [
        _event(
            "pms", state, 0, "heedful.booking.upserted", now,
            customer=guest,
            location=LOCATION_CODES[HOTEL],
            booking=f"OGH-{state.run}-{number}",
            arrival=arrival.isoformat(),
            departure=(arrival + timedelta(days=rng.randint(1, 4), hours=-2)).isoformat(),
            room_type=rng.choice(ROOM_TYPES),
            room=str(rng.randint(2, 9) * 100 + rng.randint(1, 24)),
            guests=rng.randint(1, 2),
        )
    ]  # fmt: skip


def restaurant_reservations(state: FeedState, rng: random.Random, now: datetime) -> list[Event]:
    """A table for tonight (tomorrow once tonight's last seating has passed), no table named."""
    guest = _someone(state, rng)
    if guest is None:
        return []
    day = local_day(now, RESTAURANT)
    seating = local_at(day, RESTAURANT, time(18, 0)) + timedelta(minutes=30 * rng.randint(0, 7))
    if seating <= now:
        seating += timedelta(days=1)  # wall-clock arithmetic in the restaurant's zone
    return [
        _event(
            "book", state, 0, "heedful.reservation.upserted", now,
            customer=guest,
            location=LOCATION_CODES[RESTAURANT],
            reservation=f"KV-{state.run}-{state.sent}",
            at=seating.isoformat(),
            party_size=rng.randint(2, 6),
        )
    ]  # fmt: skip


def web_shop_orders(state: FeedState, rng: random.Random, now: datetime) -> list[Event]:
    """Orders in turn: shipped on time; the same order with the carrier's day moved later than
    promised (the late-delivery playbook fires); a parcel waiting at a pick-up point."""
    turn, buyer = state.sent % 3, _someone(state, rng)
    if buyer is None:
        return []
    today = local_day(now, BOUTIQUE)
    promised = today + timedelta(days=2)
    # The late turn names the previous batch's order, so that one goes late, not a new one.
    number = state.sent - 1 if turn == 1 and state.sent else state.sent
    order: dict[str, Any] = {
        "order": f"WS-{state.run}-{number}",
        "status": "shipped",
        "promised": promised.isoformat(),
        "expected": promised.isoformat(),
        "carrier": rng.choice(CARRIERS),
        "lines": [{"code": rng.choice(VARIANTS)[0], "quantity": 1}],
    }
    if turn == 1:
        order["expected"] = (promised + timedelta(days=rng.randint(1, 3))).isoformat()
    elif turn == 2:  # the third turn
        order |= {"status": "at_pickup", "pickup_until": (today + timedelta(days=2)).isoformat()}
    return [
        _event(
            "shop",
            state,
            0,
            "heedful.order.upserted",
            now,
            customer=buyer,
            location=LOCATION_CODES[BOUTIQUE],
            **order,
        )
    ]


def bank_charges(state: FeedState, rng: random.Random, now: datetime) -> list[Event]:
    """An account's balance and tomorrow morning's charge; one in four is not covered."""
    client = _someone(state, rng)
    if client is None:
        return []
    charge = local_at(local_day(now, BANK) + timedelta(days=1), BANK, time(rng.randint(7, 11), 0))
    amount = rng.randrange(500, 5000, 50)
    covered = state.sent % 4 != 3
    balance = amount * 2 if covered else amount // 4
    return [
        _event(
            "core-banking", state, 0, "heedful.account.upserted", now,
            customer=client,
            location=LOCATION_CODES[BANK],
            account=f"UA-F-{state.people.index(client['phone']):04d}",  # one per client
            balance=balance,
            currency="UAH",
            limit=0 if covered else amount // 4,
            next_charge_at=charge.isoformat(),
            next_charge_amount=amount,
        )
    ]  # fmt: skip


FEEDS: tuple[Feed, ...] = (
    Feed("stock", BOUTIQUE, (20, 45), stock_changes),
    Feed("pms", HOTEL, (60, 240), hotel_bookings),
    Feed("book", RESTAURANT, (90, 300), restaurant_reservations),
    Feed("shop", BOUTIQUE, (60, 180), web_shop_orders),
    Feed("core-banking", BANK, (120, 480), bank_charges),
)


def send_due(
    feeds: Sequence[Feed], states: dict[str, FeedState], rng: random.Random, now: datetime
) -> tuple[dict[str, FeedState], list[Event]]:
    """The batches of every feed due at ``now``, and the feeds' next states (pure)."""
    events: list[Event] = []
    after = dict(states)
    for feed in feeds:
        state = states[feed.name]
        if state.due_at is not None and state.due_at > now:
            continue
        events += feed.make(state, rng, now)
        wait = timedelta(seconds=rng.uniform(*feed.every))
        after[feed.name] = replace(state, sent=state.sent + 1, due_at=now + wait)
    return after, events
