"""The in-process worker: housekeeping that runs on a timer beside the web server.

Later modules (promise deadlines, outbox relay, SLA clocks) add their jobs here; a production
deployment runs the same loop as `heedful worker` in its own process.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta

import structlog

from heedful.bootstrap import Container

log = structlog.get_logger("heedful.worker")

Job = Callable[[Container], int]


def purge_idempotency_keys(container: Container) -> int:
    """Keys are kept long enough for any sane client retry, then dropped to keep the table small."""
    cutoff = container.clock.now() - timedelta(hours=container.settings.idempotency_retention_hours)
    with container.uow() as uow:
        purged = uow.idempotency.purge_older_than(cutoff)
        uow.commit()
    return purged


JOBS: dict[str, Job] = {"purge_idempotency_keys": purge_idempotency_keys}


def run_once(container: Container) -> dict[str, int]:
    done: dict[str, int] = {}
    for name, job in JOBS.items():
        try:
            done[name] = job(container)
        except Exception:  # a failing job must not stop the others or the loop
            log.exception("job failed", job=name)
            done[name] = -1
    return done


def run_forever(container: Container, stop: threading.Event) -> None:
    interval = container.settings.worker_interval_seconds
    log.info("worker started", interval_s=interval, jobs=sorted(JOBS))
    while not stop.is_set():
        results = run_once(container)
        if any(results.values()):
            log.info("worker pass", **results)
        stop.wait(interval)  # wakes at once on shutdown
    log.info("worker stopped")


def start_in_background(container: Container) -> tuple[threading.Thread, threading.Event]:
    stop = threading.Event()
    thread = threading.Thread(
        target=run_forever, args=(container, stop), name="heedful-worker", daemon=True
    )
    thread.start()
    return thread, stop
