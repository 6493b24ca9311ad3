"""restock_under_load: ``restock_to_smtp``'s trials while the engine is half busy (issue 18).

The issue: "``restock_to_smtp`` measured again while ``worker_throughput``'s half-waking mix runs
at half its maximum rate: the waiting customer's e-mail accepted by the SMTP server within 1 s
p99." Figures go into the ``restock_to_smtp`` block as ``under_load_*``.

One PostgreSQL database holds both standing populations: ``restock_to_smtp``'s (waiting
customers over many items, ``bench/promise_data.py``) and ``worker_throughput``'s (waits over the
shop's variants, ``bench/worker_data.py``; its customers get their own mail domain, so their
e-mails are never taken for a trial's). Then, in one invocation:

1. **The maximum rate**: a batch of half-mix events is stored in the inbox as ingest stores it,
   and drained by the worker's own job (``react_to_events``) in this process, as
   ``worker_throughput`` measures ``pg_1w_half_events_per_s``.
2. **The load**: production's shape (``heedful serve --no-worker`` + one ``heedful worker``, SMTP
   to a server in this process) is started, and a thread POSTs half-mix events to
   ``/api/v1/events`` at half that rate, in small batches on a steady beat, as a stock system
   would. Every e-mail the background wakes goes to the same SMTP server. (A JetStream-fed
   worker stores what it reads into the same inbox, ``store_streamed_events``, and is woken the
   same way: the worker's work is the same.)
3. **The trials**, while the load runs: ``restock_to_smtp``'s, one after another: a restock
   POSTed, timed to the arrival of the last waiting customer's e-mail; every trial e-mail is
   checked to arrive exactly once at the end.

Target (the issue): p99 within 1 s.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx
import psycopg

from bench import worker_data
from bench.crash import daytime_zone
from bench.promise_data import Shape as RestockShape
from bench.promise_data import load as load_restock
from bench.restock_to_smtp import (
    SHAPES,
    SMTP_SERVERS,
    Trials,
    measure_restocks,
    serving,
    smtp_sink,
)
from bench.support import Latencies, fresh_database, libpq_url, step
from bench.worker_data import Feed, Shape
from bench.worker_throughput import _drain, _shape, _store
from heedful.adapters.clock import SystemClock
from heedful.adapters.storage.migrate import upgrade
from heedful.bootstrap import build
from heedful.config import Settings
from heedful.core.access.model import SYSTEM, Role
from heedful.core.staff.handlers import NewToken, create_token

NAME = "restock_under_load"
RESULTS_KEY = "restock_to_smtp"
TARGET_P99_MS = 1000.0
LOAD_DOMAIN = "load.example.org"  # the background's customers: never a trial's address
BEAT_S = 0.05  # the feeder POSTs what is due this often


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group(NAME)
    group.add_argument("--under-load-trials", type=int, default=200, help="timed trials")
    group.add_argument("--under-load-warmup", type=int, default=20, help="untimed trials")
    group.add_argument(
        "--under-load-rate-events", type=int, default=2000, help="events timed for the rate"
    )
    group.add_argument(
        "--under-load-share", type=float, default=0.5, help="of the maximum rate, as background"
    )
    group.add_argument(
        "--under-load-events-per-s",
        type=float,
        default=0.0,
        help="background rate to use instead of measuring the maximum (0: measure)",
    )
    group.add_argument(
        "--under-load-maximum",
        choices=("engine", "worker"),
        default="engine",
        help="the maximum the background is a share of: the engine draining events in this"
        " process (the issue's worker_throughput figure), or heedful worker as deployed,"
        " relaying the events' e-mails too; both are measured and reported",
    )
    group.add_argument(
        "--under-load-workers",
        choices=("one", "split", "split2"),
        default="one",
        help="one heedful worker process doing everything, or the split a busy shop runs:"
        " `worker --only events` beside `worker --only messages --only timers` (ADR 81);"
        " split2 adds a second `worker --only messages`",
    )
    group.add_argument(
        "--under-load-smtp",
        choices=SMTP_SERVERS,
        default="lean",
        help="the test bench's mail server: its own lean one (ADR 87: it takes half the CPU an"
        " e-mail costs aiosmtpd, from the cores the engine is measured on) or aiosmtpd",
    )


class Background:
    """Half-mix events POSTed at a steady rate by a thread, until stopped."""

    def __init__(self, base_url: str, token: str, feed: Feed, rate: float) -> None:
        self.base_url, self.token, self.feed, self.rate = base_url, token, feed, rate
        self.stop = threading.Event()
        self.sent = 0
        self.posts = 0
        self.error: str | None = None
        self._buffer: list[dict[str, Any]] = []
        self._counting_from: tuple[float, int] = (0.0, 0)
        self._thread = threading.Thread(target=self._run, name="background", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def count_from_now(self) -> None:
        self._counting_from = (time.perf_counter(), self.sent)

    def rate_since_count(self) -> float:
        started, sent = self._counting_from
        return (self.sent - sent) / (time.perf_counter() - started)

    def finish(self) -> None:
        """Stops the feed; its error is raised once (a second call, on the way out, is quiet)."""
        self.stop.set()
        self._thread.join(timeout=30)
        error, self.error = self.error, None
        if error:
            raise RuntimeError(f"background feed: {error}")

    def _next(self, count: int) -> list[dict[str, Any]]:
        while len(self._buffer) < count:
            self._buffer.extend(self.feed.events("half", 2))  # one wakes, one does not
        taken, self._buffer = self._buffer[:count], self._buffer[count:]
        return taken

    def _run(self) -> None:
        headers = {
            "Authorization": f"Bearer {self.token}",
            "Content-Type": "application/cloudevents-batch+json",
        }
        started = time.perf_counter()
        with httpx.Client(base_url=self.base_url, headers=headers, timeout=30) as client:
            while not self.stop.is_set():
                due = int(self.rate * (time.perf_counter() - started)) - self.sent
                if due <= 0:
                    self.stop.wait(BEAT_S)
                    continue
                events = self._next(min(due, 500))
                answer = client.post("/api/v1/events", content=worker_data.as_json(events))
                if answer.status_code != 202 or answer.json()["accepted"] != len(events):
                    self.error = f"{answer.status_code} {answer.text[:300]}"
                    return
                self.sent += len(events)
                self.posts += 1


# The background's waiting customers must outlast the run: at half the maximum rate of the
# half mix, half its events each tell one of them for good. Since ADR 71 the measured maximum
# reached 3,775 events/s here and worker_throughput's default 20,000 waits ran out within
# seconds of the warm-up, so the background stands at least this many waits (1,000 told a
# second for ten minutes), ten a variant; a larger --throughput-promises is kept as given.
BACKGROUND_WAITS = 600_000


def _background_shape(args: argparse.Namespace) -> Shape:
    shape = _shape(args)
    if shape.promises >= BACKGROUND_WAITS:
        return shape
    grown = BACKGROUND_WAITS / shape.promises
    return replace(
        shape,
        promises=BACKGROUND_WAITS,
        variants=int(shape.variants * grown),
        customers=int(shape.customers * grown),
    )


def _load(url: str, args: argparse.Namespace, restock: RestockShape) -> dict[str, int]:
    now = SystemClock().now()
    with step("load the waiting customers (restock_to_smtp)"):
        population = load_restock(libpq_url(url), restock, args.seed, now)
    with step("load the background's waits (worker_throughput)"):
        written = worker_data.load(
            url, _background_shape(args), args.seed, now, mail_domain=LOAD_DOMAIN
        )
    with psycopg.connect(libpq_url(url), autocommit=True) as db:
        # Daytime where they live: quiet hours hold none of the background's e-mails back.
        db.execute(
            "UPDATE customers SET time_zone = %s WHERE id LIKE 'cus_wt%%'", (daytime_zone(now),)
        )
    return {**population.rows, **{f"background_{k}": v for k, v in written.items()}}


def _maximum_rate(url: str, feed: Feed, events: int) -> float:
    """worker_throughput's pg_1w half mix on this database: stored, then drained in one process."""
    container = build(Settings(database_url=url, environment="development"))
    try:
        _store(container, feed.events("half", events))
        with step(f"the maximum rate: {events} half-mix events drained by react_to_events"):
            started = time.perf_counter()
            handled = _drain(container)
            seconds = time.perf_counter() - started
    finally:
        container.engine.dispose()
    return handled / seconds


def _shape_of(args: argparse.Namespace) -> str:
    return "worker" if args.under_load_workers == "one" else str(args.under_load_workers)


def _worker_maximum(
    url: str, feed: Feed, events: int, work: Path, args: argparse.Namespace
) -> float:
    """The rate ``heedful worker`` as deployed carries: half-mix events stored at once, timed
    until every one is handled and every e-mail they woke is accepted by the SMTP server.

    The engine's maximum (``_maximum_rate``) leaves the e-mails in the outbox and runs with
    nothing beside it; in production one worker process both handles events and relays their
    messages, so at half the engine's maximum it can fall behind for want of a core (ADR 76's
    runs). This is the figure to take a share of when the question is what the deployed worker
    sustains.
    """
    with (
        smtp_sink(mail_server=args.under_load_smtp) as (smtp_port, _sink),
        serving(url, smtp_port, _shape_of(args), work / "maximum.log"),
        psycopg.connect(libpq_url(url), autocommit=True) as db,
    ):
        _outbox_empty(db, timeout=120)
        container = build(Settings(database_url=url, environment="development"))
        try:
            with step(f"the worker's maximum: {events} half-mix events and their e-mails"):
                started = time.perf_counter()
                _store(container, feed.events("half", events))
                deadline = started + 600
                while _backlog(db) or _queued(db):
                    if time.perf_counter() > deadline:
                        raise RuntimeError("the worker did not drain the events in 10 minutes")
                    threading.Event().wait(0.02)  # a poll of the inbox and the outbox
                seconds = time.perf_counter() - started
        finally:
            container.engine.dispose()
    return events / seconds


def _queued(db: psycopg.Connection[Any]) -> int:
    row = db.execute(
        "SELECT count(*) FROM messages WHERE status IN ('queued', 'retrying')"
    ).fetchone()
    return int(row[0]) if row else 0


def _outbox_empty(db: psycopg.Connection[Any], timeout: float) -> None:
    """The rate run's e-mails are sent before the trials (the worker relays them at its start)."""
    deadline = time.monotonic() + timeout
    while (left := _queued(db)) > 0:
        if time.monotonic() > deadline:
            raise RuntimeError(f"{left} messages still queued after {timeout} s")
        threading.Event().wait(0.2)


def _measure(
    url: str, token: str, trials: Trials, feed: Feed, rate: float, args: argparse.Namespace,
    work: Path,
) -> dict[str, Any]:  # fmt: skip
    load_before = os.getloadavg()[0]
    noted: dict[str, Any] = {}
    with (
        smtp_sink(f"@{LOAD_DOMAIN}", args.under_load_smtp) as (smtp_port, sink),
        serving(url, smtp_port, _shape_of(args), work / "under_load.log") as base_url,
        httpx.Client(
            base_url=base_url, headers={"Authorization": f"Bearer {token}"}, timeout=30
        ) as client,
    ):
        _outbox_empty(trials.db, timeout=120)
        background = Background(base_url, token, feed, rate)
        background.start()

        @contextmanager
        def during(phase: str) -> Iterator[None]:
            if phase == "warm-up":
                with (
                    step(f"under load ({rate:.0f} events/s): warm-up"),
                    _fell_behind(trials, background),
                ):
                    yield
                return
            noted["backlog_before"] = _backlog(trials.db)
            noted["emails_before"] = sink.counted
            background.count_from_now()
            with (
                step(f"under load: {args.under_load_trials} restocks"),
                _fell_behind(trials, background),
            ):
                yield
            noted["achieved"] = background.rate_since_count()
            noted["backlog_after"] = _backlog(trials.db)
            noted["load_during"] = os.getloadavg()[0]
            background.finish()  # the check below runs with the background stopped

        try:
            counts = (args.under_load_warmup, args.under_load_trials)
            restocks = measure_restocks(
                client, sink, trials, counts, "under-load", only_told=True, during=during
            )
        finally:
            background.finish()
        background_emails = sink.counted - noted["emails_before"]
        waited = _waited_for_the_worker(trials.db, "under-load", len(restocks.to_inbox.samples_ms))
    # Each trial's time split where the database saw it: stored -> its batch claimed (waiting
    # behind the worker's pass under way), and the rest (the batch, the relay, the SMTP hop).
    after_claim = [
        total - answer - wait
        for total, answer, wait in zip(
            restocks.to_inbox.samples_ms, restocks.to_answer.samples_ms, waited, strict=True
        )
    ]
    restocks.show("under load")
    return {
        **restocks.figures("under_load_"),
        "under_load_waited_for_worker_p50_ms": round(_percentile(waited, 50), 1),
        "under_load_waited_for_worker_p99_ms": round(_percentile(waited, 99), 1),
        "under_load_claim_to_email_p50_ms": round(_percentile(after_claim, 50), 1),
        "under_load_claim_to_email_p99_ms": round(_percentile(after_claim, 99), 1),
        "under_load_background_events_per_s": round(noted["achieved"], 1),
        "under_load_background_emails": background_emails,
        "under_load_background_posts": background.posts,
        "under_load_inbox_backlog_at_start": noted["backlog_before"],
        "under_load_inbox_backlog_at_end": noted["backlog_after"],
        "under_load_load_average_1m_before": round(load_before, 2),
        "under_load_load_average_1m_during": round(noted["load_during"], 2),
        "under_load_smtp_server": args.under_load_smtp,
    }


@contextmanager
def _fell_behind(trials: Trials, background: Background) -> Iterator[None]:
    """A trial not told in time says how far behind the worker is: on a shared machine its
    capacity can fall below the background rate measured minutes before, and the inbox and the
    outbox then grow without bound."""
    try:
        yield
    except RuntimeError as error:
        queued = _queued(trials.db)
        raise RuntimeError(
            f"{error}: {_backlog(trials.db)} events wait in the inbox and {queued} messages in"
            f" the outbox at {background.sent} background events sent, load average"
            f" {os.getloadavg()[0]:.1f}; try --under-load-share 0.3"
        ) from error


def _waited_for_the_worker(db: psycopg.Connection[Any], label: str, count: int) -> list[float]:
    """Per trial, in order: ms from the event stored to its batch claimed (``processed_at`` is
    the batch's start)."""
    rows = db.execute(
        "SELECT event_id, extract(epoch FROM processed_at - received_at) * 1000 FROM events"
        " WHERE source = 'urn:bench:stock' AND event_id LIKE %s",
        (f"{label}-%",),
    ).fetchall()
    waited = {int(event_id.rsplit("-", 1)[1]): float(ms) for event_id, ms in rows}
    return [max(0.0, waited[n]) for n in range(count)]


def _percentile(samples: list[float], p: float) -> float:
    return Latencies(samples, 1.0).percentile(p)


def _backlog(db: psycopg.Connection[Any]) -> int:
    row = db.execute("SELECT count(*) FROM events WHERE processed_at IS NULL").fetchone()
    return int(row[0]) if row else 0


@contextmanager
def _work_directory(keep: bool) -> Iterator[str]:
    """Where the server's and the worker's logs go; kept, and named, with ``--keep``."""
    if keep:
        folder = tempfile.mkdtemp(prefix="heedful-bench-")
        print(f"logs in {folder}")
        yield folder
        return
    with tempfile.TemporaryDirectory(prefix="heedful-bench-") as folder:
        yield folder


def run(args: argparse.Namespace) -> dict[str, Any]:
    restock = RestockShape(
        customers=args.restock_customers,
        promises=args.restock_promises,
        waits=0.9,
        items=args.restock_items,
    )
    background_shape = _background_shape(args)
    metrics: dict[str, Any] = {
        "under_load_open_promises": restock.promises + background_shape.promises,
        "under_load_background_mix": worker_data.MIXES["half"],
        "under_load_shape": "heedful serve --no-worker + "
        + (
            "one heedful worker process"
            if args.under_load_workers == "one"
            else SHAPES[args.under_load_workers].removeprefix("heedful serve --no-worker + ")
        )
        + ", PostgreSQL",
        "under_load_target_p99_ms": TARGET_P99_MS,
        "under_load_cpus": os.cpu_count(),
    }
    with (
        _work_directory(args.keep) as tmp,
        fresh_database(args.postgres_url, keep=args.keep, label="underload_") as url,
    ):
        with step("migrate"):
            upgrade(url)
        metrics["under_load_rows"] = _load(url, args, restock)
        container = build(Settings(database_url=url))
        feed = Feed(background_shape, args.seed, container.clock.now())
        _, token = create_token(
            NewToken(name="bench", role=Role.ADMIN), container.uow(), container.clock, SYSTEM
        )
        container.close()
        if args.under_load_events_per_s > 0:
            rate = args.under_load_events_per_s
        else:
            engine = _maximum_rate(url, feed, args.under_load_rate_events)
            worker = _worker_maximum(url, feed, args.under_load_rate_events, Path(tmp), args)
            metrics["under_load_maximum_events_per_s"] = round(engine, 1)
            metrics["under_load_worker_maximum_events_per_s"] = round(worker, 1)
            metrics["under_load_share_of"] = args.under_load_maximum
            maximum = engine if args.under_load_maximum == "engine" else worker
            rate = maximum * args.under_load_share
            print(
                f"maximum half-mix rate: the engine {engine:.1f} events/s, the deployed worker"
                f" with its e-mails {worker:.1f}; background at {rate:.1f}"
                f" ({args.under_load_share} of the {args.under_load_maximum}'s)"
            )
        metrics["under_load_target_background_events_per_s"] = round(rate, 1)
        with psycopg.connect(libpq_url(url), autocommit=True) as db:
            # The inbox and the outbox were empty when the load was analysed; the maximum's runs
            # filled them (4,000 events, 2,000 e-mails), as a running shop's are. Without this
            # their statistics said "empty", and a connection's prepared statements kept plans
            # made for an empty table: the relay's UPDATE of a message by its id read the
            # whole outbox, 1 ms of PostgreSQL's CPU per e-mail and growing (ADR 85's runs).
            db.execute("ANALYZE events, messages")
            trials = Trials(db, restock, args.seed, args.restock_units)
            metrics |= _measure(url, token, trials, feed, rate, args, Path(tmp))
    metrics["under_load_measured_at"] = SystemClock().now().isoformat(timespec="seconds")
    p99 = metrics["under_load_p99_ms"]
    verdict = "met" if p99 <= TARGET_P99_MS else "MISSED"
    print(f"target under_load_p99_ms <= {TARGET_P99_MS} ms: {p99} ms, {verdict}")
    return metrics
