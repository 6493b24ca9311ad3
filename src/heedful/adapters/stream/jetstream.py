"""Business events from a NATS JetStream subject, stored single-file in the stream's order.

Business systems publish CloudEvents (JSON) to ``heedful.events.in.<anything>``. The stream keeps
them on disk. Every ``heedful worker`` reads the stream in order through its own ephemeral
consumer, from the position the database says the stream is stored through, and stores what it
read in a transaction that takes the stream's turn and moves that position with the events
(ADR 68). So the inbox holds the stream's messages in the stream's order, each once, whichever
worker stored it; a worker that dies mid-batch rolls back, and the next one stores the same
messages from the same position. Earlier versions shared one durable consumer, whose batches
reached the inbox in the order their workers committed, not the stream's.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import nats
import structlog
from nats.errors import TimeoutError as NoMessages
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy, StorageType, StreamConfig
from nats.js.errors import NotFoundError

from heedful.core.events.intake import UnreadableJson, decode_json

log = structlog.get_logger("heedful.stream")

STREAM = "HEEDFUL_EVENTS"
SUBJECT = "heedful.events.in.>"
# The durable consumer earlier versions shared: an upgrade starts where it had acknowledged.
CONSUMER = "heedful-workers"


class StreamIntake(Protocol):
    """Where the worker stores what it reads (entrypoints/worker/jobs.py: the inbox)."""

    def position(self, start_after: int) -> int:
        """How far the stream is stored; a stream not seen before starts after ``start_after``."""
        ...

    def store(self, messages: Sequence[tuple[int, object]], read_from: int) -> int:
        """Store what lies beyond the stream's position of ``messages`` (stream sequence, raw
        event), every message read from ``read_from`` on; return the position afterwards."""
        ...


@dataclass(frozen=True)
class StreamSettings:
    url: str
    stream: str = STREAM
    subject: str = SUBJECT  # sources publish to any subject under it
    consumer: str = CONSUMER
    batch: int = 200  # messages stored per transaction at most


async def ensure_stream(js: Any, settings: StreamSettings) -> None:
    """Create the stream (file storage: it survives a NATS restart) unless it exists."""
    try:
        await js.stream_info(settings.stream)
    except NotFoundError:
        await js.add_stream(
            StreamConfig(
                name=settings.stream, subjects=[settings.subject], storage=StorageType.FILE
            )
        )


async def publish(settings: StreamSettings, events: Sequence[dict[str, Any]], subject: str) -> None:
    """Publish events and wait for JetStream's acknowledgement of each (what a source does)."""
    connection = await nats.connect(settings.url)
    try:
        js = connection.jetstream()
        await ensure_stream(js, settings)
        for event in events:
            await js.publish(subject, json.dumps(event).encode())
    finally:
        await connection.drain()


def _decode(data: bytes) -> object:
    # The same reading as HTTP and files (core/events/intake.py): NaN and nesting past any bound
    # are refused too, rather than stored or crashing this thread.
    try:
        return decode_json(data)
    except UnreadableJson:
        return data.decode("utf-8", "replace")  # refused by the parser: not a JSON object


async def _acknowledged_by_shared_consumer(js: Any, settings: StreamSettings) -> int:
    """Where the durable consumer that earlier versions shared had acknowledged the stream: on
    an upgrade the stored position starts there (the events behind it are in the inbox, some
    already purged), and what it delivered beyond comes again as duplicates, not new events."""
    try:
        info = await js.consumer_info(settings.stream, settings.consumer)
    except NotFoundError:
        return 0
    return int(info.ack_floor.stream_seq or 0)


class _Reader:
    """This worker's view of the stream: every message from ``read_from`` on, in order.

    An ephemeral consumer that acknowledges nothing (the position in the database does that);
    NATS drops it a minute after its worker stops asking. A gap in its delivery sequence (a
    message lost between NATS and here) reopens it after the last message read, so a gap in what
    was read is never mistaken for the stream's.
    """

    def __init__(self, js: Any, settings: StreamSettings, read_from: int) -> None:
        self.js, self.settings, self.read_from = js, settings, read_from
        self.last = read_from - 1  # the last stream sequence read
        self._delivered = 0
        self._subscription: Any = None

    async def _open(self, start: int) -> None:
        await self.close()
        self._delivered = 0
        self._subscription = await self.js.pull_subscribe(
            self.settings.subject,
            stream=self.settings.stream,
            config=ConsumerConfig(
                ack_policy=AckPolicy.NONE,
                deliver_policy=DeliverPolicy.BY_START_SEQUENCE,
                opt_start_seq=max(start, 1),
                inactive_threshold=60.0,
                mem_storage=True,
            ),
        )

    async def start(self, read_from: int) -> None:
        self.read_from, self.last = read_from, read_from - 1
        await self._open(read_from)

    async def read(self, wanted: int) -> list[tuple[int, object]]:
        try:
            messages = await self._subscription.fetch(wanted, timeout=0.5)
        except (NoMessages, TimeoutError):  # nats-py raises either when none came
            return []
        read: list[tuple[int, object]] = []
        for message in messages:
            sequence = message.metadata.sequence
            if sequence.consumer != self._delivered + 1:
                await self._open(self.last + 1)  # lost on the way: read again after the last
                return read
            self._delivered = sequence.consumer
            self.last = sequence.stream
            read.append((sequence.stream, _decode(message.data)))
        return read

    async def close(self) -> None:
        if self._subscription is not None:
            with contextlib.suppress(Exception):  # NATS drops it on its own when inactive
                await self._subscription.unsubscribe()
            self._subscription = None


async def consume(settings: StreamSettings, intake: StreamIntake, stop: threading.Event) -> None:
    connection = await nats.connect(settings.url, max_reconnect_attempts=-1)
    try:
        js = connection.jetstream()
        await ensure_stream(js, settings)
        start_after = await _acknowledged_by_shared_consumer(js, settings)
        position = await asyncio.to_thread(intake.position, start_after)
        reader = _Reader(js, settings, position + 1)
        await reader.start(position + 1)
        log.info("stream intake started", stream=settings.stream, stored_through=position)
        held: list[tuple[int, object]] = []
        try:
            while not stop.is_set():
                if len(held) < settings.batch:
                    held += await reader.read(settings.batch - len(held))
                if not held:
                    continue
                # The database write blocks: off the event loop, so heartbeats keep flowing.
                position = await asyncio.to_thread(intake.store, held, reader.read_from)
                held = [message for message in held if message[0] > position]
                if position + 1 < reader.read_from or position > reader.last + 10 * settings.batch:
                    # Behind what a dead worker left, or far behind the others: read from the
                    # stream's position rather than through what is stored already.
                    held = []
                    await reader.start(position + 1)
        finally:
            await reader.close()
    finally:
        await connection.drain()


def start_consumer(
    settings: StreamSettings, intake: StreamIntake, stop: threading.Event
) -> threading.Thread:
    """Runs the intake on its own event loop in a daemon thread beside the worker loop."""

    def run() -> None:
        try:
            asyncio.run(consume(settings, intake, stop))
        except Exception:
            log.exception("stream intake stopped")

    thread = threading.Thread(target=run, name="heedful-stream", daemon=True)
    thread.start()
    return thread
