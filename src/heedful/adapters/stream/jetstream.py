"""Business events from a NATS JetStream subject, shared by every worker through one consumer.

Business systems publish CloudEvents (JSON) to ``heedful.events.in.<anything>``. The stream keeps
them on disk; every ``heedful worker`` pulls from the same durable consumer, so each message goes
to one worker at a time. A worker acknowledges a batch only after the events are committed to the
inbox; a worker that dies first leaves them unacknowledged, JetStream delivers them again after
``ack_wait``, and the inbox's source-and-id key makes the second delivery a duplicate, not a
second event. Nothing published is lost and nothing is processed twice.
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import nats
import structlog
from nats.errors import TimeoutError as NoMessages
from nats.js.api import AckPolicy, ConsumerConfig, StorageType, StreamConfig
from nats.js.errors import NotFoundError

from heedful.core.events.intake import UnreadableJson, decode_json

log = structlog.get_logger("heedful.stream")

STREAM = "HEEDFUL_EVENTS"
SUBJECT = "heedful.events.in.>"
CONSUMER = "heedful-workers"

# Stores a batch of raw events durably and returns how many it could not take (logged, acked:
# a malformed event will not become valid by being delivered again).
StoreBatch = Callable[[Sequence[object]], int]


@dataclass(frozen=True)
class StreamSettings:
    url: str
    stream: str = STREAM
    subject: str = SUBJECT  # sources publish to any subject under it
    consumer: str = CONSUMER
    batch: int = 200
    ack_wait_seconds: float = 30.0


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


async def consume(settings: StreamSettings, store: StoreBatch, stop: threading.Event) -> None:
    connection = await nats.connect(settings.url, max_reconnect_attempts=-1)
    try:
        js = connection.jetstream()
        await ensure_stream(js, settings)
        subscription = await js.pull_subscribe(
            settings.subject,
            durable=settings.consumer,
            stream=settings.stream,
            config=ConsumerConfig(
                ack_policy=AckPolicy.EXPLICIT,
                ack_wait=settings.ack_wait_seconds,
                max_ack_pending=settings.batch * 20,
            ),
        )
        log.info("stream consumer started", stream=settings.stream, consumer=settings.consumer)
        while not stop.is_set():
            try:
                messages = await subscription.fetch(settings.batch, timeout=0.5)
            except (NoMessages, TimeoutError):  # nats-py raises either when none came
                continue
            raw = [_decode(message.data) for message in messages]
            # The database write blocks: off the event loop, so heartbeats keep flowing.
            refused = await asyncio.to_thread(store, raw)
            if refused:
                log.warning("stream events refused", refused=refused, batch=len(raw))
            for message in messages:
                await message.ack()
    finally:
        await connection.drain()


def start_consumer(
    settings: StreamSettings, store: StoreBatch, stop: threading.Event
) -> threading.Thread:
    """Runs the consumer on its own event loop in a daemon thread beside the worker loop."""

    def run() -> None:
        try:
            asyncio.run(consume(settings, store, stop))
        except Exception:
            log.exception("stream consumer stopped")

    thread = threading.Thread(target=run, name="heedful-stream", daemon=True)
    thread.start()
    return thread
