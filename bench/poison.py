"""poison: one event that cannot be processed holds up none of the good events behind it.

Twice on a fresh PostgreSQL database, the worker's engine (``process_events``, batches of 200)
takes a stream of good stock events, a few at a time, as a stock system sends them: once clean,
once with a poison event ahead of them all, an event an older Heedful accepted whose quantity
(10**20) overflows the stock level's column. Each good event's delay is from its commit in the
inbox to the end of the worker pass that processed it.

Before dead letters the poison failed its whole batch on every pass and nothing behind it was
ever processed. ``poison_events_blocking`` counts the good events left unprocessed at the end:
it must be 0, and the two p99 delays should be alike.
"""

from __future__ import annotations

import argparse
import os
import time
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from bench.support import Latencies, fresh_database, step
from heedful.adapters.clock import SystemClock
from heedful.adapters.storage.migrate import upgrade
from heedful.adapters.storage.tables import dead_letters, events
from heedful.bootstrap import Container, build
from heedful.config import Settings
from heedful.core.access.model import SYSTEM
from heedful.core.engine.reactions import process_events
from heedful.core.events.model import BusinessEvent
from heedful.core.staff.handlers import NewLocation, create_location
from heedful.core.staff.model import LocationKind

NAME = "poison"
RESULTS_KEY = "reliability"  # merged beside the kill -9 and fuzz figures of issue 11


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group(NAME)
    group.add_argument("--poison-rounds", type=int, default=100, help="worker passes")
    group.add_argument("--poison-per-round", type=int, default=5, help="good events per pass")


def run(args: argparse.Namespace) -> dict[str, Any]:
    metrics: dict[str, Any] = {"poison_load_average_1m_at_start": round(os.getloadavg()[0], 2)}
    clean = _scenario(args, poisoned=False)
    poisoned = _scenario(args, poisoned=True)
    print(clean.line("good events, clean"))
    print(poisoned["delays"].line("good events, a poison event ahead"))
    metrics |= {
        "poison_good_events": len(poisoned["delays"].samples_ms) + poisoned["blocking"],
        "good_event_delay_p50_ms_clean": round(clean.percentile(50), 2),
        "good_event_delay_p99_ms_clean": round(clean.percentile(99), 2),
        "good_event_delay_p50_ms_with_poison": round(poisoned["delays"].percentile(50), 2),
        "good_event_delay_p99_ms_with_poison": round(poisoned["delays"].percentile(99), 2),
        "poison_events_blocking": poisoned["blocking"],
        # The poison itself: set aside after how many tries (its error is printed, not stored).
        "poison_dead_letter_attempts": poisoned["letter"]["attempts"],
        "poison_measured_at": SystemClock().now().isoformat(timespec="seconds"),
    }
    print(f"poison event: {poisoned['letter']}")
    verdict = "met" if poisoned["blocking"] == 0 else "MISSED"
    print(f"target poison_events_blocking == 0: {poisoned['blocking']}, {verdict}")
    return metrics


def _scenario(args: argparse.Namespace, *, poisoned: bool) -> Any:
    label = "poison_" if poisoned else "clean_"
    with fresh_database(args.postgres_url, keep=args.keep, label=label) as url:
        upgrade(url)
        container = build(Settings(database_url=url, log_format="console"))
        try:
            with step(f"{'poisoned' if poisoned else 'clean'} stream"):
                return _stream(container, args, poisoned=poisoned)
        finally:
            container.close()


def _stream(container: Container, args: argparse.Namespace, *, poisoned: bool) -> Any:
    clock = container.clock
    location = create_location(
        NewLocation(
            name="Atelier Lypky",
            kind=LocationKind.BOUTIQUE,
            city="Kyiv",
            country="UA",
            time_zone="Europe/Kyiv",
        ),
        container.uow(),
        clock,
        SYSTEM,
    )
    if poisoned:
        _store(container, [_stock(location.id, "poison", 10**20)])
    committed: dict[str, float] = {}
    delays: list[float] = []
    started = time.perf_counter()
    for round_number in range(args.poison_rounds):
        batch = [
            _stock(location.id, f"good-{round_number}-{n}", n + 1)
            for n in range(args.poison_per_round)
        ]
        _store(container, batch)
        now = time.perf_counter()
        committed |= {event.id: now for event in batch}
        process_events(container.uow, clock)
        done = time.perf_counter()
        processed = _newly_processed(container, committed)
        delays.extend((done - committed.pop(event_id)) * 1000 for event_id in processed)
    # Whatever is left after a few more passes is held up for good.
    for _ in range(3):
        process_events(container.uow, clock)
    blocking = len(_newly_processed(container, committed, processed=False))
    letter = _letter(container) if poisoned else None
    latencies = Latencies(delays, time.perf_counter() - started)
    if not poisoned:
        return latencies
    return {"delays": latencies, "blocking": blocking, "letter": letter}


def _stock(location_id: str, event_id: str, quantity: int) -> BusinessEvent:
    return BusinessEvent(
        source="urn:bench:stock",
        id=event_id,
        type="heedful.stock.changed",
        data={"product": f"bag-{event_id}", "location": location_id, "quantity": quantity},
    )


def _store(container: Container, batch: list[BusinessEvent]) -> None:
    # Through the repository, past today's ingest checks: as an older Heedful stored them.
    now: datetime = container.clock.now()
    with container.uow() as uow:
        uow.events.accept(batch, received_at=now)
        uow.commit()


def _newly_processed(
    container: Container, waiting: dict[str, float], *, processed: bool = True
) -> list[str]:
    condition = events.c.processed_at.is_not(None) if processed else events.c.processed_at.is_(None)
    with container.engine.connect() as conn:
        rows = conn.execute(
            sa.select(events.c.event_id).where(condition, events.c.event_id.in_(list(waiting)))
        )
        return [event_id for (event_id,) in rows]


def _letter(container: Container) -> dict[str, Any]:
    with container.engine.connect() as conn:
        row = conn.execute(sa.select(dead_letters)).mappings().one()
    return {"state": row["state"], "attempts": row["attempts"], "error": row["error"][:80]}
