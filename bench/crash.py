"""crash: SIGKILL the worker in the middle of sending, restart it, count what the SMTP server got.

Each trial makes a fresh line of customers waiting for one bag at a new location, stores the
stock event that tells them all, starts `heedful worker` (the production command) against a real
SMTP server in this process, kills the worker with SIGKILL once some e-mails have arrived,
starts it again and waits until the outbox has ended every message. Then it counts, per outbox
message, the e-mails received under its Message-ID:

- ``lost``: messages the server never received;
- ``doubled``: customers who got the news twice under different ids (two outbox messages for one
  promise, or an e-mail whose id is no outbox message's), which a mail client cannot hide;
- ``resent_same_id``: e-mails the server received again under the same Message-ID. SMTP cannot be
  exactly-once: in the instant between the server's "250 OK" and the worker's commit a kill
  leaves the message unsent on our side. The resend carries the same Message-ID, by which
  receiving systems recognise a repeat; the figure says how often a trial hit that instant.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import subprocess
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from email import message_from_bytes
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from aiosmtpd.controller import Controller

from bench.support import HEEDFUL, free_port, fresh_database
from heedful.adapters.clock import SystemClock
from heedful.adapters.storage.migrate import upgrade
from heedful.adapters.storage.promise_tables import messages
from heedful.bootstrap import Container, build
from heedful.config import Settings
from heedful.core.access.model import SYSTEM
from heedful.core.customers.channels import Channel
from heedful.core.customers.commands import CreateCustomer, NewIdentity, RecordConsent
from heedful.core.customers.consent import Purpose
from heedful.core.customers.handlers import create_customer, record_consent
from heedful.core.customers.identities import IdentityKind
from heedful.core.events.model import BusinessEvent
from heedful.core.promises.handlers import MakePromise, make_promise
from heedful.core.promises.model import PromiseKind, WantedItem
from heedful.core.shared.ids import new_id
from heedful.core.staff.model import Location, LocationKind

NAME = "crash"


class CountingSink:
    """An SMTP server's DATA handler that keeps the Message-ID of every e-mail accepted."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.ids: list[str] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        del server, session
        message_id = str(message_from_bytes(envelope.content)["Message-ID"] or "")
        with self._lock:
            self.ids.append(message_id.strip("<>").split("@")[0])
        return "250 OK"

    def count(self) -> int:
        with self._lock:
            return len(self.ids)

    def taken(self) -> list[str]:
        with self._lock:
            return list(self.ids)


@contextmanager
def smtp_sink() -> Iterator[tuple[int, CountingSink]]:
    sink = CountingSink()
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port, ready_timeout=10)
    controller.start()
    try:
        yield port, sink
    finally:
        controller.stop()


_ZONES = (
    "Pacific/Honolulu",
    "America/Los_Angeles",
    "America/New_York",
    "UTC",
    "Europe/Kyiv",
    "Asia/Dubai",
    "Asia/Kolkata",
    "Asia/Tokyo",
    "Australia/Sydney",
    "Pacific/Auckland",
)


def daytime_zone(now: datetime) -> str:
    """A time zone where it is working hours now, so quiet hours hold nothing back."""
    for name in _ZONES:
        if 10 <= now.astimezone(ZoneInfo(name)).hour < 19:
            return name
    return "UTC"


@dataclass
class Trial:
    messages: int
    killed_after: int
    lost: int
    doubled: int
    resent_same_id: int


def line_up(
    container: Container, name: str, customers: int, languages: Sequence[str]
) -> tuple[Location, set[str]]:
    """A new location and ``customers`` waiting for the bag there, each with e-mail consent."""
    now = container.clock.now()
    location = Location(
        new_id("loc_"), name, LocationKind.BOUTIQUE, "Kyiv", "UA", "Europe/Kyiv", now
    )
    with container.uow() as uow:
        uow.locations.add(location)
        uow.commit()
    zone = daytime_zone(now)  # quiet hours never hold a trial back, whatever the hour
    promise_ids = set()
    for n in range(customers):
        customer = create_customer(
            CreateCustomer(
                full_name=f"Klientka {n}",
                language=random.choice(languages),
                time_zone=zone,
                home_location_id=location.id,
                identities=(NewIdentity(IdentityKind.EMAIL, f"k{n}.{location.id}@example.com"),),
            ),
            container.uow(),
            container.clock,
            SYSTEM,
        )
        record_consent(
            RecordConsent(customer.id, Channel.EMAIL, Purpose.SERVICE, True, "in person"),
            container.uow(),
            container.clock,
            SYSTEM,
        )
        item = WantedItem("bag-noir", location.id, "black", "M")
        promise = make_promise(
            MakePromise(customer.id, PromiseKind.TELL_WHEN_AVAILABLE, location.id, item=item),
            container.uow(),
            container.clock,
            SYSTEM,
        )
        promise_ids.add(promise.id)
    return location, promise_ids


def prepare_line(database_url: str, customers: int) -> set[str]:
    """A location, ``customers`` waiting for the bag, and the stored event that tells them all."""
    container = build(Settings(database_url=database_url, log_format="console"))
    try:
        location, promise_ids = line_up(
            container, "Crash-test boutique", customers, ("uk", "ru", "en")
        )
        event = BusinessEvent(
            source="urn:bench:stock",
            id=new_id("evt_"),
            type="heedful.stock.changed",
            data={
                "product": "bag-noir",
                "variant": "black",
                "size": "M",
                "location": location.id,
                "quantity": customers,
            },
        )
        with container.uow() as uow:
            uow.events.accept([event], received_at=location.created_at)
            uow.commit()
        return promise_ids
    finally:
        container.close()


def _start_worker(database_url: str, smtp_port: int, log: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "HEEDFUL_DATABASE_URL": database_url,
        "HEEDFUL_SMTP_HOST": "127.0.0.1",
        "HEEDFUL_SMTP_PORT": str(smtp_port),
        "HEEDFUL_WORKER_POLL_SECONDS": "0.05",
        "HEEDFUL_LOG_FORMAT": "json",
    }
    with log.open("ab") as out:
        return subprocess.Popen([str(HEEDFUL), "worker"], env=env, stdout=out, stderr=out)


def _outbox(database_url: str, promise_ids: set[str]) -> list[tuple[str, str, str]]:
    engine = sa.create_engine(database_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                sa.select(messages.c.id, messages.c.promise_id, messages.c.status).where(
                    messages.c.promise_id.in_(sorted(promise_ids))
                )
            )
            return [(r.id, r.promise_id, r.status) for r in rows]
    finally:
        engine.dispose()


def exited(worker: subprocess.Popen[bytes], pause: float) -> bool:
    """Waits on the worker for ``pause`` seconds: the poll's pause is the process's own wait."""
    try:
        worker.wait(timeout=pause)
    except subprocess.TimeoutExpired:
        return False
    return True


def run_trial(
    database_url: str,
    port: int,
    sink: CountingSink,
    *,
    customers: int,
    kill_after: int,
    log: Path,
    timeout_s: float = 120.0,
    jitter_s: float = 0.0,
) -> Trial:
    promise_ids = prepare_line(database_url, customers)
    before = sink.count()
    worker = _start_worker(database_url, port, log)
    deadline = time.monotonic() + timeout_s
    while sink.count() - before < kill_after:
        if time.monotonic() > deadline or exited(worker, 0.002):
            raise RuntimeError(f"the worker stopped or stalled before the kill; see {log}")
    # Killing the moment an e-mail lands would aim at the one instant SMTP cannot cover (the
    # server has it, the worker has not yet recorded it); a random pause lands anywhere in the
    # cycle, as a real crash would.
    if exited(worker, jitter_s):
        raise RuntimeError(f"the worker stopped before the kill; see {log}")
    worker.send_signal(signal.SIGKILL)
    worker.wait()
    killed_after = sink.count() - before
    worker = _start_worker(database_url, port, log)
    try:
        while True:
            rows = _outbox(database_url, promise_ids)
            if len(rows) == customers and all(status == "sent" for _, _, status in rows):
                break
            if time.monotonic() > deadline or exited(worker, 0.05):
                raise RuntimeError(f"the worker did not finish after the restart; see {log}")
    finally:
        worker.terminate()
        worker.wait(timeout=10)
    received = Counter(sink.taken()[before:])
    ours = {message_id for message_id, _, _ in rows}
    per_promise = Counter(promise_id for _, promise_id, _ in rows)
    return Trial(
        messages=customers,
        killed_after=killed_after,
        lost=sum(1 for message_id in ours if received[message_id] == 0),
        doubled=sum(n - 1 for n in per_promise.values() if n > 1)
        + sum(1 for message_id in received if message_id not in ours),
        resent_same_id=sum(n - 1 for n in received.values() if n > 1),
    )


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group(NAME)
    group.add_argument("--crash-trials", type=int, default=20)
    group.add_argument("--crash-messages", type=int, default=120, help="e-mails per trial")


def run(args: argparse.Namespace) -> dict[str, float | str]:
    rng = random.Random(args.seed)
    trials: list[Trial] = []
    log = Path(tempfile.gettempdir()) / "heedful-bench-crash-worker.log"
    log.unlink(missing_ok=True)
    with (
        fresh_database(args.postgres_url, keep=args.keep, label="crash_") as url,
        smtp_sink() as (
            port,
            sink,
        ),
    ):
        upgrade(url)
        for number in range(args.crash_trials):
            kill_after = rng.randint(5, args.crash_messages - 20)
            trial = run_trial(
                url,
                port,
                sink,
                customers=args.crash_messages,
                kill_after=kill_after,
                log=log,
                jitter_s=rng.uniform(0.0, 0.1),
            )
            trials.append(trial)
            print(
                f"trial {number + 1}: killed after {trial.killed_after} e-mails; "
                f"lost {trial.lost}, doubled {trial.doubled}, resent {trial.resent_same_id}",
                flush=True,
            )
    return {
        "trials": len(trials),
        "messages_per_trial": args.crash_messages,
        "lost": sum(t.lost for t in trials),
        "doubled": sum(t.doubled for t in trials),
        "resent_same_id": sum(t.resent_same_id for t in trials),
        "measured_at": SystemClock().now().replace(microsecond=0).isoformat(),
    }
