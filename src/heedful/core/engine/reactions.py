"""What the engine does with each stored business event, in the order the events arrived.

A batch of events is claimed from the inbox and each event is handled in its own savepoint: one
event that cannot be understood (a location Heedful does not know) is reported and passed over,
and never holds up the ones behind it. An event whose handling fails (a number the database
cannot hold, a bug) has only its savepoint undone: its failure is written down
(``core/dead_letters``), it waits out a backoff, and after a few tries it is set aside as a dead
letter, while the rest of the batch is marked processed. The batch is marked processed in the
same transaction as everything it caused, so a worker killed half-way leaves the whole batch to
be done again and nothing done twice.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from heedful.core.access.model import SYSTEM
from heedful.core.dead_letters.model import DeadLetter, LetterKind, RetryPolicy
from heedful.core.dead_letters.recording import note_failure
from heedful.core.events.model import BusinessEvent, StoredEvent
from heedful.core.events.references import (
    OUTSIDE_SCOPE,
    customer_named,
    location_named,
    sender_may_name,
)
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
    failed: list[DeadLetter] = field(default_factory=list)  # to try again later, or set aside
    last_sequence: int | None = None


def process_events(
    uow_factory: Callable[[], UnitOfWork],
    clock: Clock,
    *,
    batch: int = 200,
    tell_per_unit: int = DEFAULT_TELL_PER_UNIT,
    retry: RetryPolicy = RetryPolicy(),  # noqa: B008 - frozen, shared safely
) -> EngineReport:
    """One batch of stored events, oldest first; returns what it did (events == 0: none left)."""
    report = EngineReport()
    with uow_factory() as uow:
        now = clock.now()
        stored = uow.events.unprocessed(batch, now=now)
        if not stored:
            uow.commit()  # keeps what the claim set aside as unreadable (no cost when nothing)
            return report
        # Built once per batch: each event then asks the interest index, not every playbook.
        playbooks = PlaybookIndex(uow.playbooks.enabled())
        failed: list[tuple[StoredEvent, Exception]] = []
        for item in stored:
            try:
                with uow:
                    _react(uow, item, now, report, tell_per_unit)
                    _run_playbooks(uow, item, now, report, playbooks)
                    uow.commit()
            except Exception as error:
                # Only this event's savepoint was undone (on PostgreSQL that also clears the
                # aborted transaction): the events before and after it keep what they did.
                failed.append((item, error))
            report.events += 1
        failed_sequences = {item.sequence for item, _ in failed}
        done = [item for item in stored if item.sequence not in failed_sequences]
        uow.events.mark_processed([item.sequence for item in done], now)
        uow.dead_letters.forget(
            LetterKind.EVENT, [str(item.sequence) for item in done if item.retry_at is not None]
        )
        for item, problem in failed:
            report.failed.append(_set_back(uow, item, problem, now, retry))
        uow.commit()
        report.last_sequence = stored[-1].sequence
    return report


def _set_back(
    uow: UnitOfWork, item: StoredEvent, failure: Exception, now: datetime, retry: RetryPolicy
) -> DeadLetter:
    event = item.event
    what = f"{event.type} {event.source}/{event.id}"
    letter = note_failure(uow, LetterKind.EVENT, str(item.sequence), what, failure, now, retry)
    if letter.is_dead:
        uow.events.set_aside(item.sequence, now)
    else:
        uow.events.try_again_at(item.sequence, letter.next_try_at or now)
    return letter


def _react(
    uow: UnitOfWork, stored: StoredEvent, now: datetime, report: EngineReport, per_unit: int
) -> None:
    event = stored.event
    data = event.data
    cause = f"{event.source}/{event.id}"
    if event.type == "heedful.stock.changed":
        location_id = location_named(uow, str(data["location"]), event.sender_locations)
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
        report.kept += _keep_by_reference(uow, event, now, cause, report)


def _run_playbooks(
    uow: UnitOfWork, stored: StoredEvent, now: datetime, report: EngineReport, index: PlaybookIndex
) -> None:
    # After the built-in reactions, so a playbook sees the promise a delivery just kept.
    outcome = fire_playbooks(uow, stored, now, index)
    report.fired += outcome.fired
    report.skipped.extend(outcome.skipped)


def _keep_by_reference(
    uow: UnitOfWork, event: BusinessEvent, now: datetime, cause: str, report: EngineReport
) -> int:
    event_type, data = event.type, event.data
    customer = customer_named(uow, data["customer"])
    if customer is None:
        return 0
    if not sender_may_name(event, customer):
        report.skipped.append(f"{cause}: {OUTSIDE_SCOPE}")
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
