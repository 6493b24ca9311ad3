"""The demo's feeds are pure: (state, random, now) -> events, tested without threads."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from heedful.core.events.intake import read_events
from heedful.entrypoints.demo.feeds import (
    FEEDS,
    SELENE_EVERY,
    FeedState,
    restaurant_reservations,
    send_due,
    stock_changes,
    web_shop_orders,
)

MONDAY_MORNING = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)  # 09:00 in Kyiv
PEOPLE = ("+380501110001", "+380501110002", "+380501110003")


def _states() -> dict[str, FeedState]:
    return {feed.name: FeedState(f"run-{feed.name}", PEOPLE) for feed in FEEDS}


def _an_hour(seed: int) -> list[dict[str, object]]:
    states, rng, now, sent = _states(), random.Random(seed), MONDAY_MORNING, []
    while now < MONDAY_MORNING + timedelta(hours=1):
        states, events = send_due(FEEDS, states, rng, now)
        sent += events
        now += timedelta(seconds=5)
    return sent


def test_the_same_seed_sends_the_same_hour_and_every_event_passes_the_apis_check() -> None:
    hour = _an_hour(7)
    assert hour == _an_hour(7)
    events, report = read_events(hour)
    assert report.rejected == []
    assert len(events) == len(hour)
    assert len({(e["source"], e["id"]) for e in hour}) == len(hour)  # never a duplicate


def test_each_feed_sends_within_its_bounded_rate() -> None:
    hour = _an_hour(3)
    for feed in FEEDS:
        batches = sum(e["source"] == f"urn:demo:feed:{feed.name}" for e in hour)
        slowest, fastest = feed.every[1], feed.every[0]
        assert 3600 // slowest <= batches <= 3600 // fastest + 1, feed.name


def test_the_selene_bag_comes_back_every_few_batches_and_is_sold_the_batch_after() -> None:
    rng = random.Random(1)
    levels = []
    for sent in range(3 * SELENE_EVERY):
        [event] = stock_changes(FeedState("r", (), sent), rng, MONDAY_MORNING)
        if event["data"]["product"] == "selene-black":
            levels.append((sent, event["data"]["quantity"]))
    assert levels == [
        (SELENE_EVERY - 1, 1),
        (SELENE_EVERY, 0),
        (2 * SELENE_EVERY - 1, 1),
        (2 * SELENE_EVERY, 0),
        (3 * SELENE_EVERY - 1, 1),
    ]


def test_the_web_shop_moves_the_last_orders_carrier_date_past_the_promised_day() -> None:
    rng, state = random.Random(2), FeedState("r", PEOPLE, 3)
    [on_time] = web_shop_orders(state, rng, MONDAY_MORNING)
    [late] = web_shop_orders(replace(state, sent=4), rng, MONDAY_MORNING)
    [waiting] = web_shop_orders(replace(state, sent=5), rng, MONDAY_MORNING)
    assert late["data"]["order"] == on_time["data"]["order"]
    assert on_time["data"]["expected"] == on_time["data"]["promised"]
    assert date.fromisoformat(late["data"]["expected"]) > date.fromisoformat(
        late["data"]["promised"]
    )
    assert waiting["data"]["status"] == "at_pickup"
    assert waiting["data"]["pickup_until"] == "2026-03-04"


def test_a_reservation_is_for_tonight_until_the_last_seating_then_for_tomorrow() -> None:
    rng, state = random.Random(4), FeedState("r", PEOPLE)
    morning = [restaurant_reservations(state, rng, MONDAY_MORNING)[0] for _ in range(20)]
    assert {e["data"]["at"][:10] for e in morning} == {"2026-03-02"}
    late_night = MONDAY_MORNING + timedelta(hours=14)  # 23:00 in Kyiv
    [after] = restaurant_reservations(state, rng, late_night)
    assert after["data"]["at"][:10] == "2026-03-03"


def test_a_system_that_knows_nobody_sends_nothing_about_people() -> None:
    nobody = FeedState("r")
    for feed in FEEDS:
        if feed.name != "stock":
            assert feed.make(nobody, random.Random(0), MONDAY_MORNING) == []
