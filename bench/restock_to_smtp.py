"""restock_to_smtp: from a stock system's POST to the e-mails in the waiting customers' inboxes.

1,000,000 open promises (90 % of them "tell me when it is available", over 200,000 products,
variants and sizes at 4 locations) in PostgreSQL; the real server and worker, with SMTP pointed at
a server in a process of its own that notes when each e-mail arrives. Each trial picks an item
with at least 3 customers waiting, POSTs the ``heedful.stock.changed`` CloudEvent that 2 units
arrived to ``/api/v1/events``, and times from just before the POST to the arrival of the second
e-mail. The first two in line are told; the third keeps her place. At the end every expected
e-mail must have arrived exactly once, and no other.

Two shapes, each measured: ``worker`` is production's (``heedful serve --no-worker`` beside one
``heedful worker`` process; the worker learns of the event at its next poll), ``in_process`` is
``heedful serve`` with the worker in the server's process (``make demo``, small sites).

Target (the issue): p99 under 250 ms. The same trials while the engine is half busy with other
stock reports: ``bench/restock_under_load.py`` (keys ``under_load_*`` in this block).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import random
import subprocess
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, ExitStack, contextmanager, nullcontext, suppress
from dataclasses import dataclass, field
from datetime import datetime
from email.parser import BytesHeaderParser
from pathlib import Path
from typing import Any

import httpx
import psycopg
from aiosmtpd.controller import Controller

from bench import lean_smtp
from bench.crash import daytime_zone
from bench.promise_data import Shape, Wanted, load, wanted_item
from bench.support import HEEDFUL, Latencies, free_port, fresh_database, libpq_url, step
from heedful.adapters.clock import SystemClock
from heedful.adapters.storage.migrate import upgrade
from heedful.bootstrap import build
from heedful.config import Settings
from heedful.core.access.model import SYSTEM, Role
from heedful.core.catalog.model import normalise
from heedful.core.staff.handlers import NewToken, create_token

NAME = "restock_to_smtp"
TARGET_P99_MS = 250.0
# The worker processes beside the server in each shape; "split" gives the relay processes of its
# own (ADR 81). With none beside it, the server runs its own worker thread.
WORKERS: dict[str, tuple[tuple[str, ...], ...]] = {
    "worker": (("worker",),),
    "in_process": (),
    "split": (("worker", "--only", "events"), ("worker", "--only", "messages", "--only", "timers")),
    "split2": (
        ("worker", "--only", "events"),
        ("worker", "--only", "messages", "--only", "timers"),
        ("worker", "--only", "messages"),
    ),
}


def _described(workers: tuple[tuple[str, ...], ...]) -> str:
    if not workers:
        return "heedful serve (worker thread in the server process)"
    return " + ".join(["heedful serve --no-worker", *("heedful " + " ".join(w) for w in workers)])


SHAPES = {name: _described(workers) for name, workers in WORKERS.items()}
# The engine's own question (SqlPromises.waiting_for), asked before a trial: who is in line.
IN_LINE = """
SELECT p.id, p.customer_id, i.value
FROM promises p JOIN identities i ON i.customer_id = p.customer_id AND i.kind = 'email'
WHERE p.item_product = %s AND p.location_id = %s AND p.state = 'open'
  AND p.kind = 'tell_when_available' AND p.notice_message_id IS NULL
  AND p.item_variant IN ('', %s) AND p.item_size IN ('', %s)
ORDER BY p.sequence LIMIT %s
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group(NAME)
    group.add_argument("--restock-customers", type=int, default=100_000)
    group.add_argument("--restock-promises", type=int, default=1_000_000)
    group.add_argument("--restock-items", type=int, default=200_000, help="items waited for")
    group.add_argument("--restock-trials", type=int, default=200, help="timed trials per shape")
    group.add_argument("--restock-warmup", type=int, default=20, help="untimed trials per shape")
    group.add_argument("--restock-units", type=int, default=2, help="units arriving per trial")
    group.add_argument(
        "--restock-shapes", default="worker,in_process", help=f"of {', '.join(SHAPES)}"
    )


@dataclass(frozen=True)
class Arrival:
    at: float  # time.perf_counter() as the DATA command came in
    message_id: str
    to: str


class ArrivalSink:
    """The e-mails an SMTP server accepted: the moment each arrived, and for whom."""

    def __init__(self) -> None:
        self._arrived = threading.Condition()
        self.arrivals: list[Arrival] = []
        self.counted = 0  # e-mails to the counted-only domain (``smtp_sink``), as last told

    def note(self, arrived: list[Arrival]) -> None:
        with self._arrived:
            self.arrivals.extend(arrived)
            self._arrived.notify_all()

    def mark(self) -> int:
        with self._arrived:
            return len(self.arrivals)

    def wait_for(self, since: int, expected: Counter[str], timeout: float) -> list[Arrival]:
        """The e-mails to ``expected`` addresses since ``since``, once they have all arrived."""
        deadline = time.perf_counter() + timeout
        got: list[Arrival] = []
        with self._arrived:
            while True:
                # Only what arrived since the last look: under load thousands of others'
                # e-mails arrive during one trial, and scanning them all at each arrival held
                # the benchmark's own CPU for seconds.
                new = self.arrivals[since:]
                since += len(new)
                got.extend(a for a in new if a.to in expected)
                if Counter(a.to for a in got) >= expected:
                    return got
                left = deadline - time.perf_counter()
                if left <= 0 or not self._arrived.wait(left):
                    missing = expected - Counter(a.to for a in got)
                    raise RuntimeError(f"no e-mail to {sorted(missing)} within {timeout} s")

    def since(self, mark: int) -> list[Arrival]:
        with self._arrived:
            return self.arrivals[mark:]

    def more_than(self, count: int, timeout: float) -> bool:
        with self._arrived:
            return self._arrived.wait_for(lambda: len(self.arrivals) > count, timeout)


class _Forwarding:
    """The SMTP server's DATA handler, in the server's process: each arrival, timed as its
    DATA came in, is sent to the benchmark before the server answers 250.

    E-mails to ``counted_only`` (the background's customers under load: 500 a second) are only
    counted, and the count sent every ``COUNT_EVERY_S``: sent one by one, each was pickled
    here, unpickled in the benchmark and woke its trial, which then looked for its own among
    them, and the benchmark's process spent on that the CPU the relay is measured for.
    """

    def __init__(self, pipe: Any, counted_only: str) -> None:
        self.pipe, self.counted_only = pipe, counted_only
        self.counted = 0
        self._count_due = False

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        del server, session
        self.note(time.perf_counter(), envelope.rcpt_tos, envelope.content)
        return "250 OK"

    def note(self, at: float, tos: list[str], content: bytes) -> None:
        """``at``: time.perf_counter(), CLOCK_MONOTONIC, the same clock in every process."""
        if self.counted_only and all(to.endswith(self.counted_only) for to in tos):
            self.counted += len(tos)
            if not self._count_due:
                self._count_due = True
                asyncio.get_running_loop().call_later(COUNT_EVERY_S, self.send_count)
            return
        headers = BytesHeaderParser().parsebytes(content)
        message_id = str(headers["Message-ID"] or "").strip("<>").split("@")[0]
        self.pipe.send([(at, message_id, to) for to in tos])

    def send_count(self) -> None:
        self._count_due = False
        self.pipe.send(("counted", self.counted))


COUNT_EVERY_S = 0.1
# The test bench's mail servers: aiosmtpd, or its own lean one (bench/lean_smtp.py, ADR 87).
SMTP_SERVERS = ("aiosmtpd", "lean")


def _serve_smtp(port: int, pipe: Any, stop: Any, counted_only: str, server: str) -> None:
    forwarding = _Forwarding(pipe, counted_only)
    if server == "lean":
        asyncio.run(_serve_lean(port, pipe, stop, forwarding))
    else:
        controller = Controller(forwarding, hostname="127.0.0.1", port=port, ready_timeout=10)
        controller.start()
        pipe.send("ready")
        stop.wait()
        controller.stop()
    forwarding.send_count()  # the last count, with the server stopped
    pipe.close()


async def _serve_lean(port: int, pipe: Any, stop: Any, forwarding: _Forwarding) -> None:
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    # The benchmark's stop is a process-shared event: a thread waits for it for the loop.
    waiter = threading.Thread(
        target=lambda: (stop.wait(), loop.call_soon_threadsafe(stopping.set)), daemon=True
    )
    waiter.start()
    await lean_smtp.serve(port, forwarding.note, lambda: pipe.send("ready"), stopping)


def _receive(pipe: Any, sink: ArrivalSink) -> None:
    with suppress(EOFError, OSError):
        while True:
            received = pipe.recv()
            if isinstance(received, tuple):  # ("counted", n)
                sink.counted = received[1]
                continue
            sink.note([Arrival(*arrival) for arrival in received])


@contextmanager
def smtp_sink(
    counted_only: str = "", mail_server: str = "aiosmtpd"
) -> Iterator[tuple[int, ArrivalSink]]:
    """A real SMTP server (aiosmtpd; ``mail_server="lean"``: the bench's own, ADR 87) in a
    process of its own, as a shop's mail server is. ``counted_only``: a domain
    (``@load.example.org``) whose e-mails are only counted (``ArrivalSink.counted``), not each
    noted.

    In the benchmark's process it shared one interpreter lock with the feeder posting the
    background's events and with the trials: under load each SMTP reply waited for them, and
    the relay, which waits for each reply, was timed at the benchmark's pace, not its own.
    """
    sink = ArrivalSink()
    port = free_port()
    spawn = multiprocessing.get_context("spawn")
    ours, theirs = spawn.Pipe()
    stop = spawn.Event()
    server = spawn.Process(
        target=_serve_smtp, args=(port, theirs, stop, counted_only, mail_server), daemon=True
    )
    server.start()
    theirs.close()
    if not ours.poll(60) or ours.recv() != "ready":
        server.kill()
        raise RuntimeError("the SMTP server did not start")
    receiver = threading.Thread(target=_receive, args=(ours, sink), daemon=True)
    receiver.start()
    try:
        yield port, sink
    finally:
        stop.set()
        server.join(10)
        if server.is_alive():
            server.kill()
        receiver.join(10)
        ours.close()


@contextmanager
def _process(args: list[str], env: dict[str, str], log: Path) -> Iterator[subprocess.Popen[bytes]]:
    with log.open("ab") as out:
        process = subprocess.Popen([str(HEEDFUL), *args], env=env, stdout=out, stderr=out)
    try:
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def serving(url: str, smtp_port: int, shape: str, log: Path) -> Iterator[str]:
    """The server (and the worker) of ``shape``, sending e-mail to the sink; yields the base URL."""
    port = free_port()
    env = {
        **os.environ,
        "HEEDFUL_DATABASE_URL": url,
        "HEEDFUL_HOST": "127.0.0.1",
        "HEEDFUL_PORT": str(port),
        "HEEDFUL_SMTP_HOST": "127.0.0.1",
        "HEEDFUL_SMTP_PORT": str(smtp_port),
        "HEEDFUL_LOG_FORMAT": "json",
    }
    base_url = f"http://127.0.0.1:{port}"
    with ExitStack() as stack:
        workers = WORKERS[shape]
        serve = ["serve", "--no-worker"] if workers else ["serve"]
        server = stack.enter_context(_process(serve, env, log))
        for worker in workers:
            stack.enter_context(_process(list(worker), env, log))
        _wait_until_healthy(base_url, server, log)
        yield base_url


def _wait_until_healthy(base_url: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    with httpx.Client(base_url=base_url, timeout=2.0) as client:
        while time.monotonic() < deadline:
            try:
                if client.get("/healthz").status_code == 200:
                    return
            except httpx.TransportError:
                pass
            try:
                server.wait(timeout=0.1)  # the pause between polls, and a check it still runs
            except subprocess.TimeoutExpired:
                continue
            raise RuntimeError(f"the server exited:\n{_tail(log)}")
    raise RuntimeError(f"the server did not answer /healthz in 60 s:\n{_tail(log)}")


def _tail(log: Path) -> str:
    # The log lives in a temporary directory that is gone by the time anyone reads the error.
    return "\n".join(log.read_text(errors="replace").splitlines()[-30:])


@dataclass
class Trial:
    item: Wanted
    told: list[str]  # promise ids, first in line first
    passed_over: list[str]  # still waiting after this trial
    addresses: list[str] = field(default_factory=list)  # of those told


@dataclass
class Line:
    """What the trials told and whom they passed over, to check against the sink and outbox."""

    trials: list[Trial] = field(default_factory=list)

    def told(self) -> set[str]:
        return {pid for trial in self.trials for pid in trial.told}

    def passed_over(self) -> set[str]:
        return {pid for trial in self.trials for pid in trial.passed_over} - self.told()

    def addresses(self) -> set[str]:
        return {address for trial in self.trials for address in trial.addresses}


class Trials:
    def __init__(self, db: psycopg.Connection[Any], shape: Shape, seed: int, units: int) -> None:
        self.db, self.shape, self.units = db, shape, units
        self.rng = random.Random(seed + 11)
        self.used: set[int] = set()
        self.line = Line()

    def next_line(self) -> tuple[Trial, Counter[str]]:
        """An item never restocked before with at least units + 1 customers in line for it."""
        while True:
            index = self.rng.randrange(self.shape.items)
            if index in self.used:
                continue
            self.used.add(index)
            item = wanted_item(index)
            waiting = self.db.execute(
                IN_LINE,
                (
                    normalise(item.product),
                    item.location_id,
                    normalise(item.variant),
                    normalise(item.size),
                    self.units + 1,
                ),
            ).fetchall()
            if len(waiting) > self.units:
                break
        # Quiet hours only delay a message: the customers in line live where it is daytime now.
        customers = [customer_id for _, customer_id, _ in waiting]
        zone = daytime_zone(SystemClock().now())
        self.db.execute("UPDATE customers SET time_zone = %s WHERE id = ANY(%s)", (zone, customers))
        told = waiting[: self.units]
        trial = Trial(
            item,
            [pid for pid, _, _ in told],
            [pid for pid, _, _ in waiting[self.units :]],
            [address for _, _, address in told],
        )
        self.line.trials.append(trial)
        return trial, Counter(address for _, _, address in told)


def _event(item: Wanted, quantity: int, event_id: str, now: datetime) -> bytes:
    return json.dumps(
        {
            "specversion": "1.0",
            "id": event_id,
            "source": "urn:bench:stock",
            "type": "heedful.stock.changed",
            "time": now.isoformat(),
            "datacontenttype": "application/json",
            "data": {
                "product": item.product,
                "variant": item.variant,
                "size": item.size,
                "location": item.location_id,
                "quantity": quantity,
            },
        }
    ).encode()


def _trials(
    client: httpx.Client, sink: ArrivalSink, trials: Trials, count: int, label: str
) -> tuple[Latencies, Latencies, Latencies]:
    """``count`` restocks one after another: POST to the last e-mail, to the first, to the 202."""
    to_inbox: list[float] = []
    to_first: list[float] = []
    to_answer: list[float] = []
    started = time.perf_counter()
    for n in range(count):
        trial, expected = trials.next_line()
        body = _event(trial.item, trials.units, f"{label}-{n}", SystemClock().now())
        since = sink.mark()
        before = time.perf_counter()
        answer = client.post(
            "/api/v1/events", content=body, headers={"Content-Type": "application/cloudevents+json"}
        )
        answered = time.perf_counter()
        if answer.status_code != 202 or answer.json()["accepted"] != 1:
            raise RuntimeError(f"{label}: {answer.status_code} {answer.text[:300]}")
        arrivals = sink.wait_for(since, expected, timeout=30)
        to_inbox.append((max(a.at for a in arrivals) - before) * 1000)
        to_first.append((min(a.at for a in arrivals) - before) * 1000)
        to_answer.append((answered - before) * 1000)
    elapsed = time.perf_counter() - started
    return (
        Latencies(to_inbox, elapsed),
        Latencies(to_first, elapsed),
        Latencies(to_answer, elapsed),
    )


def _check(
    db: psycopg.Connection[Any], sink: ArrivalSink, line: Line, since: int, *, only_told: bool
) -> int:
    """Each customer told got exactly one e-mail, under her message's id; nobody else got one.

    ``only_told``: other e-mail goes to the sink at the same time (``restock_under_load``'s
    background, to its own customers); only the e-mails to the trials' customers are counted.
    """
    told, passed_over = line.told(), line.passed_over()
    if not only_told:
        sink.more_than(since + len(told), timeout=1.0)  # a late repeat would show here
    # The sink hears of an e-mail before the worker commits it as sent: give the commit time.
    deadline = time.monotonic() + 10
    while True:
        rows = db.execute(
            "SELECT id, promise_id, status FROM messages WHERE promise_id = ANY(%s)",
            (sorted(told | passed_over),),
        ).fetchall()
        statuses = Counter(status for _, _, status in rows)
        if statuses["sent"] == len(rows) or time.monotonic() > deadline:
            break
        threading.Event().wait(0.1)
    per_promise = Counter(promise_id for _, promise_id, _ in rows)
    if set(per_promise) != told or any(n != 1 for n in per_promise.values()):
        raise RuntimeError(f"outbox: {len(per_promise)} promises have messages, {len(told)} told")
    if statuses["sent"] != len(rows):
        raise RuntimeError(f"not every message was sent: {statuses}")
    arrived = sink.since(since)
    if only_told:
        threading.Event().wait(1.0)  # a late repeat would show here
        addresses = line.addresses()
        arrived = [a for a in sink.since(since) if a.to in addresses]
    received = Counter(a.message_id for a in arrived)
    if received != Counter(message_id for message_id, _, _ in rows):
        raise RuntimeError(f"the sink got {sum(received.values())} e-mails for {len(told)} told")
    return len(told)


@dataclass(frozen=True)
class Restocks:
    """The timed restocks of a run, each from the POST: to the last waiting customer's e-mail,
    to the first, to the 202; and the trial e-mails checked to arrive exactly once."""

    to_inbox: Latencies
    to_first: Latencies
    to_answer: Latencies
    emails: int
    since: int  # the sink's mark before the timed trials

    def figures(self, prefix: str = "") -> dict[str, Any]:
        return {
            f"{prefix}p50_ms": round(self.to_inbox.percentile(50), 1),
            f"{prefix}p95_ms": round(self.to_inbox.percentile(95), 1),
            f"{prefix}p99_ms": round(self.to_inbox.percentile(99), 1),
            f"{prefix}max_ms": round(max(self.to_inbox.samples_ms), 1),
            f"{prefix}first_email_p50_ms": round(self.to_first.percentile(50), 1),
            f"{prefix}post_p50_ms": round(self.to_answer.percentile(50), 1),
            f"{prefix}post_p99_ms": round(self.to_answer.percentile(99), 1),
            f"{prefix}trials": len(self.to_inbox.samples_ms),
            f"{prefix}emails": self.emails,
        }

    def show(self, what: str) -> None:
        print(self.to_inbox.line(f"{what}: POST to last e-mail"))
        print(self.to_first.line(f"{what}: POST to first e-mail"))
        print(self.to_answer.line(f"{what}: POST to 202"))


def measure_restocks(
    client: httpx.Client,
    sink: ArrivalSink,
    trials: Trials,
    counts: tuple[int, int],
    label: str,
    *,
    only_told: bool,
    during: Callable[[str], AbstractContextManager[object]] = lambda _phase: nullcontext(),
) -> Restocks:
    """``counts`` (warm-up, timed) restocks one after another against a running server, the
    timed ones checked at the end (``_check``). ``during("warm-up")`` and ``during("timed")``
    wrap each phase: ``restock_under_load`` notes its background there, and says how far behind
    the worker is when a trial is not told in time."""
    warmup, timed = counts
    with during("warm-up"):
        _trials(client, sink, trials, warmup, f"warm-{label}")
    since = sink.mark()
    trials.line = Line()  # only the timed trials are checked
    with during("timed"):
        to_inbox, to_first, to_answer = _trials(client, sink, trials, timed, label)
    emails = _check(trials.db, sink, trials.line, since, only_told=only_told)
    return Restocks(to_inbox, to_first, to_answer, emails, since)


def _measure_shape(
    url: str, shape_name: str, trials: Trials, token: str, args: argparse.Namespace, work: Path
) -> dict[str, Any]:
    trials.line = Line()
    with (
        smtp_sink() as (smtp_port, sink),
        serving(url, smtp_port, shape_name, work / f"{shape_name}.log") as base_url,
        httpx.Client(
            base_url=base_url, headers={"Authorization": f"Bearer {token}"}, timeout=30
        ) as client,
        step(f"{shape_name}: {args.restock_warmup} + {args.restock_trials} restocks"),
    ):
        counts = (args.restock_warmup, args.restock_trials)
        restocks = measure_restocks(client, sink, trials, counts, shape_name, only_told=False)
    restocks.show(shape_name)
    return {**restocks.figures(), "shape": SHAPES[shape_name]}


def run(args: argparse.Namespace) -> dict[str, Any]:
    shapes = [name.strip() for name in args.restock_shapes.split(",") if name.strip()]
    if unknown := set(shapes) - set(SHAPES):
        raise SystemExit(f"no shape {', '.join(sorted(unknown))}; there are {', '.join(SHAPES)}")
    shape = Shape(
        customers=args.restock_customers,
        promises=args.restock_promises,
        waits=0.9,
        items=args.restock_items,
    )
    metrics: dict[str, Any] = {
        "open_promises": shape.promises,
        "customers": shape.customers,
        "items_waited_for": shape.items,
        "units_per_restock": args.restock_units,
        # The worker looks for new events this often when idle: the floor under the wait.
        "worker_poll_seconds": Settings().worker_poll_seconds,
        "load_average_1m_at_start": round(os.getloadavg()[0], 2),
    }
    with (
        tempfile.TemporaryDirectory(prefix="heedful-bench-") as tmp,
        fresh_database(args.postgres_url, keep=args.keep, label="restock_") as url,
    ):
        with step("migrate"):
            upgrade(url)
        with step("load") as timer:
            population = load(libpq_url(url), shape, args.seed, SystemClock().now())
        print("rows loaded: " + ", ".join(f"{t} {n:,}" for t, n in population.rows.items()))
        metrics["load_s"] = round(timer.seconds, 1)
        container = build(Settings(database_url=url))
        _, token = create_token(
            NewToken(name="bench", role=Role.ADMIN), container.uow(), container.clock, SYSTEM
        )
        container.close()
        with psycopg.connect(libpq_url(url), autocommit=True) as db:
            trials = Trials(db, shape, args.seed, args.restock_units)
            for name in shapes:
                figures = _measure_shape(url, name, trials, token, args, Path(tmp))
                prefix = "" if name == "worker" else f"{name}_"  # production's shape is the key
                metrics |= {f"{prefix}{key}": value for key, value in figures.items()}
                metrics[f"load_average_1m_after_{name}"] = round(os.getloadavg()[0], 2)
    metrics["measured_at"] = SystemClock().now().isoformat(timespec="seconds")
    for prefix in ("", "in_process_"):
        if f"{prefix}p99_ms" in metrics:
            p99 = metrics[f"{prefix}p99_ms"]
            verdict = "met" if p99 < TARGET_P99_MS else "MISSED"
            print(f"target {prefix}p99_ms < {TARGET_P99_MS} ms: {p99} ms, {verdict}")
    return metrics
