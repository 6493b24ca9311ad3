"""A batch of stock reports finds each report's level, and asks whether a playbook may act on
each event, once: the batch's lock, its read-ahead and its reactions share the answers (ADR 77).
The answers themselves are the property test's (``test_batches_match_one_by_one``)."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from unit.ledger_world import LedgerWorld, a_ledger_world

from heedful.core.access.model import SYSTEM
from heedful.core.customers import Purpose
from heedful.core.engine import batch_locks, batch_reads
from heedful.core.engine.reactions import process_events
from heedful.core.playbooks import conditions, firing
from heedful.core.playbooks.demo import BRAND_IN_YOUR_SIZE
from heedful.core.playbooks.handlers import create_playbook, set_enabled
from heedful.core.promises.handlers import MakePromise, make_promise
from heedful.core.promises.model import PromiseKind, WantedItem

REPORTS = 6


def _world() -> LedgerWorld:
    world = a_ledger_world()
    kyiv = world.shop.kyiv.id
    for n in range(REPORTS // 2):
        person = world.customer(f"C{n}", email=f"c{n}@example.com", consent=Purpose.SERVICE)
        item = WantedItem(product=f"bag-{n}", location_id=kyiv, variant="black", size="M")
        wish = MakePromise(person.id, PromiseKind.TELL_WHEN_AVAILABLE, kyiv, item=item)
        make_promise(wish, world.uow, world.shop.clock, world.assistant)
    with world.uow as uow:
        playbook = create_playbook(BRAND_IN_YOUR_SIZE, uow, world.shop.clock, SYSTEM)
        set_enabled(playbook.id, True, uow, world.shop.clock, SYSTEM)
        uow.commit()
    # Half wake someone, half name a line nobody waits in; one is of the playbook's brand.
    for n in range(REPORTS):
        product = f"bag-{n}" if n < REPORTS // 2 else f"quiet-{n}"
        data: dict[str, Any] = {"product": product, "variant": "black", "size": "M",
                                "location": kyiv, "quantity": 1}  # fmt: skip
        if n == 0:
            data["brand"] = "max mara"
        world.event("heedful.stock.changed", **data)
    return world


def test_a_batch_finds_each_reports_level_and_its_playbooks_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    world = _world()
    asked: Counter[str] = Counter()

    def counted(name: str, real: Any) -> Any:
        def call(*args: Any, **kwargs: Any) -> Any:
            asked[name] += 1
            return real(*args, **kwargs)

        return call

    for module in (batch_reads, batch_locks):  # wherever the batch finds a report's level
        if hasattr(module, "named_level"):
            monkeypatch.setattr(module, "named_level", counted("level", module.named_level))
    monkeypatch.setattr(firing, "flatten", counted("playbooks", conditions.flatten))

    report = process_events(lambda: world.uow, world.shop.clock, batch=REPORTS)

    assert report.events == REPORTS
    assert report.told == REPORTS // 2  # each waiting customer told by her own bag's unit
    # Once per report: the lock and the read-ahead each found every level before, and the
    # first event's playbooks were matched twice (whether any may act, then which do).
    assert asked == {"level": REPORTS, "playbooks": REPORTS}
