"""The first of each waiting line a batch restocks, and its stock levels, read ahead; what
telling writes, held and written in bulk.

Measured (issue 18, ``bench/worker_throughput.py``): a stock report that wakes one customer cost
eight statements, each built, compiled and run on its own: the stock level read and written, the
line read and locked (``waiting_for``), her identities and consents, the message inserted, the
promise updated, the line read again. A batch of stock reports now reads, in one query each,
the first few waiting in each line it restocks (``PromiseRepository.waiting_in``), those
customers' identities and consents, and the stock levels it will write (``StockLevels.get_many``,
already locked on PostgreSQL by ``engine/batch_locks``). Telling one takes her from the book
and holds the message and the promise's change, as each report holds its level, until the
batch's run of stock reports ends, when they are written in a statement each (``flush``).
``flush`` first claims every promise the book handed out, in one statement (on PostgreSQL
``SELECT … FOR UPDATE SKIP LOCKED`` by id: two workers never tell her twice; SQLite has one
writer and needs none). Claimed one report at a time, that was a round trip per waking report
(ADR 71).

What the book gives is what ``waiting_for`` would have given, in the same order:
- a line is answered from the book only while it holds enough: a line read only in part (as
  many rows as the cap) whose matching customers run out is read from the database again, after
  the held writes are written, as before;
- a claim that comes back short (another worker holds her, or told her meanwhile) raises
  ``ClaimLost`` before anything is written: the engine undoes the batch's savepoint and handles
  its events again one by one, each reading its line with ``waiting_for``, which skips whom
  others hold, as it always did;
- anything that reads a line from the database (the line's places, ``line_of``), or a playbook
  that may look at messages and promises, sees the held writes first: ``flush`` before.

The book holds only while the batch's read-ahead holds (``engine/batch_reads``): stock reports
never add anyone to a line nor change a customer's identities or consents. A wish made by
another process after the book was read is not in it: the race between a batch's reads and its
commit that ADR 57 accepts (her own "tell at once" sees the stock committed so far).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from heedful.core.catalog import CatalogItem
from heedful.core.customers import ConsentDecision, Identity, Purpose
from heedful.core.outreach import Message, Suppress, choose_channel
from heedful.core.promises.model import Promise, WantedItem
from heedful.core.unit_of_work import UnitOfWork

Line = tuple[str, str]  # (product, location id)


class ClaimLost(Exception):
    """Promises handed out from the book that another worker holds, or has told, by the time
    the batch claims them (their ids in ``args[0]``)."""


@dataclass
class WaitingBook:
    lines: dict[Line, list[Promise]] = field(default_factory=dict)  # first come first
    complete: set[Line] = field(default_factory=set)  # read to their end
    identities: dict[str, list[Identity]] = field(default_factory=dict)
    consents: dict[str, list[ConsentDecision]] = field(default_factory=dict)
    catalog: dict[str, CatalogItem | None] = field(default_factory=dict)  # by exact code
    taken: set[str] = field(default_factory=set)  # handed out: told or passed over
    # The stock levels the batch's reports write, read ahead (None: never heard of), and what
    # they were set to, held until ``flush``.
    levels: dict[WantedItem, int | None] = field(default_factory=dict)
    existing: set[WantedItem] = field(default_factory=set)
    # Every write in order, not only the last: a level the database refuses (a number too big
    # for its column) fails the batch at ``flush``, and handled one by one, its own event.
    held_levels: list[tuple[WantedItem, int, datetime]] = field(default_factory=list)
    held_messages: list[Message] = field(default_factory=list)
    held_promises: list[Promise] = field(default_factory=list)
    held_lines: set[Line] = field(default_factory=set)
    # Those handed out from the book and not yet claimed (``flush`` claims them at once).
    unclaimed: list[str] = field(default_factory=list)

    def waiting_for(self, uow: UnitOfWork, item: WantedItem, limit: int) -> list[Promise]:
        """As ``uow.promises.waiting_for``: the first ``limit`` this item fulfils, claimed."""
        line = (item.product, item.location_id)
        matches = [
            promise
            for promise in self.lines.get(line, ())
            if promise.id not in self.taken
            and promise.item is not None
            and promise.item.variant in ("", item.variant)
            and promise.item.size in ("", item.size)
        ][:limit]
        enough = len(matches) == limit or line in self.complete
        if enough and matches:
            # Claimed with the batch's others at ``flush``, in one statement (ADR 71).
            self.unclaimed.extend(promise.id for promise in matches)
        else:  # read only in part: as before
            self.flush(uow)
            matches = uow.promises.waiting_for(item, limit)
        self.taken.update(promise.id for promise in matches)
        return matches

    def unreachable(self, uow: UnitOfWork, customer_id: str) -> Suppress | None:
        """No channel she consented to for service messages reaches her (read ahead if known)."""
        if customer_id in self.identities:
            found, decisions = self.identities[customer_id], self.consents[customer_id]
        else:
            found, decisions = (
                uow.identities.list_for(customer_id),
                uow.consents.list_for(customer_id),
            )
        decision = choose_channel(found, decisions, Purpose.SERVICE)
        return decision if isinstance(decision, Suppress) else None

    def set_level(
        self, uow: UnitOfWork, item: WantedItem, quantity: int, at: datetime
    ) -> int | None:
        """As ``uow.stock.set``: the units on hand recorded, what they were returned."""
        if item not in self.levels:
            return uow.stock.set(item, quantity, at)
        before = self.levels[item]
        self.levels[item] = quantity
        self.held_levels.append((item, quantity, at))
        return before

    def catalog_item(self, uow: UnitOfWork, code: str) -> CatalogItem | None:
        """As ``uow.catalog.get(code)``, from the batch's read-ahead when it asked that code."""
        if code in self.catalog:
            return self.catalog[code]
        return uow.catalog.get(code)

    def hold(self, line: Line, message: Message, promise: Promise) -> None:
        """A message to queue and her promise's change, written together at ``flush``."""
        self.held_messages.append(message)
        self.held_promises.append(promise)
        self.held_lines.add(line)

    def holds_writes_in(self, line: Line) -> bool:
        return line in self.held_lines

    def claim_handed_out(self, uow: UnitOfWork) -> None:
        """Those handed out since the last claim, claimed in one statement; ``ClaimLost`` when
        any is held by another worker or no longer waits. Before anything changes one of them
        (``flush``; passing her over, which no longer leaves her waiting)."""
        if not self.unclaimed:
            return
        wanted = set(self.unclaimed)
        self.unclaimed = []
        held = uow.promises.claim_waiting(sorted(wanted))
        if len(held) < len(wanted):
            raise ClaimLost(sorted(wanted - held))

    def flush(self, uow: UnitOfWork) -> None:
        """The claims of those handed out, then the held levels, messages and the promises
        that name them: a statement each.

        Raises ``ClaimLost`` (and writes nothing) when another worker holds one of them or told
        her meanwhile: what the batch decided after handing her out may be wrong, so the caller
        undoes it and handles the events again, each reading its line for itself.
        """
        self.claim_handed_out(uow)
        if self.held_levels:
            # A level never heard of is inserted by its first write; every other write, in
            # order, updates (the last one is what stays).
            inserted, updated = [], []
            for held in self.held_levels:
                if held[0] in self.existing:
                    updated.append(held)
                else:
                    inserted.append(held)
                    self.existing.add(held[0])
            uow.stock.put_many(inserted, new=True)
            uow.stock.put_many(updated, new=False)
            self.held_levels = []
        if not self.held_messages:
            return
        uow.outbox.add_many(self.held_messages)
        # Telling changed only her notice and evidence (``back_in_stock._telling``).
        uow.promises.update_notices(self.held_promises)
        self.held_messages, self.held_promises = [], []
        self.held_lines.clear()


def read_book(
    uow: UnitOfWork,
    lines: Mapping[Line, int],
    catalog: dict[str, CatalogItem | None] | None = None,
    levels: Sequence[WantedItem] = (),
) -> tuple[WaitingBook, set[Line]]:
    """For each line, as many waiting as it is expected to tell (``lines[line]``) and one more
    (in case one is passed over), and the channels of those expected to be told; also which
    lines have anyone waiting (those the read found). ``catalog``: items the batch read ahead,
    by code (None: no item with that code); ``levels``: the stock levels it will write (on
    PostgreSQL already locked, ``engine/batch_locks``).

    Each line reads its own number, not the most any line wants: a batch where one line is
    named twice read three for every line, and the channels of all of them, though one in
    three was told (ADR 65). Whoever else is reached reads her channels then, as before.
    """
    book = WaitingBook(catalog=dict(catalog or {}))
    found_levels = uow.stock.get_many(levels)
    book.levels = {item: found_levels.get(item) for item in levels}
    book.existing = set(found_levels)
    per_line = {line: max(told, 1) + 1 for line, told in lines.items()}
    for promise in uow.promises.waiting_in(per_line):
        if promise.item is not None:
            book.lines.setdefault((promise.item.product, promise.location_id), []).append(promise)
    book.complete = {line for line, found in book.lines.items() if len(found) < per_line[line]}
    customers = sorted(
        {p.customer_id for line, found in book.lines.items() for p in found[: lines[line]]}
    )
    identities = uow.identities.list_for_many(customers)
    consents = uow.consents.list_for_many(customers)
    book.identities = {customer: identities.get(customer, []) for customer in customers}
    book.consents = {customer: consents.get(customer, []) for customer in customers}
    return book, set(book.lines)
