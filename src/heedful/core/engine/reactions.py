"""What the engine does with each stored business event, in the order the events arrived.

A batch of events is claimed from the inbox; the stock levels it will write are locked in one
stable order, so that two workers never wait on each other in a circle (``batch_locks``); then
it is handled in one savepoint, its reads done ahead for the whole batch (``batch_reads``); if
any event in it fails, that is undone and the batch is handled again with each event in its own
savepoint (ADR 57). One event that cannot be understood (a location Heedful does not know) is
reported and passed over, and never holds up the ones behind it. An event whose handling fails
(a number the database cannot hold, a bug) has only its savepoint undone: its failure is written
down (``core/dead_letters``), it waits out a backoff, and after a few tries it is set aside as a
dead letter, while the rest of the batch is marked processed. The batch is marked processed in
the same transaction as everything it caused, so a worker killed half-way leaves the whole batch
to be done again and nothing done twice.

What each event type sets off is one table, ``REACTIONS``: event type -> its reactions, in the
order they run; the playbooks (``AFTER_EVERY_EVENT``) run after them for every type, so a playbook
sees the promise a delivery just kept. A type with no entry reaches only the playbooks.

To add an event type's reaction:
1. register the type and its data fields in ``core/events/types.py`` (ingest refuses unknown
   types), and
2. write its reaction here, ``def on_x(moment: Reacting) -> None`` (it may write through
   ``moment.uow`` and count in ``moment.report``; it never commits: the engine's savepoint does),
3. add one line to ``REACTIONS``: ``"heedful.x.happened": (on_x,)``.
A reaction that raises has only its event's savepoint undone and goes to the dead letters (ADR 22).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import partial
from types import MappingProxyType

from heedful.core.access import SYSTEM
from heedful.core.dead_letters import DeadLetter, LetterKind, RetryPolicy, note_failure
from heedful.core.engine import catalog_reactions
from heedful.core.engine.batch_locks import lock_ahead, take_firing_turn
from heedful.core.engine.batch_reads import BatchReads, read_lines, read_names
from heedful.core.engine.dealing_reactions import keep_dealings, keep_owner
from heedful.core.engine.refund_reactions import open_refund_promise
from heedful.core.engine.write_budget import UNLIMITED, WriteBudget
from heedful.core.events import (
    CONVERSATION_RESOLVED,
    OUTSIDE_SCOPE,
    StoredEvent,
    acts_as,
    customer_named,
    sender_may_name,
)
from heedful.core.feedback import Invite, Touchpoint, invite
from heedful.core.playbooks import PlaybookIndex, fire_playbooks
from heedful.core.promises import (
    DEFAULT_TELL_PER_UNIT,
    Evidence,
    EvidenceKind,
    PromiseFilter,
    PromiseKind,
    PromiseState,
    settle_tasks,
)
from heedful.core.shared.clock import Clock, FrozenClock
from heedful.core.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)


@dataclass
class EngineReport:
    events: int = 0  # handled (reached), of those claimed
    claimed: int = 0  # taken from the inbox; those not reached stay first in line
    told: int = 0  # customers chosen to hear that what they waited for is back
    kept: int = 0  # promises an event fulfilled
    fired: int = 0  # playbooks that acted for a customer
    promised: int = 0  # of those, firings that may open or keep a promise (change a line)
    skipped: list[str] = field(default_factory=list)  # "source/id: why"
    failed: list[DeadLetter] = field(default_factory=list)  # to try again later, or set aside
    last_sequence: int | None = None


@dataclass(frozen=True, slots=True)
class Reacting:
    """One stored event being handled, inside its own savepoint: what every reaction is given."""

    uow: UnitOfWork
    stored: StoredEvent
    now: datetime
    report: EngineReport
    playbooks: PlaybookIndex  # built once per batch: each event asks the index, not every playbook
    tell_per_unit: int = DEFAULT_TELL_PER_UNIT
    reads: BatchReads = field(default_factory=BatchReads)  # the batch's read-ahead, if it holds

    @property
    def cause(self) -> str:
        return f"{self.stored.event.source}/{self.stored.event.id}"


Reaction = Callable[[Reacting], None]


def process_events(
    uow_factory: Callable[[], UnitOfWork],
    clock: Clock,
    *,
    batch: int = 200,
    tell_per_unit: int = DEFAULT_TELL_PER_UNIT,
    retry: RetryPolicy = RetryPolicy(),  # noqa: B008 - frozen, shared safely
    budget: WriteBudget = UNLIMITED,
) -> EngineReport:
    """One batch of stored events, oldest first; returns what it did (events == 0: none left).

    The batch ends after ``batch`` events or once ``budget`` is spent, whichever comes first
    (``write_budget``): events claimed and not reached stay first in line for the next batch.

    The batch is first handled whole in one savepoint, with its reads done ahead
    (``batch_reads``); only when an event in it fails is that undone and the batch handled again
    one event per savepoint, so that the failing event alone is set back. Either way the
    effects are those of handling the events one by one, in order, and commit together with
    the batch's marks.
    """
    with uow_factory() as uow:
        spent = budget.start()  # the write lock is held from here (SQLite) to the commit
        now = clock.now()
        stored = uow.events.unprocessed(batch, now=now)
        if not stored:
            uow.commit()  # keeps what the claim set aside as unreadable (no cost when nothing)
            return EngineReport()
        # Built once per batch: each event then asks the interest index, not every playbook.
        playbooks = PlaybookIndex(uow.playbooks.enabled())
        given = _Batch(uow, stored, now, playbooks, tell_per_unit, spent)
        read_ahead = _locked_and_read(uow, stored, tell_per_unit, playbooks)
        report, reached_before_failing = _all_at_once(given, read_ahead)
        failed: list[tuple[StoredEvent, Exception]] = []
        if report is None:
            report, failed = _one_by_one(given, at_least=reached_before_failing + 1)
        reached = stored[: report.events]
        failed_sequences = {item.sequence for item, _ in failed}
        done = [item for item in reached if item.sequence not in failed_sequences]
        uow.events.mark_processed([item.sequence for item in done], now)
        uow.dead_letters.forget(
            LetterKind.EVENT, [str(item.sequence) for item in done if item.retry_at is not None]
        )
        for item, problem in failed:
            report.failed.append(_set_back(uow, item, problem, now, retry))
        uow.commit()
        report.last_sequence = reached[-1].sequence
        report.claimed = len(stored)
    return report


@dataclass(frozen=True, slots=True)
class _Batch:
    uow: UnitOfWork
    stored: list[StoredEvent]
    now: datetime
    playbooks: PlaybookIndex
    tell_per_unit: int
    spent: Callable[[], bool]  # the write budget: once it says so, the batch ends


def _react(moment: Reacting) -> None:
    for reaction, given in _reactions_with_moments(moment):
        reaction(given)


def _locked_and_read(
    uow: UnitOfWork, stored: list[StoredEvent], tell_per_unit: int, index: PlaybookIndex
) -> BatchReads:
    """The batch's turn to fire playbooks (when it may fire one), its stock levels locked in
    one order, then its reads done (``batch_locks``).

    Outside the batch's savepoint, so that the locks outlive its undoing: handled again one
    by one, the batch still holds every level it locked before writing any.
    """
    try:
        with uow:
            take_firing_turn(uow, stored, index)
            reads = read_names(uow, stored)
            levels = lock_ahead(uow, stored, reads)
            read_lines(uow, reads, stored, tell_per_unit, levels)
            uow.commit()
    except Exception:
        # Nothing read ahead: each event reads (and locks) for itself, slower but correct.
        # Said once per batch so that a read-ahead that always fails shows in the logs.
        log.warning("batch read-ahead failed; events read for themselves", exc_info=True)
        return BatchReads()
    return reads


def _all_at_once(batch: _Batch, reads: BatchReads) -> tuple[EngineReport | None, int]:
    """The whole batch in one savepoint, and how many events it reached; None (and nothing
    kept) when an event failed, with how many went before it."""
    report = EngineReport()
    uow = batch.uow
    try:
        with uow:
            for item in batch.stored:
                promised = report.promised
                reads.before(uow, item)
                _react(Reacting(uow, item, batch.now, report, batch.playbooks,
                                batch.tell_per_unit, reads))  # fmt: skip
                # A playbook that only queued messages or tasks changed no line read ahead.
                reads.after(uow, item, fired=report.promised != promised)
                report.events += 1
                if batch.spent():
                    break
            reads.write_held(uow)  # what telling held, written in two statements
            uow.commit()
    except Exception:  # which event failed is found by handling them one by one
        return None, report.events
    return report, report.events


def _one_by_one(
    batch: _Batch, at_least: int
) -> tuple[EngineReport, list[tuple[StoredEvent, Exception]]]:
    """Each event in its own savepoint, at least as far as the one that failed the batch (so
    that it is set back now, whatever is left of the write budget), then while it lasts."""
    report = EngineReport()
    uow = batch.uow
    failed: list[tuple[StoredEvent, Exception]] = []
    for item in batch.stored:
        moment = Reacting(uow, item, batch.now, report, batch.playbooks, batch.tell_per_unit)
        try:
            with uow:
                _react(moment)
                uow.commit()
        except Exception as error:
            # Only this event's savepoint was undone (on PostgreSQL that also clears the
            # aborted transaction): the events before and after it keep what they did.
            failed.append((item, error))
        report.events += 1
        if report.events >= at_least and batch.spent():
            break
    return report, failed


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


def keep_promises_by_reference(kind: PromiseKind, moment: Reacting) -> None:
    """The customer's open promises of this kind with the event's ``order_ref`` are kept."""
    uow, now, cause = moment.uow, moment.now, moment.cause
    event_type, data = moment.stored.event.type, moment.stored.event.data
    customer = customer_named(uow, data["customer"])
    if customer is None:
        return
    if not sender_may_name(moment.stored.event, customer):
        moment.report.skipped.append(f"{cause}: {OUTSIDE_SCOPE}")
        return
    reference = str(data["order_ref"]).strip()
    for candidate in uow.promises.find(
        PromiseFilter(customer_id=customer.id, states=frozenset({PromiseState.OPEN})), 500
    ):
        if candidate.kind is not kind or candidate.reference != reference:
            continue
        promise = uow.promises.get(candidate.id, for_change=True) or candidate
        promise.note(Evidence(now, EvidenceKind.EVENT, event_type, SYSTEM.label, cause))
        promise.keep(now, SYSTEM.label, f"{event_type} {reference}", cause)
        settle_tasks(uow, promise, now)
        uow.promises.update(promise)
        uow.timers.cancel(promise.id)
        moment.report.kept += 1


def offer_the_conversation_survey(moment: Reacting) -> None:
    """A resolved conversation is followed by the location's conversation survey, if it has one
    (else one for every location), within her consent and the survey cap."""
    uow, data = moment.uow, moment.stored.event.data
    customer = customer_named(uow, data["customer"])
    location_id = str(data["location"])
    if customer is None or not customer.is_active:
        return
    surveys = [
        survey
        for survey in uow.feedback.surveys.list()
        if survey.touchpoint is Touchpoint.CONVERSATION
        and survey.location_id in (location_id, None)
    ]
    if not surveys:
        return
    survey = min(surveys, key=lambda s: (s.location_id is None, s.created_at, s.id))
    staff_id = str(data.get("staff_id") or "") or None
    offered = invite(
        Invite(survey.id, customer.id, location_id, staff_id, cause=moment.cause),
        uow,
        FrozenClock(moment.now),
        SYSTEM,
    )
    if offered.invitation is None:
        moment.report.skipped.append(f"{moment.cause}: no survey: {offered.skipped}")


def run_playbooks(moment: Reacting) -> None:
    triggered = moment.playbooks.triggered(moment.stored.event)
    if moment.reads.book is not None and triggered:
        # A playbook may look at her messages and promises: it sees what telling held.
        moment.reads.write_held(moment.uow)
    outcome = fire_playbooks(moment.uow, moment.stored, moment.now, moment.playbooks, triggered)
    moment.report.fired += outcome.fired
    moment.report.promised += outcome.promised
    moment.report.skipped.extend(outcome.skipped)


# Event type -> its built-in reactions, in order. One line per type (see the recipe above).
REACTIONS: Mapping[str, tuple[Reaction, ...]] = MappingProxyType(
    {
        "heedful.stock.changed": (catalog_reactions.tell_waiting_customers,),
        "heedful.owner.assigned": (keep_owner,),
        "heedful.item.upserted": (catalog_reactions.keep_item,),
        "heedful.item.retired": (catalog_reactions.retire,),
        "heedful.order.delivered": (partial(keep_promises_by_reference, PromiseKind.DELIVER_BY),),
        "heedful.refund.requested": (open_refund_promise,),
        "heedful.refund.issued": (partial(keep_promises_by_reference, PromiseKind.REFUND_BY),),
        CONVERSATION_RESOLVED: (offer_the_conversation_survey,),
        # Bookings, reservations, orders and accounts as state (ADR 0036), one line per type.
        "heedful.booking.upserted": (keep_dealings,),
        "heedful.booking.cancelled": (keep_dealings,),
        "heedful.stay.completed": (keep_dealings,),
        "heedful.reservation.upserted": (keep_dealings,),
        "heedful.reservation.cancelled": (keep_dealings,),
        "heedful.order.upserted": (keep_dealings,),
        "heedful.account.upserted": (keep_dealings,),
        "heedful.purchase.made": (keep_dealings,),
        "heedful.visit.recorded": (keep_dealings,),
    }
)
# For every event, after its built-in reactions: a playbook sees the promise a delivery just kept.
AFTER_EVERY_EVENT: tuple[Reaction, ...] = (run_playbooks,)


def _reactions_with_moments(moment: Reacting) -> list[tuple[Reaction, Reacting]]:
    """Each reaction with the moment it is given.

    A business's own type that updates the state of one of Heedful's types (ADR 0042) is applied
    by that type's reactions, given the event under that type's name; the playbooks still see it
    under its own name, since that is what their triggers say.
    """
    event = moment.stored.event
    state_type = acts_as(event.type)
    if state_type is None:
        return [(reaction, moment) for reaction in reactions_for(event.type)]
    stored = replace(moment.stored, event=replace(event, type=state_type))
    as_state = replace(moment, stored=stored)
    return [(reaction, as_state) for reaction in REACTIONS.get(state_type, ())] + [
        (reaction, moment) for reaction in AFTER_EVERY_EVENT
    ]


def reactions_for(event_type: str) -> tuple[Reaction, ...]:
    """What an event of this type sets off, in order; an unknown type reaches only the playbooks."""
    return (*REACTIONS.get(event_type, ()), *AFTER_EVERY_EVENT)
