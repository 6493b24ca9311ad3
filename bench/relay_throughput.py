"""relay_throughput: e-mails a local SMTP server accepts per second from one worker's relay.

A line of customers waits for one bag (bench/crash.py's ``line_up``: e-mail and service consent
each); one stock event tells them all, and the engine queues their messages. Then the relay runs,
in this process, as the worker runs it (``Relay.run`` pass after pass until the outbox is empty),
against aiosmtpd's sink in its own process (``python -m aiosmtpd -c aiosmtpd.handlers.Sink``), so
the server's CPU is not the relay's. Every message is a back-in-stock one: the relay locks its
promise, checks she still wants it, sends, keeps the promise and cancels its timer.

``emails_per_s`` is the accepted e-mails over the relay's wall time (every send returns after the
server's "250"); ``relay_cpu_ms_per_email`` is this process's CPU per e-mail.

``notice_*``: the same relay for back-in-stock notices queued beside a standing population of
waits, preferences and customers (bench/relay_notices.py): e-mails/s, CPU ms and SQL statements
per e-mail.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bench import relay_notices
from bench.crash import line_up
from bench.support import free_port, fresh_database, step
from heedful.adapters.clock import SystemClock
from heedful.adapters.storage.migrate import upgrade
from heedful.bootstrap import Container, build
from heedful.config import Settings
from heedful.core.engine.reactions import process_events
from heedful.core.events.model import BusinessEvent
from heedful.core.shared.ids import new_id

NAME = "relay_throughput"
_SINK = ("-c", "aiosmtpd.handlers.Sink")
TARGET_EMAILS_PER_S = 1000.0


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group(NAME)
    group.add_argument("--relay-messages", type=int, default=5_000, help="e-mails queued")
    group.add_argument(
        "--relay-backends", default="sqlite,postgres", help="comma-separated: sqlite, postgres"
    )
    relay_notices.add_arguments(group)


@contextmanager
def sink_process(log: Path) -> Iterator[int]:
    """aiosmtpd's Sink handler (accepts and drops every e-mail) in its own process."""
    port = free_port()
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{port}", *_SINK],
            stdout=out,
            stderr=out,
        )
    try:
        _wait_for_port(port, process)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=10)


def _wait_for_port(port: int, process: subprocess.Popen[bytes]) -> None:
    import socket

    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("the SMTP sink exited")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=0.05)  # a pause that ends early if the sink died
    raise RuntimeError("the SMTP sink did not listen")


def queue_messages(container: Container, count: int) -> None:
    """``count`` customers waiting for the bag, and the stock event that queues all their news."""
    location, _ = line_up(container, "Relay boutique", count, ("uk", "ru", "en"))
    event = BusinessEvent(
        source="urn:bench:relay",
        id=new_id("evt_"),
        type="heedful.stock.changed",
        data={
            "product": "bag-noir",
            "variant": "black",
            "size": "M",
            "location": location.id,
            "quantity": count,
        },
    )
    with container.uow() as uow:
        uow.events.accept([event], received_at=container.clock.now())
        uow.commit()
    while process_events(container.uow, container.clock).events:
        pass


def time_relay(container: Container) -> tuple[int, float, float]:
    """(e-mails sent, wall seconds, CPU seconds) for the relay to empty the outbox."""
    sent = 0
    cpu, started = time.process_time(), time.perf_counter()
    while True:
        report = container.relay.run(container.uow, container.clock)
        sent += report.sent
        if report.failed:
            raise RuntimeError(f"the relay failed: {report.failed[0].error}")
        if report.total == 0:
            break
    return sent, time.perf_counter() - started, time.process_time() - cpu


def measure(database_url: str, smtp_port: int, count: int) -> dict[str, float]:
    upgrade(database_url)
    settings = Settings(
        database_url=database_url,
        smtp_host="127.0.0.1",
        smtp_port=smtp_port,
        log_format="console",
    )
    container = build(settings)
    try:
        with step(f"queue {count:,} back-in-stock e-mails"):
            queue_messages(container, count)
        with step("relay them"):
            sent, wall, cpu = time_relay(container)
    finally:
        container.close()
    if sent != count:
        raise RuntimeError(f"the relay sent {sent:,} of {count:,} e-mails")
    return {"emails_per_s": round(sent / wall, 1), "cpu_ms_per_email": round(cpu / sent * 1000, 3)}


def run(args: argparse.Namespace) -> dict[str, Any]:
    count = args.relay_messages
    backends = [b.strip() for b in args.relay_backends.split(",") if b.strip()]
    metrics: dict[str, Any] = {"messages": count}
    work = Path(tempfile.gettempdir())
    with sink_process(work / "relay-sink.log") as port:
        for backend in backends:
            suffix = "" if backend == backends[0] else f"_{backend}"
            if count > 0:
                found = _on(backend, args, lambda url: measure(url, port, count))
                metrics[f"emails_per_s{suffix}"] = found["emails_per_s"]
                metrics[f"relay_cpu_ms_per_email{suffix}"] = found["cpu_ms_per_email"]
                print(f"{backend}: {found['emails_per_s']:,.0f} e-mails/s accepted")
            if args.relay_notices > 0:
                notices = _notices(args, backend, port)
                for key, value in notices.items():
                    metrics[f"notice_{key}{suffix}"] = value
                print(
                    f"{backend}: {notices['emails_per_s']:,.0f} notices/s accepted,"
                    f" {notices['relay_cpu_ms_per_email']} CPU ms and"
                    f" {notices['statements_per_email']} statements per e-mail"
                )
    if args.relay_notices > 0:
        shape = relay_notices.FULL if args.relay_notice_full else relay_notices.TENTH
        metrics["notices"] = args.relay_notices
        metrics["notice_standing_promises"] = shape.promises
        metrics["notice_standing_preferences"] = shape.preferences
        metrics["notice_standing_customers"] = shape.customers
    metrics["backends"] = ",".join(backends)
    metrics["target_emails_per_s"] = TARGET_EMAILS_PER_S
    metrics["load_average_1m_at_end"] = round(os.getloadavg()[0], 2)
    metrics["measured_at"] = SystemClock().now().isoformat(timespec="seconds")
    return metrics


def _notices(args: argparse.Namespace, backend: str, port: int) -> dict[str, float]:
    shape = relay_notices.FULL if args.relay_notice_full else relay_notices.TENTH

    def one(url: str) -> dict[str, float]:
        return relay_notices.measure_notices(url, port, args.relay_notices, shape, args.seed)

    found = _on(backend, args, one)
    named = {"cpu_ms_per_email": "relay_cpu_ms_per_email"}
    return {named.get(key, key): value for key, value in found.items()}


def _on(
    backend: str, args: argparse.Namespace, measure_on: Callable[[str], dict[str, float]]
) -> dict[str, float]:
    """``measure_on`` a new database of ``backend``, removed afterwards."""
    if backend == "sqlite":
        path = Path(tempfile.gettempdir()) / f"relay-{new_id()}.db"
        try:
            return measure_on(f"sqlite:///{path}")
        finally:
            path.unlink(missing_ok=True)
    with fresh_database(args.postgres_url, keep=args.keep, label="relay_") as url:
        return measure_on(url)
