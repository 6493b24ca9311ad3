"""Open promises at scale, written straight into PostgreSQL with COPY.

Rows have the shapes ``make_promise`` and the repositories write: a promise row with its default
text and "made" evidence, a deadline timer whenever there is a deadline and a reminder timer
where ``REMINDER_LEAD`` leaves one in the future; a reminder whose moment has passed has fired,
so its row is gone and the promise's evidence says the owner was reminded. Every customer has an
e-mail and a phone identity, service consent on e-mail (a customer who asks to be told has agreed
to hear back), a marketing decision, name terms and the locations of their promises.

Not loaded: the audit entries ``make_promise`` also writes, and the reminder tasks of fired
reminders; neither is read by the benchmarks that use this data.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import psycopg
from psycopg.rows import TupleRow
from tqdm import tqdm

from bench.bulk_load import drop_keys_and_indexes, read_keys_and_indexes, restore_keys_and_indexes
from bench.customer_data import LOCATION_IDS, LOCATIONS, customer_ids, market_of, stored_phone
from heedful.core.catalog.model import normalise
from heedful.core.customers.model import search_terms
from heedful.core.promises.handlers import REMINDER_LEAD
from heedful.core.promises.model import NEEDS_DEADLINE, PromiseKind

CHUNK = 20_000
LOADED_TABLES = (
    "customers",
    "customer_locations",
    "name_terms",
    "identities",
    "consents",
    "promises",
    "timers",
)
VARIANTS = ("black", "camel")
SIZES = ("XS", "S", "M", "L")
ITEMS_PER_PRODUCT = len(VARIANTS) * len(SIZES) * len(LOCATION_IDS)
BY = ("system", "Heedful")  # made through the API by an integration: no staff owner
_DEADLINE_KINDS = tuple(sorted(NEEDS_DEADLINE | {PromiseKind.OTHER}))
_REFERENCED = (PromiseKind.REFUND_BY, PromiseKind.DELIVER_BY)  # an event names the order
_TEXT = {
    PromiseKind.CALL_BACK: "Call the customer back",
    PromiseKind.REPLY_BY: "Reply to the customer",
    PromiseKind.REFUND_BY: "Refund the customer",
    PromiseKind.DELIVER_BY: "Deliver the order",
    PromiseKind.OTHER: "Hold the window table for Friday",
}


@dataclass(frozen=True)
class Shape:
    """How many of what: ``waits`` is the share of "tell me when it is available" promises."""

    customers: int = 100_000
    promises: int = 1_000_000
    waits: float = 0.3
    items: int = 200_000  # distinct (product, variant, size, location) waited for
    due_now: int = 0  # deadline timers due at ``now``: promises the worker must break now
    any_size: float = 0.1  # waits for any size of the variant


@dataclass(frozen=True)
class Wanted:
    product: str
    variant: str
    size: str
    location_id: str


def wanted_item(index: int) -> Wanted:
    """Item ``index`` of the catalogue waited for: the same index names the same item."""
    product, rest = divmod(index, ITEMS_PER_PRODUCT)
    rest, location = divmod(rest, len(LOCATION_IDS))
    variant, size = divmod(rest, len(SIZES))
    return Wanted(f"sku-{product:06d}", VARIANTS[variant], SIZES[size], LOCATION_IDS[location])


@dataclass
class Population:
    customer_ids: list[str]
    due_promise_ids: list[str]
    rows: dict[str, int] = field(default_factory=lambda: dict.fromkeys(LOADED_TABLES, 0))


def _text(value: str) -> str:
    # COPY's text format reads backslash escapes; JSON and free text must not be taken for them.
    return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


def _ts(at: datetime | None) -> str:
    return "\\N" if at is None else at.isoformat()


def _evidence(at: datetime, kind: str, note: str) -> dict[str, str]:
    return {"at": at.isoformat(), "kind": kind, "note": note, "by": BY[1], "ref": ""}


class _Loader:
    def __init__(self, conn: psycopg.Connection[TupleRow], shape: Shape, seed: int) -> None:
        self.conn, self.shape, self.rng = conn, shape, random.Random(seed + 7)
        self.homes: list[str] = []
        self.places: list[set[str]] = []

    def _id(self, prefix: str) -> str:
        return f"{prefix}{self.rng.getrandbits(128):032x}"  # the shape of core.shared.ids.new_id

    def copy(self, population: Population, table: str, columns: str, lines: list[str]) -> None:
        with self.conn.cursor() as cur, cur.copy(f"COPY {table} ({columns}) FROM STDIN") as out:
            out.write("".join(lines))
        population.rows[table] += len(lines)

    def locations(self, now: datetime) -> None:
        created = _ts(now - timedelta(days=2000))
        lines = [f"{lid}\t{name}\t{kind}\t{city}\t{country}\t{tz}\t{created}\n"
                 for lid, name, kind, city, country, tz in LOCATIONS]  # fmt: skip
        with self.conn.cursor() as cur:
            cur.execute("SELECT id FROM locations")
            if cur.fetchall():
                return  # a database that already has them (tests reuse the loader)
            columns = "id, name, kind, city, country, time_zone, created_at"
            with cur.copy(f"COPY locations ({columns}) FROM STDIN") as out:
                out.write("".join(lines))

    def customers(self, ids: list[str], now: datetime, population: Population) -> None:
        rng = self.rng
        for start in range(0, len(ids), CHUNK):
            people: list[str] = []
            terms: list[str] = []
            idents: list[str] = []
            consents: list[str] = []
            for index in range(start, min(start + CHUNK, len(ids))):
                cid, market = ids[index], market_of(index)
                name = f"{rng.choice(market.first_names)} {rng.choice(market.last_names)}"
                created = _ts(now - timedelta(days=rng.random() * 1500 + 200))
                home = rng.choice(LOCATION_IDS)
                self.homes.append(home)
                self.places.append({home})
                people.append(
                    f"{cid}\t{name}\t{market.language}\t{market.time_zone}\tregular\t{home}\t"
                    f"\\N\tactive\t\\N\t\\N\t{created}\t{created}\n"
                )
                terms.extend(f"{term[:100]}\t{cid}\n" for term in search_terms(name))
                email, phone = f"customer.{index}@example.org", stored_phone(index)
                idents.append(f"{self._id('idn_')}\t{cid}\temail\t{email}\t\t{created}\tsystem\n")
                idents.append(f"{self._id('idn_')}\t{cid}\tphone\t{phone}\t\t{created}\tsystem\n")
                marketing = "t" if rng.random() < 0.6 else "f"
                for purpose, granted in (("service", "t"), ("marketing", marketing)):
                    consents.append(
                        f"{self._id('cns_')}\t{cid}\temail\t{purpose}\t{granted}\t{created}\t"
                        f"in person\tsystem\tHeedful\n"
                    )
            self.copy(
                population,
                "customers",
                "id, full_name, language, time_zone, segment, home_location_id, birthday,"
                " status, merged_into_id, erased_at, created_at, updated_at",
                people,
            )
            self.copy(population, "name_terms", "term, customer_id", terms)
            self.copy(
                population,
                "identities",
                "id, customer_id, kind, value, label, added_at, added_by",
                idents,
            )
            self.copy(
                population,
                "consents",
                "id, customer_id, channel, purpose, granted, decided_at, how, recorded_by,"
                " recorded_by_label",
                consents,
            )

    def promise(
        self, index: int, ids: list[str], made_at: datetime, now: datetime, due_now: bool
    ) -> tuple[str, list[str], str]:
        """One promise row and its timer rows, as make_promise writes them at ``made_at``."""
        rng, shape = self.rng, self.shape
        customer = rng.randrange(len(ids))
        wait = not due_now and rng.random() < shape.waits
        kind = PromiseKind.TELL_WHEN_AVAILABLE if wait else rng.choice(_DEADLINE_KINDS)
        product, variant, size = "\\N", "", ""
        if wait:
            item = wanted_item(rng.randrange(shape.items))
            product, variant, location = item.product, item.variant, item.location_id
            size = "" if rng.random() < shape.any_size else item.size
            label = " · ".join(part for part in (product, variant, size) if part)
            text = f"Tell the customer when {label} is available"
            # Codes as the engine stores and compares them: "S" from a till is "s" (catalog ADR).
            product, variant, size = normalise(product), normalise(variant), normalise(size)
        else:
            location = self.homes[customer] if rng.random() < 0.8 else rng.choice(LOCATION_IDS)
            text = _TEXT[kind]
        self.places[customer].add(location)
        due_at: datetime | None = None
        if due_now:  # its deadline passed minutes ago and the worker has not fired it yet
            due_at = max(
                made_at + timedelta(seconds=1), now - timedelta(seconds=rng.random() * 600)
            )
        elif kind in NEEDS_DEADLINE or rng.random() < 0.7:
            due_at = now + timedelta(seconds=3600 + rng.random() * 364 * 86400)
        pid = self._id("prm_")
        evidence = [_evidence(made_at, "made", text)]
        timers = self._timers(pid, kind, made_at, due_at, now, evidence)
        reference = f"R{index:09d}" if kind in _REFERENCED else ""
        row = (
            f"{pid}\t{ids[customer]}\t{location}\t{kind.value}\t{_text(text)}\t{BY[0]}\t{BY[1]}\t"
            f"{_ts(made_at)}\t{_ts(due_at)}\t\\N\topen\t\\N\t{product}\t{variant}\t{size}\t"
            f"{reference}\t\\N\t\t\\N\t{_text(json.dumps(evidence, ensure_ascii=False))}\n"
        )
        return row, timers, pid

    def _timers(
        self,
        pid: str,
        kind: PromiseKind,
        made_at: datetime,
        due_at: datetime | None,
        now: datetime,
        evidence: list[dict[str, str]],
    ) -> list[str]:
        if due_at is None:
            return []
        timers = []
        remind_at = due_at - REMINDER_LEAD[kind]
        if remind_at > made_at and kind is not PromiseKind.TELL_WHEN_AVAILABLE:
            if remind_at > now:
                timers.append(f"{self._id('tmr_')}\tpromise.reminder\t{pid}\t{_ts(remind_at)}\n")
            else:  # it has fired: the row is gone, the evidence stays
                evidence.append(_evidence(remind_at, "reminder", "owner reminded"))
        timers.append(f"{self._id('tmr_')}\tpromise.deadline\t{pid}\t{_ts(due_at)}\n")
        return timers

    def promises(self, ids: list[str], now: datetime, population: Population, bar: Any) -> None:
        shape = self.shape
        due = set(self.rng.sample(range(shape.promises), shape.due_now))
        # Made over the last 180 days in load order, so the database's sequence (the waiting
        # list's "first come") follows the time each promise was made, as it does in use.
        first, span = now - timedelta(days=180), timedelta(days=180) - timedelta(minutes=1)
        columns = (
            "id, customer_id, location_id, kind, text, made_by, made_by_label, made_at, due_at,"
            " due_in_business_minutes, state, owner_id, item_product, item_variant, item_size,"
            " reference, closed_at, closed_by_label, notice_message_id, evidence"
        )
        for start in range(0, shape.promises, CHUNK):
            rows, timers = [], []
            for index in range(start, min(start + CHUNK, shape.promises)):
                made_at = (first + span * (index / shape.promises)).replace(microsecond=0)
                row, its_timers, pid = self.promise(index, ids, made_at, now, index in due)
                rows.append(row)
                timers.extend(its_timers)
                if index in due:
                    population.due_promise_ids.append(pid)
            self.copy(population, "promises", columns, rows)
            self.copy(population, "timers", "id, kind, subject_id, due_at", timers)
            bar.update(len(rows))

    def customer_locations(self, ids: list[str], population: Population) -> None:
        lines = [f"{cid}\t{place}\n" for cid, places in zip(ids, self.places, strict=True)
                 for place in sorted(places)]  # fmt: skip
        for start in range(0, len(lines), CHUNK * 5):
            self.copy(population, "customer_locations", "customer_id, location_id",
                      lines[start : start + CHUNK * 5])  # fmt: skip


def load(conninfo: str, shape: Shape, seed: int, now: datetime) -> Population:
    """Fill a migrated database whose loaded tables are empty; VACUUM ANALYZE it afterwards.

    ``now`` is the benchmark's present: promises were made before it, deadlines fall in the
    year after it, except the ``due_now`` ones, due in the ten minutes up to it.
    """
    with psycopg.connect(conninfo) as conn:
        conn.execute("SET maintenance_work_mem = '1GB'")
        conn.execute("SET synchronous_commit = off")
        loader = _Loader(conn, shape, seed)
        loader.locations(now)
        schema = read_keys_and_indexes(conn, LOADED_TABLES)
        drop_keys_and_indexes(conn, schema)
        ids = customer_ids(seed, shape.customers)
        population = Population(ids, [])
        with tqdm(total=shape.customers, desc="customers", unit="row", unit_scale=True) as bar:
            loader.customers(ids, now, population)
            bar.update(shape.customers)
        with tqdm(total=shape.promises, desc="promises", unit="row", unit_scale=True) as bar:
            loader.promises(ids, now, population, bar)
        loader.customer_locations(ids, population)
        restore_keys_and_indexes(conn, schema)
        conn.commit()
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute("VACUUM (ANALYZE)")
    return population
