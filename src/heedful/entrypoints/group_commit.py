"""Events of concurrent requests stored together: one INSERT and one commit for many (ADR 0015).

Both ways ``POST /api/v1/events`` is answered (the route and the lean path) store through it.
"""

from __future__ import annotations

import asyncio
from collections import deque
from concurrent.futures import ThreadPoolExecutor

from starlette.datastructures import State

from heedful.bootstrap import Container
from heedful.core.events.handlers import store_events
from heedful.core.events.model import BusinessEvent


class GroupCommit:
    """Events of concurrent requests stored together: one INSERT and one commit for many.

    A stock system sending events one by one, thirty connections at a time, would otherwise cost a
    transaction, a pooled connection and a thread hop per event, and the commits' disk flushes
    would queue. Here each request parks its events and awaits; a writer takes everything parked,
    stores it in one transaction in a worker thread, and only then wakes the requests: each still
    answers after its own events are committed. With no load a batch is one request, so waiting
    adds nothing; under load the batches grow by themselves.
    """

    WRITERS = 2  # two transactions in flight: one commits while the next one inserts
    MAX_EVENTS = 5000  # per transaction: a bound on how long one commit holds its requests

    def __init__(self, container: Container) -> None:
        self._container = container
        self.loop = asyncio.get_running_loop()
        self._parked: deque[tuple[list[BusinessEvent], asyncio.Future[list[bool]]]] = deque()
        self._writing = 0
        self._tasks: set[asyncio.Task[None]] = set()
        self._executor = ThreadPoolExecutor(self.WRITERS, thread_name_prefix="event-writer")

    async def store(self, events: list[BusinessEvent]) -> list[bool]:
        if not events:
            return []
        future: asyncio.Future[list[bool]] = self.loop.create_future()
        self._parked.append((events, future))
        if self._writing < self.WRITERS:
            self._writing += 1
            task = self.loop.create_task(self._drain())
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        return await future

    async def _drain(self) -> None:
        try:
            while self._parked:
                taken = [self._parked.popleft()]
                count = len(taken[0][0])
                while self._parked and count + len(self._parked[0][0]) <= self.MAX_EVENTS:
                    taken.append(self._parked.popleft())
                    count += len(taken[-1][0])
                await self._write(taken)
        finally:
            self._writing -= 1

    async def _write(
        self, taken: list[tuple[list[BusinessEvent], asyncio.Future[list[bool]]]]
    ) -> None:
        events = [event for parked, _ in taken for event in parked]
        try:
            answers = await self.loop.run_in_executor(self._executor, self._store, events)
        except Exception as exc:  # every waiting request gets the failure
            for _, future in taken:
                if not future.done():
                    future.set_exception(exc)
            return
        start = 0
        for parked, future in taken:
            if not future.done():  # a client that hung up has cancelled its wait
                future.set_result(answers[start : start + len(parked)])
            start += len(parked)

    def _store(self, events: list[BusinessEvent]) -> list[bool]:
        return store_events(self._container.uow(), self._container.clock, events)

    def close(self) -> None:
        self._executor.shutdown(wait=False)


def group_commit(state: State) -> GroupCommit:
    """The app's writer for the running event loop (tests start a loop per client)."""
    writer: GroupCommit | None = getattr(state, "event_group_commit", None)
    if writer is None or writer.loop is not asyncio.get_running_loop():
        if writer is not None:
            writer.close()
        writer = GroupCommit(state.container)
        state.event_group_commit = writer
    return writer
