"""What the engine does with each stored business event, in the order the events arrived.

A batch of events is claimed from the inbox and each event is handled in its own savepoint: one
event that cannot be understood (a location Heedful does not know) is reported and passed over,
and never holds up the ones behind it. The batch is marked processed in the same transaction as
everything it caused, so a worker killed half-way leaves the whole batch to be done again and
nothing done twice.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from heedful.core.access.model import SYSTEM
from heedful.core.events.model import StoredEvent
from heedful.core.events.references import customer_named, location_named
from heedful.core.playbooks.firing import PlaybookIndex, fire_playbooks
from heedful.core.promises.back_in_stock import DEFAULT_TELL_PER_UNIT, stock_changed
from heedful.core.promises.model import (
    Evidence,
    EvidenceKind,
    PromiseKind,
    PromiseState,
    WantedItem,
)
from heedful.core.promises.ports import PromiseFilter
from heedful.core.shared.clock import Clock
from heedful.core.shared.errors import HeedfulError
from heedful.core.shared.ports import UnitOfWork

_CLOSES: dict[str, PromiseKind] = {
    "heedful.order.delivered": PromiseKind.DELIVER_BY,
    "heedful.refund.issued": PromiseKind.REFUND_BY,
}


@dataclass
class EngineReport:
    events: int = 0
    told: int = 0  # customers chosen to hear that what they waited for is back
    kept: int = 0  # promises an event fulfilled
    fired: int = 0  # playbooks that acted for a customer
    skipped: list[str] = field(default_factory=list)  # "source/id: why"
    last_sequence: int | None = None


def process_events(
    uow_factory: Callable[[], UnitOfWork],
    clock: Clock,
    *,
    batch: int = 200,
    tell_per_unit: int = DEFAULT_TELL_PER_UNIT,
) -> EngineReport:
    """One batch of stored events, oldest first; returns what it did (events == 0: none left)."""
    report = EngineReport()
    with uow_factory() as uow:
        stored = uow.events.unprocessed(batch)
        if not stored:
            return report
        now = clock.now()
        # Built once per batch: each event then asks the interest index, not every playbook.
        playbooks = PlaybookIndex(uow.playbooks.enabled())
        for item in stored:
            try:
                with uow:
                    _react(uow, item, now, report, tell_per_unit)
                    _run_playbooks(uow, item, now, report, playbooks)
                    uow.commit()
            except HeedfulError as refused:
                report.skipped.append(f"{item.event.source}/{item.event.id}: {refused}")
            report.events += 1
        uow.events.mark_processed([item.sequence for item in stored], now)
        uow.commit()
        report.last_sequence = stored[-1].sequence
    return report


def _react(
    uow: UnitOfWork, stored: StoredEvent, now: datetime, report: EngineReport, per_unit: int
) -> None:
    event = stored.event
    data = event.data
    cause = f"{event.source}/{event.id}"
    if event.type == "heedful.stock.changed":
        location_id = location_named(uow, str(data["location"]))
        if location_id is None:
            report.skipped.append(f"{cause}: no location {data['location']}")
            return
        item = WantedItem(
            product=str(data["product"]),
            location_id=location_id,
            variant=str(data.get("variant") or ""),
            size=str(data.get("size") or ""),
        )
        restock = stock_changed(
            uow, now, item, int(data["quantity"]), tell_per_unit=per_unit, cause=cause
        )
        report.told += len(restock.told)
    elif event.type in _CLOSES:
        report.kept += _keep_by_reference(uow, event.type, data, now, cause)


def _run_playbooks(
    uow: UnitOfWork, stored: StoredEvent, now: datetime, report: EngineReport, index: PlaybookIndex
) -> None:
    # After the built-in reactions, so a playbook sees the promise a delivery just kept.
    outcome = fire_playbooks(uow, stored, now, index)
    report.fired += outcome.fired
    report.skipped.extend(outcome.skipped)


def _keep_by_reference(
    uow: UnitOfWork, event_type: str, data: Mapping[str, Any], now: datetime, cause: str
) -> int:
    customer = customer_named(uow, data["customer"])
    if customer is None:
        return 0
    customer_id = customer.id
    reference = str(data["order_ref"]).strip()
    kept = 0
    for candidate in uow.promises.find(
        PromiseFilter(customer_id=customer_id, states=frozenset({PromiseState.OPEN})), 500
    ):
        if candidate.kind is not _CLOSES[event_type] or candidate.reference != reference:
            continue
        promise = uow.promises.get(candidate.id, for_change=True) or candidate
        promise.note(Evidence(now, EvidenceKind.EVENT, event_type, SYSTEM.label, cause))
        promise.keep(now, SYSTEM.label, f"{event_type} {reference}", cause)
        uow.promises.update(promise)
        uow.timers.cancel(promise.id)
        kept += 1
    return kept
