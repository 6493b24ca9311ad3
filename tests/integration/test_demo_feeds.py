"""While the demo runs, the businesses' systems keep sending events through the inbox, so the
handbag line moves and the look-ahead playbooks fire: a simulated hour on a FrozenClock."""

from __future__ import annotations

import random
from datetime import timedelta

from heedful.bootstrap import Container
from heedful.core.access.model import SYSTEM
from heedful.core.dealings.capacity import HoldKind
from heedful.core.dealings.holds import tonight
from heedful.core.engine.reactions import process_events
from heedful.core.promises.waiting_line import PlaceState, waiting_lines
from heedful.core.shared.clock import FrozenClock
from heedful.entrypoints.demo import load_demo
from heedful.entrypoints.demo.data import LOCATION_CODES, RESTAURANT
from heedful.entrypoints.demo.feed_runner import feed_once, first_states, start_feeds
from heedful.entrypoints.demo.stories import HANDBAG_CLIENT

TICK = timedelta(seconds=15)


def _firings(container: Container) -> dict[str, int]:
    with container.uow() as uow:
        return {
            playbook.name: len(uow.playbooks.firings(playbook.id, 1000))
            for playbook in uow.playbooks.every()
        }


def _selene_line(container: Container) -> list[tuple[str, PlaceState]]:
    with container.uow() as uow:
        _, lines = waiting_lines(uow, SYSTEM, "selene-black")
    return [(place.customer_name, place.state) for line in lines for place in line.places]


def test_an_hour_of_the_feeds_moves_the_handbag_line_and_fires_the_look_ahead_playbooks(
    container: Container, clock: FrozenClock
) -> None:
    load_demo(container, customers=40)
    before = _firings(container)
    assert _selene_line(container)[0] == (HANDBAG_CLIENT.full_name, PlaceState.WAITING)

    states, rng, sent = first_states(container), random.Random(7), 0
    for _ in range(int(timedelta(hours=1) / TICK)):
        states, events = feed_once(container, states, rng)
        sent += len(events)
        process_events(container.uow, clock)
        clock.advance(TICK)

    # Bounded: a few events a minute, not a flood.
    assert 60 <= sent <= 360
    line = _selene_line(container)
    assert (HANDBAG_CLIENT.full_name, PlaceState.TOLD) in line
    assert sum(state is PlaceState.TOLD for _, state in line) >= 2  # the line moved on
    after = _firings(container)
    late = "Late delivery: tell her first, with a new date"
    assert after[late] > before.get(late, 0)
    parcel = "Parcel waiting at the pick-up point: remind her two days before it goes back"
    assert after[parcel] > before.get(parcel, 0)
    rooms = "Housekeeping: prepare tomorrow's rooms to the guests' wishes"
    assert after[rooms] >= before.get(rooms, 0)
    with container.uow() as uow:
        restaurant = next(
            loc for loc in uow.locations.list() if loc.code == LOCATION_CODES[RESTAURANT]
        )
    book = tonight(restaurant.id, HoldKind.TABLES, container.uow(), clock, SYSTEM)
    assert book.held == 2  # the walk-in hold placed at load
    assert book.booked > 4  # the four parties loaded, and the feed's since


def test_the_feeds_beside_the_server_store_their_events_in_the_inbox_and_stop_when_told(
    container: Container,
) -> None:
    container.wake.clear()
    thread, stop = start_feeds(container)
    # The first batch is due at once; storing it wakes the worker, which is what we wait on.
    assert container.wake.wait(timeout=30)
    stop.set()
    thread.join(timeout=10)
    assert not thread.is_alive()
    with container.uow() as uow:
        stored = uow.events.unprocessed(100)
    assert stored
    assert {event.event.source for event in stored} <= {
        f"urn:demo:feed:{name}" for name in ("stock", "pms", "book", "shop", "core-banking")
    }
