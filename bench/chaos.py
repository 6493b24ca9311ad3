"""kill -9 of the API and of either of two workers at random points, then counting what went wrong.

The production commands run as production runs them, on PostgreSQL: one ``heedful serve
--no-worker`` and two ``heedful worker`` processes sharing the database's rows (FOR UPDATE SKIP
LOCKED), sending to a real SMTP server in this process. Each trial makes a few lines of customers
waiting for one bag at new locations, and a stock system (a thread here) sends the stock events
that tell them, one request each among events nobody waits for, retrying until it gets a 202 as
a real integration would. At a random moment one of the three processes gets SIGKILL and is
started again. When everything has settled (or a deadline passed) the trial counts:

- ``lost``: an event answered 202 that is not stored, or a waiting customer never e-mailed;
- ``doubled``: a customer told twice under different ids (two outbox messages for one promise,
  or an e-mail whose id is no outbox message's);
- ``stuck``: an accepted event never processed, or an outbox message never ended (sent,
  suppressed, capped or dead), by the deadline;
- ``resent_same_id``: as in ``crash.py``, a resend under the same Message-ID that SMTP cannot rule
  out when the kill falls between the server's "250 OK" and the worker's commit.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import sqlalchemy as sa

from bench.crash import CountingSink, line_up
from bench.support import HEEDFUL, free_port, stop_all, wait_until_healthy
from heedful.adapters.storage.promise_tables import messages
from heedful.adapters.storage.tables import events
from heedful.bootstrap import Container
from heedful.core.access.model import SYSTEM, Role
from heedful.core.shared.ids import new_id
from heedful.core.staff.handlers import NewToken, create_token

VICTIMS = ("api", "worker-1", "worker-2")
_ENDED = ("sent", "suppressed", "capped", "dead")
_SOURCE = "urn:reliability:stock"


@dataclass
class KillTrial:
    victim: str
    killed_at_s: float
    events: int
    accepted_before_kill: int  # where the kill landed: events answered 202 by then
    mailed_before_kill: int  # and e-mails the server had received
    lost: int
    doubled: int
    stuck: int
    resent_same_id: int


@dataclass
class Cluster:
    """The API and two workers, each restartable by name."""

    database_url: str
    smtp_port: int
    log_dir: Path
    port: int = field(default_factory=free_port)
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, name: str) -> None:
        env = {
            **os.environ,
            "HEEDFUL_DATABASE_URL": self.database_url,
            "HEEDFUL_SMTP_HOST": "127.0.0.1",
            "HEEDFUL_SMTP_PORT": str(self.smtp_port),
            "HEEDFUL_WORKER_POLL_SECONDS": "0.05",
            "HEEDFUL_HOST": "127.0.0.1",
            "HEEDFUL_PORT": str(self.port),
            "HEEDFUL_LOG_LEVEL": "WARNING",
        }
        command = ["serve", "--no-worker"] if name == "api" else ["worker"]
        with (self.log_dir / f"{name}.log").open("ab") as log:
            self.processes[name] = subprocess.Popen(
                [str(HEEDFUL), *command], env=env, stdout=log, stderr=log
            )
        if name == "api":
            wait_until_healthy(self.base_url, self.processes["api"], self.log_dir / "api.log", 60.0)

    def kill(self, name: str) -> None:
        process = self.processes[name]
        process.send_signal(signal.SIGKILL)
        process.wait()

    def stop(self) -> None:
        stop_all(self.processes.values())


@contextmanager
def running_cluster(database_url: str, smtp_port: int, log_dir: Path) -> Iterator[Cluster]:
    cluster = Cluster(database_url, smtp_port, log_dir)
    try:
        for name in VICTIMS:
            cluster.start(name)
        yield cluster
    finally:
        cluster.stop()


def admin_secret(container: Container) -> str:
    _, secret = create_token(
        NewToken(name=f"reliability {new_id('')}", role=Role.ADMIN),
        container.uow(),
        container.clock,
        SYSTEM,
    )
    return secret


def wait_in_line(container: Container, customers: int) -> tuple[str, set[str]]:
    """A new location and ``customers`` waiting for the bag there, each with e-mail consent."""
    location, promise_ids = line_up(container, "Kill-test boutique", customers, ("uk",))
    return location.id, promise_ids


def _stock(location_id: str, product: str, quantity: int) -> dict[str, object]:
    return {
        "specversion": "1.0",
        "id": new_id("evt_"),
        "source": _SOURCE,
        "type": "heedful.stock.changed",
        "data": {
            "product": product,
            "variant": "black",
            "size": "M",
            "location": location_id,
            "quantity": quantity,
        },
    }


class StockSystem(threading.Thread):
    """Sends each event until it gets its 202, through API restarts, as an integration would."""

    def __init__(self, base_url: str, secret: str, to_send: list[dict[str, object]]) -> None:
        super().__init__(daemon=True)
        self.base_url, self.to_send = base_url, to_send
        self.headers = {
            "Authorization": f"Bearer {secret}",
            "Content-Type": "application/cloudevents+json",
        }
        self.accepted: list[str] = []
        self.pause = threading.Event()  # never set: its wait is the pause between retries

    def run(self) -> None:
        with httpx.Client(base_url=self.base_url, timeout=10.0) as client:
            for event in self.to_send:
                while True:
                    try:
                        answer = client.post("/api/v1/events", json=event, headers=self.headers)
                    except httpx.TransportError:
                        answer = None  # the API is down or was killed mid-request: try again
                    if answer is not None and answer.status_code == 202:
                        self.accepted.append(str(event["id"]))
                        break
                    if answer is not None and answer.status_code < 500:
                        raise RuntimeError(f"event refused: {answer.status_code} {answer.text}")
                    self.pause.wait(0.05)


def run_kill_trial(
    cluster: Cluster,
    container: Container,
    sink: CountingSink,
    secret: str,
    rng: random.Random,
    *,
    lines: int = 3,
    customers: int = 8,
    others: int = 20,
    deadline_s: float = 60.0,
) -> KillTrial:
    """One kill of a random process at a random moment while events arrive and are acted on."""
    waiting: set[str] = set()
    to_send = []
    for _ in range(lines):
        location_id, promise_ids = wait_in_line(container, customers)
        waiting |= promise_ids
        to_send.append(_stock(location_id, "bag-noir", customers))
        to_send += [_stock(location_id, f"scarf-{n}", 1) for n in range(others // lines)]
    rng.shuffle(to_send)
    before = sink.count()
    victim = rng.choice(VICTIMS)
    # A random point in the work rather than in time: on a quiet machine a trial's work is done
    # in under a second, and kills timed blindly landed mostly after it. Half the kills wait for
    # a number of events to be in, half for a number of e-mails to be out, then a moment more.
    events_in = rng.randint(0, len(to_send) - 1) if rng.random() < 0.5 else None
    mails_out = rng.randint(0, len(waiting) - 1)
    jitter_s = rng.uniform(0.0, 0.05)
    sender = StockSystem(cluster.base_url, secret, to_send)
    started = time.monotonic()
    sender.start()
    while time.monotonic() - started < deadline_s:
        if events_in is not None and len(sender.accepted) >= events_in:
            break
        if events_in is None and sink.count() - before >= mails_out:
            break
        sender.pause.wait(0.002)
    sender.pause.wait(jitter_s)
    killed_at_s = time.monotonic() - started
    cluster.kill(victim)
    accepted_before_kill, mailed_before_kill = len(sender.accepted), sink.count() - before
    cluster.start(victim)
    sender.join(timeout=deadline_s)
    until = time.monotonic() + deadline_s
    while True:
        stored, outbox = _state(container, sender.accepted, waiting)
        settled = all(processed for processed in stored.values()) and len(stored) == len(
            sender.accepted
        )
        told = {promise_id for _, promise_id, _ in outbox}
        ended = all(status in _ENDED for _, _, status in outbox)
        if (settled and told == waiting and ended) or time.monotonic() > until:
            break
        sender.pause.wait(0.1)
    received = Counter(sink.taken()[before:])
    ours = {message_id for message_id, _, _ in outbox}
    per_promise = Counter(promise_id for _, promise_id, _ in outbox)
    # Ended without reaching the server (sent, or dead or suppressed though all may be told).
    never_received = [m for m, _, status in outbox if status in _ENDED and not received[m]]
    return KillTrial(
        victim=victim,
        killed_at_s=round(killed_at_s, 3),
        events=len(to_send),
        accepted_before_kill=accepted_before_kill,
        mailed_before_kill=mailed_before_kill,
        lost=sum(1 for event_id in sender.accepted if event_id not in stored)
        + len(waiting - told)
        + len(never_received),
        doubled=sum(n - 1 for n in per_promise.values() if n > 1)
        + sum(1 for message_id in received if message_id not in ours),
        stuck=sum(1 for processed in stored.values() if not processed)
        + sum(1 for _, _, status in outbox if status not in _ENDED),
        resent_same_id=sum(n - 1 for n in received.values() if n > 1),
    )


def _state(
    container: Container, accepted: list[str], waiting: set[str]
) -> tuple[dict[str, bool], list[tuple[str, str, str]]]:
    """Which accepted events are stored (and whether processed), and the trial's outbox."""
    with container.engine.connect() as conn:
        stored = {
            row.event_id: row.processed_at is not None
            for row in conn.execute(
                sa.select(events.c.event_id, events.c.processed_at).where(
                    events.c.source == _SOURCE, events.c.event_id.in_(sorted(accepted))
                )
            )
        }
        outbox = [
            (row.id, row.promise_id, row.status)
            for row in conn.execute(
                sa.select(messages.c.id, messages.c.promise_id, messages.c.status).where(
                    messages.c.promise_id.in_(sorted(waiting))
                )
            )
        ]
    return stored, outbox
