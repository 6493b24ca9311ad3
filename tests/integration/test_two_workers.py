"""Scale out: two `heedful worker` processes on PostgreSQL, fed by NATS JetStream.

Forty stock events are published to JetStream as a shop's stock system would. Two workers share
the stream's one durable consumer and the database's rows (FOR UPDATE SKIP LOCKED); every
waiting customer must hear exactly once, no message lost and none doubled.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import subprocess
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from promise_world import build_world

from bench.crash import CountingSink, daytime_zone, smtp_sink
from bench.support import HEEDFUL
from heedful.adapters.clock import SystemClock
from heedful.adapters.storage.promise_tables import messages
from heedful.adapters.stream.jetstream import StreamSettings, publish
from heedful.bootstrap import Container
from heedful.core.promises.handlers import MakePromise, make_promise
from heedful.core.promises.model import PromiseKind, WantedItem
from heedful.core.shared.clock import FrozenClock
from heedful.core.shared.ids import new_id

CUSTOMERS = 40


def _worker(
    database_url: str, nats: StreamSettings, port: int, log: Path
) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "HEEDFUL_DATABASE_URL": database_url,
        "HEEDFUL_NATS_URL": nats.url,
        "HEEDFUL_NATS_STREAM": nats.stream,
        "HEEDFUL_NATS_SUBJECT": nats.subject,
        "HEEDFUL_SMTP_HOST": "127.0.0.1",
        "HEEDFUL_SMTP_PORT": str(port),
        "HEEDFUL_WORKER_POLL_SECONDS": "0.05",
    }
    with log.open("ab") as out:
        return subprocess.Popen([str(HEEDFUL), "worker"], env=env, stdout=out, stderr=out)


def _sent(container: Container) -> list[str]:
    with container.engine.connect() as conn:
        query = sa.select(messages.c.id).where(messages.c.status == "sent")
        return list(conn.scalars(query))


@pytest.mark.slow
def test_two_workers_fed_by_jetstream_tell_every_customer_exactly_once(
    database_url: str, container: Container, clock: FrozenClock, nats_url: str, tmp_path: Path
) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("several workers share the work on PostgreSQL; SQLite has one writer")
    world = build_world(container, clock)
    events = []
    # The workers run on the wall clock: customers live where it is daytime now.
    zone = daytime_zone(SystemClock().now())
    for n in range(CUSTOMERS):
        customer = world.customer(f"Klient {n}", email=f"k{n}@example.com", time_zone=zone)
        item = WantedItem(f"scarf-{n}", world.kyiv.id, "red", "")
        make_promise(
            MakePromise(customer.id, PromiseKind.TELL_WHEN_AVAILABLE, world.kyiv.id, item=item),
            world.uow,
            clock,
            world.admin,
        )
        events.append(
            {
                "specversion": "1.0",
                "id": f"restock-{n}",
                "source": "urn:shop:stock",
                "type": "heedful.stock.changed",
                "data": {
                    "product": f"scarf-{n}",
                    "variant": "red",
                    "location": world.kyiv.id,
                    "quantity": 1,
                },
            }
        )
    tag = new_id()[:12]
    nats = StreamSettings(
        nats_url, stream=f"HEEDFUL_TEST_{tag}", subject=f"heedful.test{tag}.events.in.>"
    )
    asyncio.run(publish(nats, events, f"heedful.test{tag}.events.in.stock"))
    # Published twice, as a nervous source retries: the inbox keeps each event once.
    asyncio.run(publish(nats, events[:10], f"heedful.test{tag}.events.in.stock"))

    sink: CountingSink
    with smtp_sink() as (port, sink):
        workers = [_worker(database_url, nats, port, tmp_path / f"w{n}.log") for n in range(2)]
        try:
            deadline = time.monotonic() + 120
            while len(_sent(container)) < CUSTOMERS:
                assert time.monotonic() < deadline, "the workers did not finish"
                assert all(w.poll() is None for w in workers), "a worker died"
                with contextlib.suppress(subprocess.TimeoutExpired):
                    workers[0].wait(timeout=0.05)  # the pause between looks at the outbox
        finally:
            for worker in workers:
                worker.terminate()
                worker.wait(timeout=10)
        received = sink.taken()
    sent = _sent(container)
    assert len(sent) == CUSTOMERS
    assert sorted(received) == sorted(sent)  # each message once, none lost, none doubled
