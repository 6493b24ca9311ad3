"""ingest_under_load: the API's POST /events while the embedded worker runs flat out (issue 18).

The embedded default: `heedful serve` on SQLite with its in-process worker thread, so API and
worker share one interpreter and one write lock. The standing data of ``worker_throughput``
(``bench/worker_data.py``) is loaded, then:

1. idle: 100-event batches are POSTed at a steady rate (open loop: each request leaves at its
   time, whether or not the one before was answered, so a stall shows up in the latencies
   instead of slowing the sender) while the worker has no backlog; it handles only what is
   posted (events for items nobody waits for);
2. under load: a backlog of half-waking stock events is put in the inbox; once the worker is
   on it, it is timed alone for a while (``worker_events_per_s_alone``), then the same POSTs are
   sent again; the backlog is sized to outlast them (the figures
   say how much of it was left at the end: more than none means the worker never ran dry).

Beside each phase's POSTs, the reads staff make while the worker works (issue 18, ADR 70): the
customer card through the API (``GET /api/v1/customers/{id}/card``) and in the console
(``/customers/{id}``, logged in), one after the other in a closed loop with no POSTs
beside them, before the backlog (``reads_idle``) and while the worker is flat out on it
(``reads_under_load``); each GET's wall time goes under ``api_card_get_*`` and
``console_card_get_*``.

Each POST's wall time is recorded (every 202 means the events are committed; a POST that fails,
a 500 after SQLite's busy timeout, is counted and its wait is in the latencies); the worker's
events/s is read from the inbox (rows marked processed during each phase). The figures are
filed under ``worker_throughput`` (``api_post_*_ms_under_load``, ``api_post_*_ms_idle``).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import sqlite3
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from bench.restock_to_smtp import smtp_sink
from bench.support import (
    Latencies,
    PlainClient,
    events_post,
    read_reply,
    running_server,
    step,
    time_each,
)
from bench.worker_data import LOCATION, Feed
from bench.worker_throughput import _container, _prepare, _shape, _store
from heedful.adapters.clock import SystemClock
from heedful.core.access.model import SYSTEM, Role
from heedful.core.staff.handlers import (
    NewStaffMember,
    NewToken,
    create_staff_member,
    create_token,
)

NAME = "ingest_under_load"
CONSOLE_LOGIN = "bench-reader"
CONSOLE_PASSWORD = "bench-reader-password"  # noqa: S105 - a throwaway database's
RESULTS_KEY = "worker_throughput"
BATCH_TYPE = "application/cloudevents-batch+json"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group(NAME)
    group.add_argument("--under-load-requests", type=int, default=200, help="POSTs per phase")
    group.add_argument("--under-load-rate", type=float, default=5.0, help="POSTs per second")
    group.add_argument("--under-load-batch", type=int, default=100, help="events per POST")
    group.add_argument(
        "--under-load-alone-s", type=float, default=20.0, help="the worker timed on its own"
    )
    group.add_argument(
        "--under-load-backlog", type=int, default=16_000, help="half-waking events in the backlog"
    )
    group.add_argument(
        "--under-load-reads",
        type=int,
        default=200,
        help="card GETs per read phase, API and console alternating (0: no read phases)",
    )
    group.add_argument(
        "--under-load-api-get",
        action="append",
        default=[],
        metavar="PATH",
        help=(
            "another API GET timed in turn with the cards, e.g. "
            "/api/v1/customers/{customer}/history ({customer}: the card's customer); repeatable"
        ),
    )


def _events(phase: str, start: int, count: int, now: datetime) -> list[dict[str, Any]]:
    """Counts for items nobody waits for, at the shop the standing data knows."""
    return [
        {
            "specversion": "1.0",
            "id": f"api-{phase}-{n:08d}",
            "source": "till",
            "type": "heedful.stock.changed",
            "time": (now + timedelta(milliseconds=n)).isoformat(),
            "data": {
                "product": f"wt-api-{phase}-{n:08d}",
                "variant": "black",
                "size": "M",
                "location": LOCATION,
                "quantity": 2,
            },
        }
        for n in range(start, start + count)
    ]


@dataclass
class Phase:
    latencies_ms: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    accepted: int = 0
    seconds: float = 0.0


# uvicorn closes a keep-alive connection idle for 5 s: one idle longer than this is not reused.
IDLE_REUSE_S = 2.0


async def _exchange(host: str, port: int, pool: list[Any], request: bytes) -> tuple[bytes, bytes]:
    """Send on a pooled connection used lately, else a new one; answer head and body."""
    now = time.monotonic()
    while pool:
        used_at, reader, writer = pool.pop()
        if now - used_at < IDLE_REUSE_S:
            break
        writer.close()
    else:
        reader, writer = await asyncio.open_connection(host, port)
    writer.write(request)
    head, body = await read_reply(reader)
    pool.append((time.monotonic(), reader, writer))
    return head, body


async def _post(host: str, port: int, pool: list[Any], request: bytes, phase: Phase) -> None:
    started = time.perf_counter()
    try:
        head, body = await _exchange(host, port, pool, request)
    except (asyncio.IncompleteReadError, ConnectionError):
        # The server closed a kept-alive connection before reading the request: send it again
        # on a new one (the same event ids: stored once whatever happens), timed from the first.
        head, body = await _exchange(host, port, [], request)
    phase.latencies_ms.append((time.perf_counter() - started) * 1000)
    if not head.startswith(b"HTTP/1.1 202"):
        phase.failures.append(head.split(b"\r\n", 1)[0].decode() + " " + body[:200].decode())
        return
    phase.accepted += json.loads(body)["accepted"]


async def _open_loop(host: str, port: int, requests: list[bytes], rate: float) -> Phase:
    """Each request leaves at ``start + i / rate``, on a free keep-alive connection or a new one."""
    phase = Phase()
    pool: list[Any] = []
    loop = asyncio.get_running_loop()
    started = loop.time()
    tasks = []
    for index, request in enumerate(requests):
        await asyncio.sleep(max(0.0, started + index / rate - loop.time()))
        tasks.append(asyncio.create_task(_post(host, port, pool, request, phase)))
    await asyncio.gather(*tasks)
    phase.seconds = loop.time() - started
    for _, _, writer in pool:
        writer.close()
    return phase


def _request(host: str, token: str, events: list[dict[str, Any]]) -> bytes:
    return events_post(host, token, BATCH_TYPE, json.dumps(events).encode())


class Inbox:
    """Counts read from the database file directly (a WAL reader: it never waits for a writer)."""

    def __init__(self, path: str) -> None:
        self._db = sqlite3.connect(path, isolation_level=None)

    def processed(self) -> int:
        return self._count("processed_at IS NOT NULL")

    def waiting(self) -> int:
        return self._count("processed_at IS NULL")

    def _count(self, where: str) -> int:
        return int(self._db.execute(f"SELECT count(*) FROM events WHERE {where}").fetchone()[0])

    def close(self) -> None:
        self._db.close()


def _measure(
    what: str, server_url: str, token: str, inbox: Inbox, args: argparse.Namespace
) -> dict[str, Any]:
    host, port = server_url.removeprefix("http://").split(":")
    now = SystemClock().now()
    size = args.under_load_batch
    requests = [
        _request(f"{host}:{port}", token, _events(what, i * size, size, now))
        for i in range(args.under_load_requests)
    ]
    done_before = inbox.processed()
    load_before = os.getloadavg()[0]
    with step(f"{what}: {len(requests)} POSTs of {size} events at {args.under_load_rate}/s"):
        phase = asyncio.run(_open_loop(host, int(port), requests, args.under_load_rate))
    handled = inbox.processed() - done_before
    if phase.failures:
        # Counted, not raised: a POST refused after the busy timeout is the finding itself.
        print(f"{what}: {len(phase.failures)} POSTs failed, e.g. {phase.failures[0]}")
    if phase.accepted != size * (len(requests) - len(phase.failures)):
        raise RuntimeError(f"{what}: {phase.accepted} accepted of {size * len(requests)}")
    latencies = Latencies(phase.latencies_ms, phase.seconds)
    print(latencies.line(what), f"max={max(phase.latencies_ms):.1f} ms", flush=True)
    return {
        "p50": round(latencies.percentile(50), 2),
        "p99": round(latencies.percentile(99), 2),
        "max": round(max(phase.latencies_ms), 2),
        "failed": len(phase.failures),
        "worker_events_per_s": round(handled / phase.seconds, 1),
        "seconds": round(phase.seconds, 1),
        "load_average_1m": round((load_before + os.getloadavg()[0]) / 2, 2),
    }


class Reads:
    """The card of one customer read as a till does (API) and as staff do (the console page)."""

    def __init__(
        self, base_url: str, token: str, customer_id: str, other_gets: tuple[str, ...] = ()
    ) -> None:
        self.customer_id = customer_id
        # Other API GETs read in turn with the cards (ADR 74: the routes made read-only), by
        # the path as given.
        self.other_gets = {path: path.replace("{customer}", customer_id) for path in other_gets}
        self._base_url, self._token = base_url, token
        self.api = self.fresh_api()
        self.console = httpx.Client(base_url=base_url, timeout=120)
        form = self.console.get("/login").text
        found = re.search(r'name="csrf_token" value="([^"]+)"', form)
        if found is None:
            raise RuntimeError("the login page has no CSRF token")
        self.console.post(
            "/login",
            data={"login": CONSOLE_LOGIN, "password": CONSOLE_PASSWORD, "csrf_token": found[1]},
        )

    def fresh_api(self) -> PlainClient:
        """A new keep-alive connection: uvicorn closes one idle for 5 s, between the phases."""
        return PlainClient(self._base_url, {"Authorization": f"Bearer {self._token}"})

    def api_card(self, _: int) -> None:
        status, body = self.api.get(f"/api/v1/customers/{self.customer_id}/card")
        if status != 200:
            raise RuntimeError(f"API card: {status} {body[:300]!r}")

    def api_get(self, path: str) -> None:
        status, body = self.api.get(path)
        if status != 200:
            raise RuntimeError(f"GET {path}: {status} {body[:300]!r}")

    def console_card(self, _: int) -> None:
        answer = self.console.get(f"/customers/{self.customer_id}")
        if answer.status_code != 200 or self.customer_id not in answer.text:
            raise RuntimeError(f"console card: {answer.status_code} {answer.text[:300]}")

    def close(self) -> None:
        self.api.close()
        self.console.close()


def _measure_reads(what: str, reads: Reads, inbox: Inbox, count: int) -> dict[str, Any]:
    """``count`` GETs, the API's card and the console's in turn (closed loop: a stall shows as
    the latency of the GET that met it); the worker's events/s beside them."""
    api: list[float] = []
    console: list[float] = []
    others: dict[str, list[float]] = {path: [] for path in reads.other_gets}
    reads.api.close()
    reads.api = reads.fresh_api()
    done_before, load_before = inbox.processed(), os.getloadavg()[0]
    with step(f"{what}: {count} card GETs, API and console in turn") as watch:
        for n in range(count // 2):
            api += time_each(reads.api_card, [n]).samples_ms
            console += time_each(reads.console_card, [n]).samples_ms
            for path, concrete in reads.other_gets.items():
                others[path] += time_each(reads.api_get, [concrete]).samples_ms
    seconds = watch.seconds
    found: dict[str, Any] = {}
    named = {_get_key(path): samples for path, samples in others.items()}
    for name, samples in (("api_card_get", api), ("console_card_get", console), *named.items()):
        latencies = Latencies(samples, sum(samples) / 1000)
        print(latencies.line(f"{what} {name}"), f"max={max(samples):.1f} ms", flush=True)
        for stat in (50, 99):
            found[f"{name}_p{stat}_ms_{what}"] = round(latencies.percentile(stat), 2)
        found[f"{name}_max_ms_{what}"] = round(max(samples), 2)
    found[f"worker_events_per_s_{what}"] = round((inbox.processed() - done_before) / seconds, 1)
    found[f"get_load_average_1m_{what}"] = round((load_before + os.getloadavg()[0]) / 2, 2)
    return found


def _get_key(path: str) -> str:
    """``/api/v1/customers/{customer}/history?limit=5`` -> ``api_customers_history_get``."""
    words = re.split(r"[/.-]+", path.split("?", maxsplit=1)[0])
    kept = [w for w in words if w and w not in ("api", "v1") and "{" not in w]
    return "_".join(["api", *kept, "get"])


def _reader_setup(container: Any, path: str) -> str:
    """A console login for the reads, and a customer of the standing data to read."""
    create_staff_member(
        NewStaffMember(
            login=CONSOLE_LOGIN,
            full_name="Bench Reader",
            role=Role.ADMIN,
            password=CONSOLE_PASSWORD,
        ),
        container.uow(),
        container.clock,
        SYSTEM,
    )
    with sqlite3.connect(path) as db:
        row = db.execute("SELECT id FROM customers ORDER BY id LIMIT 1").fetchone()
    return str(row[0])


def _wait_until_working(inbox: Inbox, timeout_s: float = 60.0) -> None:
    """Until the worker has marked some of the backlog: it is on it, flat out."""
    before, deadline = inbox.processed(), time.monotonic() + timeout_s
    while inbox.processed() < before + 200:
        if time.monotonic() > deadline:
            raise RuntimeError("the worker did not start on the backlog")
        asyncio.run(asyncio.sleep(0.05))


def _worker_alone(inbox: Inbox, seconds: float) -> float:
    """The worker's events/s on the backlog with no POSTs beside it, for the comparison."""
    with step(f"worker alone on the backlog for {seconds:.0f} s"):
        before, started = inbox.processed(), time.perf_counter()
        asyncio.run(asyncio.sleep(seconds))
        rate = (inbox.processed() - before) / (time.perf_counter() - started)
    print(f"worker alone: {rate:.1f} events/s", flush=True)
    return round(rate, 1)


def run(args: argparse.Namespace) -> dict[str, Any]:
    shape = _shape(args)
    metrics: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="heedful-load-") as folder, smtp_sink() as sink:
        smtp_port, _ = sink
        path = f"{folder}/under_load.db"
        url = f"sqlite:///{path}"
        _prepare(url, shape, args.seed)
        container = _container(url)
        _, token = create_token(
            NewToken(name="bench", role=Role.ADMIN), container.uow(), container.clock, SYSTEM
        )
        backlog = Feed(shape, args.seed, container.clock.now()).events(
            "half", args.under_load_backlog
        )
        customer_id = _reader_setup(container, path)
        reads_count = args.under_load_reads
        inbox = Inbox(path)
        env = {"HEEDFUL_SMTP_HOST": "127.0.0.1", "HEEDFUL_SMTP_PORT": str(smtp_port)}
        try:
            with running_server(
                url, Path(folder) / "server.log", with_worker=True, env=env, startup_s=120.0
            ) as server:
                warm = argparse.Namespace(**{**vars(args), "under_load_requests": 20})
                _measure("warm", server.base_url, token, inbox, warm)
                idle = _measure("idle", server.base_url, token, inbox, args)
                reads = (
                    Reads(server.base_url, token, customer_id, tuple(args.under_load_api_get))
                    if reads_count
                    else None
                )
                if reads is not None:
                    _measure_reads("reads_warm", reads, inbox, 20)
                    metrics |= _measure_reads("reads_idle", reads, inbox, reads_count)
                with step(f"backlog: {len(backlog):,} half-waking events into the inbox"):
                    _store(container, backlog)
                _wait_until_working(inbox)
                if reads is not None:  # first, while the backlog is at its largest
                    metrics |= _measure_reads("reads_under_load", reads, inbox, reads_count)
                    reads.close()
                    if not metrics["worker_events_per_s_reads_under_load"]:
                        print("the worker was idle beside the reads: a larger --under-load-backlog")
                alone = _worker_alone(inbox, args.under_load_alone_s)
                loaded = _measure("under_load", server.base_url, token, inbox, args)
                left = inbox.waiting()
        finally:
            inbox.close()
            container.engine.dispose()
    for suffix, phase in (("under_load", loaded), ("idle", idle)):
        for stat in ("p50", "p99", "max"):
            metrics[f"api_post_{stat}_ms_{suffix}"] = phase[stat]
        metrics[f"api_post_failed_{suffix}"] = phase["failed"]
        metrics[f"api_post_load_average_1m_{suffix}"] = phase["load_average_1m"]
        metrics[f"worker_events_per_s_{suffix}"] = phase["worker_events_per_s"]
    metrics["worker_events_per_s_alone"] = alone
    metrics["api_post_under_load_backlog_left"] = left
    metrics["api_post_under_load_shape"] = {
        "requests": args.under_load_requests,
        "rate_per_s": args.under_load_rate,
        "events_per_post": args.under_load_batch,
        "backlog": args.under_load_backlog,
        "mix": "backlog: half wake one promise; posted: nobody waits",
    }
    metrics["api_post_under_load_measured_at"] = SystemClock().now().isoformat(timespec="seconds")
    if left == 0:
        print("the worker ran dry before the end: give it a larger --under-load-backlog")
    return metrics
