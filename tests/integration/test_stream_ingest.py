"""Events from JetStream are read as HTTP and files read them: what is not JSON is refused alone.

A message with NaN (Python reads it, JSON has none) or nested past the decoder is an unreadable
event, counted as refused and acknowledged; the consumer goes on to the next message.
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Sequence

import nats
import sqlalchemy as sa

from heedful.adapters.storage.tables import events
from heedful.adapters.stream.jetstream import StreamSettings, ensure_stream, start_consumer
from heedful.bootstrap import Container
from heedful.core.shared.ids import new_id
from heedful.entrypoints.worker.jobs import store_streamed_events

GOOD = {
    "specversion": "1.0",
    "id": "stock-1",
    "source": "urn:shop:kyiv-stock",
    "type": "heedful.stock.changed",
    "data": {"product": "bag-noir", "size": "M", "location": "loc_kyiv", "quantity": 2},
}


async def _publish_raw(settings: StreamSettings, subject: str, messages: list[bytes]) -> None:
    connection = await nats.connect(settings.url)
    try:
        js = connection.jetstream()
        await ensure_stream(js, settings)
        for message in messages:
            await js.publish(subject, message)
    finally:
        await connection.drain()


def test_unreadable_messages_are_refused_and_the_consumer_goes_on(
    container: Container, nats_url: str
) -> None:
    tag = new_id()[:12]
    settings = StreamSettings(
        nats_url, stream=f"HEEDFUL_TEST_{tag}", subject=f"heedful.test{tag}.events.in.>", batch=1
    )
    deep = b"[" * 100_000 + b"]" * 100_000
    messages = [b'{"specversion": NaN}', deep, json.dumps(GOOD).encode()]
    asyncio.run(_publish_raw(settings, f"heedful.test{tag}.events.in.stock", messages))

    intake = store_streamed_events(container, settings.stream)
    refused: list[int] = []
    stored = threading.Event()

    class Noting:
        def position(self, start_after: int) -> int:
            return intake.position(start_after)

        def store(self, messages: Sequence[tuple[int, object]], read_from: int) -> int:
            with container.engine.connect() as conn:
                before = len(conn.execute(sa.select(events.c.event_id)).all())
            position = intake.store(messages, read_from)
            with container.engine.connect() as conn:
                after = len(conn.execute(sa.select(events.c.event_id)).all())
            refused.append(1 - (after - before))
            if after > before:
                stored.set()
            return position

    stop = threading.Event()
    consumer = start_consumer(settings, Noting(), stop)
    try:
        assert stored.wait(30), "the good event behind the unreadable ones was never stored"
        assert consumer.is_alive()
    finally:
        stop.set()
        consumer.join(10)
    assert refused == [1, 1, 0]  # one message per batch: each refused alone, in order
    with container.engine.connect() as conn:
        assert conn.execute(sa.select(events.c.event_id)).scalars().all() == ["stock-1"]
