"""A long backlog is handled in batches that each keep within the write budget (ADR 60).

On the embedded default a batch holds the database's one write lock until it commits, and a
POST of events waits behind it; so a batch ends once its budget is spent, commits, and the next
batch starts where it stopped. The stopwatch here is a fake: each event costs 40 ms of it.
"""

from __future__ import annotations

from unit.ledger_world import LedgerWorld, PlainComposer, a_ledger_world

from heedful.core.customers import Purpose
from heedful.core.engine.reactions import process_events
from heedful.core.engine.relay import Relay
from heedful.core.engine.relay_report import RELAY_BATCH_LEAST, next_batch
from heedful.core.engine.write_budget import CLAIM_LEAST, CLAIM_MOST, WriteBudget, next_claim
from heedful.core.outreach import MessageStatus

EVENT_COST_S = 0.04


class WorkingStopwatch:
    """Seconds of work done so far: each reading after the start of a batch is one event more.

    The engine reads it when a batch begins and after each event it handled, so each reading
    but the first of a batch stands for one event's cost."""

    def __init__(self, cost_s: float) -> None:
        self.cost_s = cost_s
        self.seconds = 0.0
        self.readings = 0

    def __call__(self) -> float:
        self.readings += 1
        self.seconds += self.cost_s
        return self.seconds


def _waiting_line(customers: int) -> tuple[LedgerWorld, list[str]]:
    """Customers waiting in line for the bag, and one unit more arriving per stock event."""
    world = a_ledger_world()
    promise_ids = []
    for n in range(customers):
        customer = world.customer(f"Customer {n}", email=f"c{n}@example.com",
                                  consent=Purpose.SERVICE)  # fmt: skip
        promise_ids.append(world.wait_for(customer).id)
        world.later(minutes=1)
    for units in range(1, customers + 1):
        world.stock(units)
    return world, promise_ids


def _told(world: LedgerWorld, promise_ids: list[str]) -> list[bool]:
    return [world.promise(pid).notice_message_id is not None for pid in promise_ids]


def _notices(world: LedgerWorld, promise_ids: list[str]) -> list[int]:
    """Whose notice was written, in the order written, by place in line."""
    place = {pid: n for n, pid in enumerate(promise_ids)}
    with world.uow as uow:
        outbox = uow.outbox.list_by_status(frozenset(MessageStatus), 1000)
    return [place[m.promise_id] for m in outbox if m.promise_id in place]


def _waiting_events(world: LedgerWorld) -> int:
    with world.uow as uow:
        return len(uow.events.unprocessed(1000))


def test_a_long_backlog_is_cut_into_batches_that_each_keep_within_the_budget() -> None:
    world, promise_ids = _waiting_line(10)
    budget = WriteBudget(seconds=0.1, stopwatch=WorkingStopwatch(EVENT_COST_S))

    first = process_events(lambda: world.uow, world.shop.clock, budget=budget)

    # 40, 80, 120 ms: the third event spends the budget, and the batch commits there.
    assert first.events == 3
    assert world.shop.uow.committed >= 1
    assert _told(world, promise_ids) == [True] * 3 + [False] * 7  # first come, first told
    assert _waiting_events(world) == 7  # claimed but not reached: still waiting, first in line

    sizes = [first.events]
    commits = world.shop.uow.committed
    while (report := process_events(lambda: world.uow, world.shop.clock, budget=budget)).events:
        sizes.append(report.events)
        assert world.shop.uow.committed > commits  # each batch is committed before the next begins
        commits = world.shop.uow.committed
    assert sizes == [3, 3, 3, 1]
    assert _told(world, promise_ids) == [True] * 10
    assert _waiting_events(world) == 0


def test_a_batch_within_its_budget_is_cut_only_by_its_count() -> None:
    world, promise_ids = _waiting_line(6)
    budget = WriteBudget(seconds=10.0, stopwatch=WorkingStopwatch(EVENT_COST_S))

    report = process_events(lambda: world.uow, world.shop.clock, batch=4, budget=budget)

    assert report.events == 4
    assert _told(world, promise_ids) == [True] * 4 + [False] * 2


def test_an_event_longer_than_the_whole_budget_is_still_handled_one_per_batch() -> None:
    world, promise_ids = _waiting_line(3)
    budget = WriteBudget(seconds=0.1, stopwatch=WorkingStopwatch(cost_s=0.5))

    sizes = []
    while (report := process_events(lambda: world.uow, world.shop.clock, budget=budget)).events:
        sizes.append(report.events)

    assert sizes == [1, 1, 1]  # the engine always moves, one event at a time
    assert _told(world, promise_ids) == [True] * 3


def test_the_budget_does_not_change_who_is_told_or_in_what_order() -> None:
    cut, cut_ids = _waiting_line(7)
    whole, whole_ids = _waiting_line(7)
    budget = WriteBudget(seconds=0.05, stopwatch=WorkingStopwatch(EVENT_COST_S))

    while process_events(lambda: cut.uow, cut.shop.clock, budget=budget).events:
        pass
    while process_events(lambda: whole.uow, whole.shop.clock).events:
        pass

    assert _told(cut, cut_ids) == _told(whole, whole_ids) == [True] * 7
    assert _notices(cut, cut_ids) == _notices(whole, whole_ids) == list(range(7))


def test_the_relay_stops_sending_once_the_budget_is_spent_and_sends_the_rest_next_batch() -> None:
    world, _ = _waiting_line(3)
    while world.engine().events:
        pass
    relay = Relay(senders={"email": world.mailbox}, composer=PlainComposer(), rules=world.rules)
    # Each reading 0.5 s on: after the first e-mail of a batch the 100 ms budget is spent.
    budget = WriteBudget(seconds=0.1, stopwatch=WorkingStopwatch(cost_s=0.5))
    commits = world.shop.uow.committed

    report = relay.run(lambda: world.uow, world.shop.clock, budget=budget)

    assert report.sent == 3
    assert len(world.mailbox.received) == 3
    assert world.shop.uow.committed - commits >= 3  # one e-mail per batch, each batch committed


def test_the_next_batch_claims_twice_what_the_last_one_reached_within_bounds() -> None:
    assert next_claim(reached=10, claimed=200) == 20  # cut short: read ahead for 20, not 200
    assert next_claim(reached=3, claimed=20) == CLAIM_LEAST
    assert next_claim(reached=20, claimed=20) == 40  # reached all: grows again
    assert next_claim(reached=150, claimed=200) == CLAIM_MOST
    assert next_claim(reached=0, claimed=40) == 40  # an empty inbox says nothing about cost


def test_a_relay_batch_cut_short_by_its_budget_is_followed_by_a_smaller_one() -> None:
    # A batch reads and decides every message it claims; one the budget cut after its first
    # e-mail read 20 customers to send one. The next claims what it can reach (ADR 76).
    world, _ = _waiting_line(20)
    while world.engine().events:
        pass
    relay = Relay(senders={"email": world.mailbox}, composer=PlainComposer(), rules=world.rules)
    budget = WriteBudget(seconds=0.1, stopwatch=WorkingStopwatch(cost_s=0.5))

    first = relay.run(lambda: world.uow, world.shop.clock, limit=2, batch=20, budget=budget)
    rest = relay.run(lambda: world.uow, world.shop.clock, batch=20, first_batch=first.next_batch)

    assert (first.sent, first.next_batch) == (2, RELAY_BATCH_LEAST)
    assert rest.sent == 18  # no budget now: batches of 16, then 2, each sent whole
    assert rest.next_batch == 20
    assert len(world.mailbox.received) == 20


def test_the_relay_claims_twice_what_its_last_batch_reached_within_bounds() -> None:
    assert next_batch(reached=1, claimed=100, current=100, most=100) == RELAY_BATCH_LEAST
    assert next_batch(reached=30, claimed=100, current=100, most=100) == 60
    assert next_batch(reached=16, claimed=16, current=16, most=100) == 32  # ended all: grows
    assert next_batch(reached=5, claimed=5, current=100, most=100) == 100  # only 5 were ready
    assert next_batch(reached=100, claimed=100, current=100, most=100) == 100
