"""A batch handled whole, with its reads done ahead, does what handling each event alone does.

Same waiting customers, same stock reports (arrivals, repeats, sales, sizes, lines nobody waits
in, a location nobody knows, an event of another kind in the middle, some reports of a brand
that the "your brand, in your size" playbook tells its fans of): the same customers are told,
in the same order, with the same messages, whatever the batch size. A playbook that only
queues a message keeps the batch's read-ahead (ADR 57, 66), so the batch must still match.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from unit.ledger_world import BAG, LedgerWorld, a_ledger_world

from heedful.core.access.model import SYSTEM
from heedful.core.customers import Purpose
from heedful.core.engine.reactions import process_events
from heedful.core.outreach import MessageStatus
from heedful.core.playbooks.demo import BRAND_IN_YOUR_SIZE
from heedful.core.playbooks.handlers import create_playbook, set_enabled
from heedful.core.preferences import Category, Polarity
from heedful.core.preferences.handlers import RecordPreference, record_preference
from heedful.core.promises.handlers import MakePromise, make_promise
from heedful.core.promises.model import PromiseKind, WantedItem

SIZES = ("", "M", "L")
PRODUCTS = (BAG, "scarf-silk")  # nobody waits for the scarf unless drawn so

waits = st.lists(
    st.tuples(st.integers(0, 3), st.sampled_from(PRODUCTS[:1] * 3 + PRODUCTS[1:]),
              st.sampled_from(SIZES)),
    max_size=8,
)  # fmt: skip
reports = st.lists(
    st.one_of(
        st.tuples(st.just("stock"), st.sampled_from(PRODUCTS), st.sampled_from(("M", "L")),
                  st.integers(0, 3)),
        st.tuples(st.just("brand"), st.sampled_from(PRODUCTS), st.sampled_from(("M", "L")),
                  st.integers(0, 3)),
        st.tuples(st.just("stock"), st.just("hat-wool"), st.just("M"), st.integers(0, 3)),
        st.tuples(st.just("nowhere"), st.just(BAG), st.just("M"), st.integers(1, 2)),
        st.tuples(st.just("delivered"), st.just(""), st.just(""), st.just(0)),
    ),
    max_size=14,
)  # fmt: skip


def _world(
    wanted: list[tuple[int, str, str]], events: list[tuple[str, str, str, int]]
) -> tuple[LedgerWorld, list[str]]:
    world = a_ledger_world()
    # Customer 3 has no consent: her promise turns into a call and the next in line is told.
    people = [
        world.customer(
            f"C{i}", email=f"c{i}@example.com", consent=None if i == 3 else Purpose.SERVICE
        )
        for i in range(4)
    ]
    promise_ids = []
    for who, product, size in wanted:
        item = WantedItem(
            product=product, location_id=world.shop.kyiv.id, variant="black", size=size
        )
        cmd = MakePromise(customer_id=people[who].id, kind=PromiseKind.TELL_WHEN_AVAILABLE,
                          location_id=world.shop.kyiv.id, item=item)  # fmt: skip
        promise_ids.append(make_promise(cmd, world.uow, world.shop.clock, world.assistant).id)
    # Three of them like the brand, in M or L; the playbook tells each once in its 30 days.
    for who, size in ((0, "M"), (1, "L"), (2, "M")):
        for category, subject in ((Category.BRAND, "Max Mara"), (Category.SIZE, size)):
            said = RecordPreference(people[who].id, Polarity.LIKE, subject, category)
            record_preference(said, world.uow, world.shop.clock, world.shop.admin)
    with world.uow as uow:
        playbook = create_playbook(BRAND_IN_YOUR_SIZE, uow, world.shop.clock, SYSTEM)
        set_enabled(playbook.id, True, uow, world.shop.clock, SYSTEM)
        uow.commit()
    for kind, product, size, quantity in events:
        data: dict[str, Any]
        if kind == "delivered":
            world.event("heedful.order.delivered", customer="nobody@example.com", order_ref="R1")
            continue
        location = "loc_nowhere" if kind == "nowhere" else world.shop.kyiv.id
        data = {"product": product, "variant": "black", "size": size, "location": location,
                "quantity": quantity}  # fmt: skip
        if kind == "brand":
            data["brand"] = "max mara"
        world.event("heedful.stock.changed", **data)
    return world, promise_ids


def _outcome(world: LedgerWorld, promise_ids: list[str]) -> tuple[Any, ...]:
    """Promises by the order they were made; messages and tasks in the order they were written."""
    index = {pid: i for i, pid in enumerate(promise_ids)}
    promises = [
        (p.state.value, p.kind.value, p.notice_message_id is not None)
        for p in (world.promise(pid) for pid in promise_ids)
    ]
    with world.uow as uow:
        # All written at the same moment: the sort keeps the order they were written in.
        outbox = uow.outbox.list_by_status(frozenset(MessageStatus), 1000)
        # Each world gives its customers new ids: a message is told apart by her name.
        names = {m.customer_id: uow.customers.get(m.customer_id).full_name for m in outbox}  # type: ignore[union-attr]
        tasks = [
            (index.get(task.promise_id or ""), task.kind.value)
            for pid in promise_ids
            for task in uow.tasks.list_for_customer(world.promise(pid).customer_id, 100)
        ]
    told = [
        (index.get(m.promise_id or ""), m.template_key, dict(m.context.get("line") or {}))
        for m in outbox
        if m.promise_id is not None
    ]
    # The playbook's fans of one event come in id order, and ids differ between the worlds.
    fans = sorted(
        (names[m.customer_id], m.template_key, str(m.context.get("item")))
        for m in outbox
        if m.promise_id is None
    )
    messages = [told, fans]
    return promises, messages, sorted(set(tasks), key=str)


def _drain(world: LedgerWorld, batch: int) -> int:
    handled = 0
    while (report := process_events(lambda: world.uow, world.shop.clock, batch=batch)).events:
        handled += report.events
    return handled


@settings(max_examples=60, deadline=None)
@given(waits, reports, st.integers(2, 20))
def test_a_batch_does_what_each_event_alone_does(
    wanted: list[tuple[int, str, str]], events: list[tuple[str, str, str, int]], batch: int
) -> None:
    together, ids_together = _world(wanted, events)
    alone, ids_alone = _world(wanted, events)

    assert _drain(together, batch) == _drain(alone, 1) == len(events)

    assert _outcome(together, ids_together) == _outcome(alone, ids_alone)
