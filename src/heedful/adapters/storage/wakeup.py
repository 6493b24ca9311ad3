"""Waking workers in other processes when events are stored: PostgreSQL LISTEN/NOTIFY.

The inbox sends ``NOTIFY heedful_events`` in the transaction that stores new events, so the
notification arrives exactly when they are committed. A worker listening on its own connection
wakes its loop at once; without it (SQLite, or the listener's connection lost) the loop still
finds the events at its next poll, so nothing depends on a notification arriving.
"""

from __future__ import annotations

import threading

import psycopg
import structlog
from sqlalchemy.engine import make_url

EVENTS_CHANNEL = "heedful_events"
log = structlog.get_logger("heedful.wakeup")


def start_listener(
    database_url: str, wake: threading.Event, stop: threading.Event
) -> threading.Thread | None:
    """A daemon thread that sets ``wake`` on every notification; None when not PostgreSQL."""
    url = make_url(database_url)
    if not url.drivername.startswith("postgresql"):
        return None
    libpq = url.set(drivername="postgresql").render_as_string(hide_password=False)

    def listen() -> None:
        while not stop.is_set():
            try:
                with psycopg.connect(libpq, autocommit=True) as conn:
                    conn.execute(f"LISTEN {EVENTS_CHANNEL}")
                    while not stop.is_set():
                        for _ in conn.notifies(timeout=1.0, stop_after=1):
                            wake.set()
            except psycopg.Error:
                log.warning("event listener lost its connection; retrying")
                stop.wait(1.0)

    thread = threading.Thread(target=listen, name="heedful-listen", daemon=True)
    thread.start()
    return thread
