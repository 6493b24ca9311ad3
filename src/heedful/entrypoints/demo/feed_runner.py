"""Runs the demo's feeds (``feeds.py``) beside the server, on the app's clock.

What the feeds make goes through ``accept_events``, as a body of ``POST /api/v1/events`` would:
stored in the inbox and committed, then the worker is woken to handle it. The thread waits on
its stop event, never sleeps, and stops with the server.
"""

from __future__ import annotations

import random
import threading
from datetime import datetime

import structlog

from heedful.bootstrap import Container
from heedful.core.customers.identities import IdentityKind, normalise_identity
from heedful.core.events.handlers import accept_events
from heedful.core.shared.scope import CustomerScope

from .data import LOCATION_CODES, LOCATIONS
from .feeds import FEEDS, Event, Feed, FeedState, send_due
from .stories import STORIES

log = structlog.get_logger("heedful.demo.feeds")

PEOPLE_PER_FEED = 40
# The longest the thread waits before looking at the clock again (a FrozenClock moved by hand,
# a laptop woken from sleep): a minute's lag is nothing in a demo.
LONGEST_WAIT = 60.0


def first_states(container: Container, feeds: tuple[Feed, ...] = FEEDS) -> dict[str, FeedState]:
    """Each feed's state at start: the phones of up to 40 customers of its location, leaving
    out the stories' customers so the walk-throughs stay as the README tells them."""
    now = container.clock.now()
    run = f"{now:%Y%m%d%H%M%S}"
    story_phones = {
        normalise_identity(IdentityKind.PHONE, story.find_by.value)
        for story in STORIES
        if story.find_by.kind is IdentityKind.PHONE
    }
    people: dict[str, tuple[str, ...]] = {}
    with container.uow() as uow:
        places = {location.code: location.id for location in uow.locations.list()}
        for spec in LOCATIONS:
            location_id = places.get(LOCATION_CODES[spec.key])
            if location_id is None:
                continue
            scope = CustomerScope(frozenset({location_id}))
            customers = uow.customers.list(scope, PEOPLE_PER_FEED * 2, None).items
            identities = uow.identities.list_for_many([c.id for c in customers])
            phones = {
                identity.customer_id: identity.value
                for customer in customers
                for identity in identities.get(customer.id, [])
                if identity.kind is IdentityKind.PHONE and identity.value not in story_phones
            }
            people[spec.key] = tuple(sorted(phones.values())[:PEOPLE_PER_FEED])
    return {
        feed.name: FeedState(f"{run}-{feed.name}", people.get(feed.location, ())) for feed in feeds
    }


def feed_once(
    container: Container, states: dict[str, FeedState], rng: random.Random
) -> tuple[dict[str, FeedState], list[Event]]:
    """Send what is due now; return the feeds' next states and the events sent."""
    now = container.clock.now()
    states, events = send_due(FEEDS, states, rng, now)
    if events:
        report = accept_events(container.uow(), container.clock, events)
        for event in events:
            log.debug(
                "demo feed event",
                source=event["source"],
                type=event["type"],
                id=event["id"],
                data=event["data"],
            )
        if report.rejected:
            log.warning("demo feed events refused", refused=[repr(r) for r in report.rejected])
        container.wake.set()
    return states, events


def _seconds_to_next(states: dict[str, FeedState], now: datetime) -> float:
    due = [state.due_at for state in states.values() if state.due_at is not None]
    if not due:
        return 0.0
    return max(0.0, min(LONGEST_WAIT, (min(due) - now).total_seconds()))


def start_feeds(container: Container, *, seed: int = 7) -> tuple[threading.Thread, threading.Event]:
    """Start the feeds in a background thread; set the returned event to stop them."""
    stop = threading.Event()
    rng = random.Random(seed)

    def run() -> None:
        states = first_states(container)
        while not stop.is_set():
            try:
                states, _ = feed_once(container, states, rng)
            except Exception:  # a feed's hiccup (a locked SQLite file) must not end the demo
                log.exception("demo feed failed; trying again")
            stop.wait(_seconds_to_next(states, container.clock.now()) or 1.0)

    thread = threading.Thread(target=run, name="heedful-demo-feeds", daemon=True)
    thread.start()
    return thread, stop
