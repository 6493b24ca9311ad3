"""Loading a thread for an actor: the same scope as its customer and its location."""

from __future__ import annotations

from heedful.core.access import Actor
from heedful.core.conversations.model import Thread
from heedful.core.shared.errors import NotFound
from heedful.core.unit_of_work import UnitOfWork


def load_thread(
    uow: UnitOfWork, actor: Actor, thread_id: str, *, for_change: bool = False
) -> Thread:
    thread = uow.threads.get(thread_id, for_change=for_change)
    # Staff of another location learn nothing, not even that the thread exists.
    if thread is None or not actor.may_act_at(thread.location_id):
        raise NotFound(f"no conversation {thread_id}")
    return thread
