"""The stock levels a batch will write, locked before its first write, in one shared order.

Two workers on PostgreSQL each handle a batch in one transaction. Each stock report locks its
variant's levels (the catalog's and the waiting lines') when it writes them; in the events'
order, two batches naming the same variants in opposite orders each held one level and waited
for the other's: a deadlock, and a batch set back for a retry (issue 18, ADR 57). So before the
batch's first event the engine locks every level its stock reports will write, in one stable
order (the storage's ``lock``: ``SELECT … ORDER BY key FOR UPDATE``): a second worker naming any
of them waits at its start, holding none of them, until the first commits. The events are
then handled in their own order as before, their own locks already theirs.

The keys are found as the reaction finds them (``stock_report_names``). An
event earlier in the batch that changes an item (a new parent) may make a later report write a
level not locked here; a level with no row yet (a variant's first report) is not locked either.
Those still lock as they go, as before: rare, and a deadlock there is still only a retry.
"""

from __future__ import annotations

from collections.abc import Sequence

from heedful.core.engine.batch_reads import BatchReads, is_stock_report
from heedful.core.events import StoredEvent
from heedful.core.playbooks import PlaybookIndex
from heedful.core.promises import WantedItem
from heedful.core.unit_of_work import UnitOfWork


def take_firing_turn(uow: UnitOfWork, batch: Sequence[StoredEvent], index: PlaybookIndex) -> None:
    """A batch that may fire an event playbook waits for its turn first, holding no lock yet.

    Firings are keyed once per customer and span ("once a day"): two workers firing a brand's
    playbook for overlapping audiences stored keys in different orders and deadlocked (issue 18,
    with ADR 61 sending one bag's reports to one worker). Firing batches take turns; batches
    that fire nothing run side by side. "May fire" is the whole trigger, not only the event
    type (ADR 64): with "your brand, in your size" enabled every stock report matched its type,
    so every batch of stock reports, brand or none, took the one turn, and two workers ran one
    batch at a time. A firing needs its trigger to hold, and the trigger reads only the event.
    """
    if any(index.may_act_on(stored.event) for stored in batch):
        uow.playbooks.take_firing_turn()


def lock_ahead(
    uow: UnitOfWork, batch: Sequence[StoredEvent], reads: BatchReads
) -> list[WantedItem]:
    """Locks the catalog levels, then the waiting lines' levels, of the batch's stock reports;
    returns the latter (the batch reads them ahead, ``waiting_book``)."""
    places: set[tuple[str, str]] = set()
    levels: set[WantedItem] = set()
    for stored in batch:
        if not is_stock_report(stored):
            continue
        event = stored.event
        data = event.data
        location_id = reads.location(uow, str(data.get("location")), event.sender_locations)
        if location_id is None:
            continue
        level = reads.level_named(uow, stored, location_id)
        if level is None:
            continue
        code, wanted = level
        if code is not None:
            places.add((code, location_id))
        levels.add(wanted)
    # One order for both tables, the one every report takes them in: the catalog's first.
    uow.catalog_stock.lock(sorted(places))
    ordered = sorted(levels, key=lambda w: (w.product, w.variant, w.size, w.location_id))
    uow.stock.lock(ordered)
    return ordered
