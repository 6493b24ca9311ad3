"""What a batch of stock events reads once, in a few set-based queries, instead of once per event.

Measured (``bench/worker_throughput.py``, docs/benchmarks.md): most stock reports wake nobody,
yet each paid for its location, its catalog look-up and two reads of an empty waiting line.
Before the batch is handled the engine reads, for all its stock events at once: the locations
they name, the catalog items they name, and which (product, location) lines have anyone waiting.
An event whose line is empty then costs only its stock level.

These answers hold while the batch has so far run only stock reports and playbooks that made
or kept no promise: stock reports never add anyone to a line, nor change the catalog or the
locations, and a playbook's queued message or staff task changes none of them either. The first
event that could (another type; a playbook that opened or kept a promise, or sent a survey)
ends the read-ahead, and every event
after it reads for itself as before. Another process adding a wish during the batch is the
race that already exists between a batch's reads and its commit (the wish's own "tell at once"
looks at the stock committed so far); the read-ahead makes that window the batch's, no longer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from heedful.core.catalog import CatalogItem, normalise
from heedful.core.engine.stock_report_names import named_level
from heedful.core.events import StoredEvent, acts_as, location_named
from heedful.core.promises import DEFAULT_TELL_PER_UNIT, WaitingBook, WantedItem, read_book
from heedful.core.shared.errors import InvalidInput
from heedful.core.unit_of_work import UnitOfWork

STOCK_CHANGED = "heedful.stock.changed"
Line = tuple[str, str]  # (product, location id)
Named = tuple[str | None, WantedItem]  # a report's catalog code (None: none) and its level


def is_stock_report(stored: StoredEvent) -> bool:
    event_type = stored.event.type
    return event_type == STOCK_CHANGED or acts_as(event_type) == STOCK_CHANGED


@dataclass
class BatchReads:
    """The batch's read-ahead; ``holds`` False: every event reads for itself."""

    holds: bool = False
    locations: dict[tuple[str, frozenset[str] | None], str | None] = field(default_factory=dict)
    items: dict[str, CatalogItem | None] = field(default_factory=dict)
    waited_for: set[Line] = field(default_factory=set)
    asked_lines: set[Line] = field(default_factory=set)
    book: WaitingBook | None = None  # the first in each line waited for, and what telling holds
    # Each stock report's level (``named_level``) by its sequence, found once by the batch's
    # lock and read again by its lines: asked twice, it was a tenth of the read-ahead's CPU
    # (issue 18's profile, ADR 77). None: a report naming no level (it says why itself).
    named: dict[int, Named | None] = field(default_factory=dict)

    def location(self, uow: UnitOfWork, ref: str, within: frozenset[str] | None) -> str | None:
        key = (ref, within)
        if self.holds and key in self.locations:
            return self.locations[key]
        return location_named(uow, ref, within)

    def catalog_item(self, uow: UnitOfWork, code: str) -> CatalogItem | None:
        folded = normalise(code)
        if self.holds and folded in self.items:
            return self.items[folded]
        return uow.catalog.get(folded)

    def level_named(self, uow: UnitOfWork, stored: StoredEvent, location_id: str) -> Named | None:
        """The catalog code (if any) and the waiting line's level the report writes, once."""
        if stored.sequence in self.named:
            return self.named[stored.sequence]
        data = stored.event.data
        try:
            found: Named | None = named_level(
                data, location_id, lambda code: self.catalog_item(uow, code)
            )
        except (KeyError, InvalidInput):  # the event itself will say what is wrong with it
            found = None
        self.named[stored.sequence] = found
        return found

    def nobody_waits(self, product: str, location_id: str) -> bool:
        """True only when the batch's read showed this line empty (and still holds)."""
        line = (product, location_id)
        return self.holds and line in self.asked_lines and line not in self.waited_for

    def waiting_book(self) -> WaitingBook | None:
        return self.book if self.holds else None

    def write_held(self, uow: UnitOfWork) -> None:
        """What telling held is written: before anything may read it, and before the commit."""
        if self.book is not None:
            self.book.flush(uow)

    def before(self, uow: UnitOfWork, stored: StoredEvent) -> None:
        """Called before each event: one of another type reads the database, held writes too."""
        if not is_stock_report(stored):
            self._end(uow)

    def after(self, uow: UnitOfWork, stored: StoredEvent, fired: bool) -> None:
        """Called after each event: one that could change what was read ends the read-ahead.

        ``fired``: a playbook fired with actions that may open or keep a promise.
        """
        if fired or not is_stock_report(stored):
            self._end(uow)

    def _end(self, uow: UnitOfWork) -> None:
        self.holds = False
        self.write_held(uow)
        self.book = None


def read_names(uow: UnitOfWork, batch: Sequence[StoredEvent]) -> BatchReads:
    """The locations and catalog items the batch's leading stock reports name.

    Apart from ``read_lines`` so that the batch's levels are locked (``batch_locks``) between
    the two: who waits is read once no other worker can tell them first.
    """
    leading = _leading(batch)
    reads = BatchReads(holds=bool(leading))
    if not leading:
        return reads
    codes: set[str] = set()
    for stored in leading:
        data, scope = stored.event.data, stored.event.sender_locations
        key = (str(data.get("location")), scope)
        if key not in reads.locations:
            reads.locations[key] = location_named(uow, key[0], scope)
        # The product too: whether its line is one the catalog knows (``watch_line``).
        for name in ("code", "variant", "product"):
            if data.get(name) is not None:
                codes.add(normalise(str(data[name])))
    reads.items = dict.fromkeys(codes)
    reads.items.update({item.code: item for item in uow.catalog.get_many(sorted(codes))})
    return reads


def read_lines(
    uow: UnitOfWork,
    reads: BatchReads,
    batch: Sequence[StoredEvent],
    tell_per_unit: int = DEFAULT_TELL_PER_UNIT,
    levels: Sequence[WantedItem] = (),
) -> None:
    """Which of the leading reports' (product, location) lines have anyone waiting, and the
    first few waiting in each (``waiting_book``): one query, and two for their channels; and
    the stock ``levels`` the batch will write (one more)."""
    if not reads.holds:
        return
    leading = _leading(batch)
    named = _lines_named(uow, reads, leading)
    reads.asked_lines = set(named)
    # Enough for one unit per report naming the line (and one passed over, ``read_book``); a
    # line that needs more (a delivery of many units) is read again from the database.
    told = {line: count * max(tell_per_unit, 1) for line, count in sorted(named.items())}
    reads.book, reads.waited_for = read_book(uow, told, reads.items, levels)


def _leading(batch: Sequence[StoredEvent]) -> list[StoredEvent]:
    leading: list[StoredEvent] = []
    for stored in batch:
        if not is_stock_report(stored):
            break  # what comes after it may see what it changed: it reads for itself
        leading.append(stored)
    return leading


def _lines_named(
    uow: UnitOfWork, reads: BatchReads, leading: Sequence[StoredEvent]
) -> dict[Line, int]:
    """The (product, location) line each leading report would look at, as the reaction finds
    it, with how many reports name it (the levels the batch's lock found, ``level_named``)."""
    lines: dict[Line, int] = {}
    for stored in leading:
        data = stored.event.data
        location_id = reads.locations.get(
            (str(data.get("location")), stored.event.sender_locations)
        )
        if location_id is None:
            continue
        named = reads.level_named(uow, stored, location_id)
        if named is None:
            continue
        level = named[1]
        line = (level.product, location_id)
        lines[line] = lines.get(line, 0) + 1
    return lines
