"""Waking workers in other processes when there is work: PostgreSQL LISTEN/NOTIFY.

The inbox sends ``NOTIFY heedful_events`` in the transaction that stores new events, and the
outbox ``NOTIFY heedful_messages`` in the one that queues messages, so a notification arrives
exactly when its rows are committed. A worker listening on its own connection wakes its loop at
once; without it (SQLite, or the listener's connection lost) the loop still finds the work at
its next poll, so nothing depends on a notification arriving. A worker that only relays
messages (``heedful worker --only messages``) listens for messages, one that takes events for
events (ADR 81).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

import psycopg
import structlog
from sqlalchemy.engine import make_url

EVENTS_CHANNEL = "heedful_events"
MESSAGES_CHANNEL = "heedful_messages"
log = structlog.get_logger("heedful.wakeup")


def start_listener(
    database_url: str,
    wake: threading.Event,
    stop: threading.Event,
    channels: Sequence[str] = (EVENTS_CHANNEL, MESSAGES_CHANNEL),
) -> threading.Thread | None:
    """A daemon thread that sets ``wake`` on every notification of ``channels``; None when not
    PostgreSQL or nothing to listen for."""
    url = make_url(database_url)
    if not url.drivername.startswith("postgresql") or not channels:
        return None
    libpq = url.set(drivername="postgresql").render_as_string(hide_password=False)

    def listen() -> None:
        while not stop.is_set():
            try:
                with psycopg.connect(libpq, autocommit=True) as conn:
                    for channel in channels:
                        conn.execute(f"LISTEN {channel}")
                    while not stop.is_set():
                        for _ in conn.notifies(timeout=1.0, stop_after=1):
                            wake.set()
            except psycopg.Error:
                log.warning("event listener lost its connection; retrying")
                stop.wait(1.0)

    thread = threading.Thread(target=listen, name="heedful-listen", daemon=True)
    thread.start()
    return thread
