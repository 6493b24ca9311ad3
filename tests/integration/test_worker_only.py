"""A busy shop splits its worker: `heedful worker --only events` and `--only messages`.

The handbag story, through two real `heedful worker` processes and a real SMTP server: the
events worker tells the waiting customer's promise and queues her e-mail, and sends nothing;
the messages worker sends it, and leaves the next stock report to the events worker.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from builders import a_stock_report
from promise_world import build_world

from bench.crash import CountingSink, daytime_zone, smtp_sink
from bench.support import HEEDFUL
from heedful.adapters.clock import SystemClock
from heedful.adapters.storage.promise_tables import messages
from heedful.adapters.storage.tables import events
from heedful.bootstrap import Container
from heedful.core.events.handlers import accept_events
from heedful.core.promises.handlers import MakePromise, make_promise
from heedful.core.promises.model import PromiseKind, WantedItem
from heedful.core.shared.clock import FrozenClock
from heedful.entrypoints.worker.jobs import PROMPT_JOBS, prompt_jobs_for


def test_only_names_the_work_in_the_engines_order_and_none_means_all() -> None:
    assert list(prompt_jobs_for(["messages", "events"])) == ["react_to_events", "relay_messages"]
    assert list(prompt_jobs_for(["timers"])) == ["fire_timers"]
    assert prompt_jobs_for([]) == PROMPT_JOBS


@contextlib.contextmanager
def _worker(database_url: str, smtp_port: int, log: Path, *only: str) -> Iterator[None]:
    env = {
        **os.environ,
        "HEEDFUL_DATABASE_URL": database_url,
        "HEEDFUL_SMTP_HOST": "127.0.0.1",
        "HEEDFUL_SMTP_PORT": str(smtp_port),
        "HEEDFUL_WORKER_POLL_SECONDS": "0.05",
    }
    arguments = [str(HEEDFUL), "worker"] + [f"--only={kind}" for kind in only]
    with log.open("ab") as out:
        process = subprocess.Popen(arguments, env=env, stdout=out, stderr=out)
    try:
        yield
    finally:
        # SIGTERM stops the loop between passes: the pass running now is finished first.
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0, log.read_text()[-2000:]


def _until(condition: Callable[[], bool], what: str, log: Path) -> None:
    deadline = time.monotonic() + 60
    while not condition():
        assert time.monotonic() < deadline, f"{what}:\n{log.read_text()[-2000:]}"
        threading.Event().wait(0.05)  # the pause between looks at the database


@pytest.mark.slow
def test_an_events_worker_queues_her_email_and_a_messages_worker_sends_it(
    database_url: str, container: Container, clock: FrozenClock, tmp_path: Path
) -> None:
    world = build_world(container, clock)
    zone = daytime_zone(SystemClock().now())  # the workers run on the wall clock
    for name, product in (("Olena", "bag-noir"), ("Iryna", "scarf-noir")):
        customer = world.customer(name, email=f"{name.lower()}@example.com", time_zone=zone)
        item = WantedItem(product, world.kyiv.id, "noir", "")
        promise = MakePromise(
            customer.id, PromiseKind.TELL_WHEN_AVAILABLE, world.kyiv.id, item=item
        )
        make_promise(promise, world.uow, clock, world.admin)

    def unprocessed() -> list[str]:
        with container.engine.connect() as conn:
            query = sa.select(events.c.event_id).where(events.c.processed_at.is_(None))
            return sorted(conn.scalars(query))

    def statuses() -> list[str]:
        with container.engine.connect() as conn:
            return sorted(conn.scalars(sa.select(messages.c.status)))

    accept_events(
        container.uow(),
        SystemClock(),
        [a_stock_report("bag-1", "bag-noir", world.kyiv.id, variant="noir")],
    )
    log = tmp_path / "workers.log"
    sink: CountingSink
    with smtp_sink() as (port, sink):
        with _worker(database_url, port, log, "events"):
            _until(lambda: unprocessed() == [], "the events worker did not handle the report", log)
        assert statuses() == ["queued"]  # her e-mail waits for the relay
        assert sink.count() == 0

        accept_events(
            container.uow(),
            SystemClock(),
            [a_stock_report("scarf-1", "scarf-noir", world.kyiv.id, variant="noir")],
        )
        with _worker(database_url, port, log, "messages", "timers"):
            _until(lambda: sink.count() == 1, "the messages worker did not send her e-mail", log)
        assert statuses() == ["sent"]
        assert unprocessed() == ["scarf-1"]  # the next report waits for an events worker
