"""Customer memory at scale, written straight into PostgreSQL with COPY.

Rows have the shape the repositories in ``heedful.adapters.storage`` write and read: ids with their
prefixes, identities normalised as ``core/customers/identities.py`` does, folded name terms, history
items as ``SqlHistory`` stores them.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import psycopg
from psycopg.rows import TupleRow
from tqdm import tqdm

from bench.bulk_load import (
    drop_keys_and_indexes,
    read_keys_and_indexes,
    restore_keys_and_indexes,
)
from heedful.adapters.clock import SystemClock
from heedful.core.customers.model import search_terms

CHUNK = 20_000
_NULL = "\\N"  # COPY text format
LOADED_TABLES = (
    "customers",
    "customer_locations",
    "name_terms",
    "identities",
    "consents",
    "preferences",
    "history",
    "bookings",
    "orders",
    "accounts",
)
LOCATIONS = (
    ("loc_bench_boutique", "Podil boutique", "boutique", "Kyiv", "UA", "Europe/Kyiv"),
    ("loc_bench_hotel", "Arbat hotel", "hotel", "Moscow", "RU", "Europe/Moscow"),
    ("loc_bench_restaurant", "Harbour restaurant", "restaurant", "Odesa", "UA", "Europe/Kyiv"),
    ("loc_bench_bank", "City branch", "bank_branch", "London", "GB", "Europe/London"),
)
LOCATION_IDS = tuple(loc[0] for loc in LOCATIONS)


@dataclass(frozen=True)
class Market:
    language: str
    time_zone: str
    currency: str
    first_names: tuple[str, ...]
    last_names: tuple[str, ...]


RU = Market(
    "ru",
    "Europe/Moscow",
    "RUB",
    ("Анна", "Мария", "Ольга", "Елена", "Наталья", "Сергей", "Алексей", "Дмитрий", "Артём"),
    ("Иванова", "Смирнова", "Кузнецов", "Попов", "Соколова", "Лебедев", "Новиков", "Фёдорова"),
)
UK = Market(
    "uk",
    "Europe/Kyiv",
    "UAH",
    ("Олена", "Ірина", "Оксана", "Тетяна", "Андрій", "Олександр", "Юрій", "Богдан", "Їжак"),
    ("Коваленко", "Шевченко", "Бондаренко", "Ткаченко", "Кравчук", "Мельник", "Олійник"),
)
EN = Market(
    "en",
    "Europe/London",
    "GBP",
    ("Emma", "Olivia", "Amelia", "Jack", "Harry", "Oliver", "George", "Zoë", "Chloé"),
    ("Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies"),
)
# Half the customers in Russia, 30 % in Ukraine, 20 % in the UK: the seeds' markets.
_MARKET_SLOTS = (RU, RU, RU, RU, RU, UK, UK, UK, EN, EN)


def market_of(index: int) -> Market:
    return _MARKET_SLOTS[index % len(_MARKET_SLOTS)]


def _subscriber(index: int) -> str:
    # A bijection on 0..10**9-1 (48271 is prime to 10): every customer gets a distinct number.
    return f"{(index * 48271 + 12345) % 10**9:09d}"


def stored_phone(index: int) -> str:
    """The phone as Heedful stores it: normalised, '+' and digits."""
    number = _subscriber(index)
    market = market_of(index)
    if market is RU:
        return f"+79{number}"
    if market is UK:
        return f"+380{number}"
    return f"+447{number}"


def typed_phone(index: int) -> str:
    """The same phone as staff type it at the till, in the national form where there is one."""
    n = _subscriber(index)
    market = market_of(index)
    if market is RU:
        return f"8 9{n[:2]} {n[2:5]}-{n[5:7]}-{n[7:]}"
    if market is UK:
        return f"0{n[:2]} {n[2:5]} {n[5:7]} {n[7:]}"
    return f"+44 7{n[:3]} {n[3:]}"


def phone_digits(index: int) -> str:
    return stored_phone(index)[1:]


def _email(index: int) -> str:
    return f"customer.{index}@example.org"


_SEGMENTS = ("new",) * 3 + ("regular",) * 5 + ("vip", "at_risk")
_POLARITIES = ("like",) * 7 + ("dislike",) * 2 + ("never",)
_SOURCES = ("said",) * 10 + ("observed",) * 7 + ("inferred",) * 3
_SUBJECTS = (
    ("drink", "flat white"),
    ("drink", "oat milk"),
    ("drink", "sparkling water"),
    ("drink", "green tea"),
    ("food", "nuts"),
    ("food", "seafood"),
    ("food", "gluten-free menu"),
    ("room", "high floor"),
    ("room", "quiet room away from the lift"),
    ("room", "twin beds"),
    ("size", "EU 38"),
    ("size", "M"),
    ("brand", "Max Mara"),
    ("brand", "Loro Piana"),
    ("seating", "window table"),
    ("seating", "terrace"),
    ("communication", "no calls before 10:00"),
    ("communication", "e-mail only"),
    ("service", "the same stylist"),
    ("other", "brings a small dog"),
)
_HABITS = (
    ("purchase", {"drink": "flat white", "size": "M"}, 9000),
    ("purchase", {"drink": "espresso"}, 6000),
    ("purchase", {"item": "silk scarf", "colour": "navy", "brand": "Max Mara"}, 1_250_000),
    ("purchase", {"item": "cashmere jumper", "size": "M", "brand": "Loro Piana"}, 4_900_000),
    ("visit", {"room_type": "junior suite"}, 2_400_000),
    ("visit", {"room_type": "double, high floor"}, 1_100_000),
    ("visit", {"table": "window", "dish": "borscht"}, 320_000),
    ("visit", {"table": "terrace", "drink": "sparkling water"}, 150_000),
)
# Precomputed: the JSON exactly as SqlHistory writes `items`.
_HABIT_ROWS = tuple(
    (kind, json.dumps([{"attributes": attrs, "quantity": 1, "amount_minor": amount}]), amount)
    for kind, attrs, amount in _HABITS
)


def _hex_id(rng: random.Random, prefix: str) -> str:
    # The shape of heedful.core.shared.ids.new_id, drawn from a seeded generator.
    return f"{prefix}{rng.getrandbits(128):032x}"


def _ts(at: datetime) -> str:
    return at.isoformat()


def customer_ids(seed: int, count: int) -> list[str]:
    """The customers' ids in load order: the same seed gives the same ids, so a kept database
    can be measured again (``--database-url``) without loading it again."""
    rng = random.Random(seed)
    return [_hex_id(rng, "cus_") for _ in range(count)]


@dataclass(frozen=True)
class Population:
    customer_ids: list[str]
    rows: dict[str, int]


def _copy(conn: psycopg.Connection[TupleRow], table: str, columns: str, lines: list[str]) -> None:
    with conn.cursor() as cur, cur.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        copy.write("".join(lines))


class _Loader:
    def __init__(self, conn: psycopg.Connection[TupleRow], seed: int) -> None:
        self.conn = conn
        self.rng = random.Random(seed + 1)
        self.now = SystemClock().now().replace(microsecond=0)
        self.rows = dict.fromkeys(LOADED_TABLES, 0)
        self._terms: dict[str, set[str]] = {}

    def _put(self, table: str, columns: str, lines: list[str]) -> None:
        if lines:
            _copy(self.conn, table, columns, lines)
            self.rows[table] += len(lines)

    def _ago(self, max_days: float) -> datetime:
        return self.now - timedelta(seconds=self.rng.random() * max_days * 86400)

    def locations(self) -> None:
        created = _ts(self.now - timedelta(days=2000))
        lines = [f"{lid}\t{name}\t{kind}\t{city}\t{country}\t{tz}\t{created}\n"
                 for lid, name, kind, city, country, tz in LOCATIONS]  # fmt: skip
        _copy(self.conn, "locations", "id, name, kind, city, country, time_zone, created_at", lines)

    def customers(self, ids: list[str], progress: Callable[[int], object]) -> None:
        count = len(ids)
        for start in range(0, count, CHUNK):
            self._customer_chunk(ids, start, min(start + CHUNK, count))
            progress(min(start + CHUNK, count) - start)

    def _customer_chunk(self, ids: list[str], start: int, stop: int) -> None:
        rng = self.rng
        people: list[str] = []
        places: list[str] = []
        terms: list[str] = []
        idents: list[str] = []
        consents: list[str] = []
        for index in range(start, stop):
            cid = ids[index]
            market = market_of(index)
            name = f"{rng.choice(market.first_names)} {rng.choice(market.last_names)}"
            created = _ts(self._ago(5 * 365))
            home = rng.choice(LOCATION_IDS)
            born = f"{rng.randint(1950, 2005)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            people.append(
                f"{cid}\t{name}\t{market.language}\t{market.time_zone}\t{rng.choice(_SEGMENTS)}\t"
                f"{home}\t{born if rng.random() < 0.6 else _NULL}\tactive\t\\N\t\\N\t"
                f"{created}\t{created}\n"
            )
            places.append(f"{cid}\t{home}\n")
            if rng.random() < 0.3:
                other = rng.choice(LOCATION_IDS)
                if other != home:
                    places.append(f"{cid}\t{other}\n")
            if name not in self._terms:
                self._terms[name] = {t[:100] for t in search_terms(name)}
            terms.extend(f"{term}\t{cid}\n" for term in self._terms[name])
            idn = _hex_id(rng, "idn_")
            idents.append(f"{idn}\t{cid}\temail\t{_email(index)}\t\t{created}\tsystem\n")
            idn = _hex_id(rng, "idn_")
            idents.append(f"{idn}\t{cid}\tphone\t{stored_phone(index)}\t\t{created}\tsystem\n")
            granted = "t" if rng.random() < 0.7 else "f"
            consents.append(
                f"{_hex_id(rng, 'cns_')}\t{cid}\temail\tmarketing\t{granted}\t{created}\t"
                f"web form\tsystem\tHeedful\n"
            )
        self._put(
            "customers",
            "id, full_name, language, time_zone, segment, home_location_id, birthday, status,"
            " merged_into_id, erased_at, created_at, updated_at",
            people,
        )
        self._put("customer_locations", "customer_id, location_id", places)
        self._put("name_terms", "term, customer_id", terms)
        self._put("identities", "id, customer_id, kind, value, label, added_at, added_by", idents)
        self._put(
            "consents",
            "id, customer_id, channel, purpose, granted, decided_at, how, recorded_by,"
            " recorded_by_label",
            consents,
        )

    def preferences(self, ids: list[str], count: int, progress: Callable[[int], object]) -> None:
        # Each preference goes to a random customer, so one customer's rows are scattered over
        # the table as they are when preferences are recorded over years, not stored together.
        rng = self.rng
        columns = (
            "id, customer_id, polarity, category, subject, note, source, confidence, location_id,"
            " recorded_at, recorded_by, recorded_by_label, retracted_at, retracted_by"
        )
        for start in range(0, count, CHUNK):
            lines = []
            for _ in range(start, min(start + CHUNK, count)):
                category, subject = rng.choice(_SUBJECTS)
                source = rng.choice(_SOURCES)
                confidence = {"said": 1.0, "observed": 0.8}.get(source) or round(
                    0.5 + rng.random() * 0.4, 2
                )
                recorded = self._ago(3 * 365)
                location = rng.choice(LOCATION_IDS) if rng.random() < 0.7 else _NULL
                retracted = (
                    f"{_ts(recorded + timedelta(days=30))}\tsystem"
                    if rng.random() < 0.05
                    else "\\N\t\\N"
                )
                lines.append(
                    f"{_hex_id(rng, 'prf_')}\t{rng.choice(ids)}\t{rng.choice(_POLARITIES)}\t"
                    f"{category}\t{subject}\t\t{source}\t{confidence}\t{location}\t"
                    f"{_ts(recorded)}\tsystem\tHeedful\t{retracted}\n"
                )
            self._put("preferences", columns, lines)
            progress(len(lines))

    def history(self, ids: list[str], count: int, progress: Callable[[int], object]) -> None:
        rng = self.rng
        columns = (
            "id, customer_id, kind, occurred_at, recorded_at, location_id, items, amount_minor,"
            " currency, external_ref, note"
        )
        for start in range(0, count, CHUNK):
            lines = []
            for ref in range(start, min(start + CHUNK, count)):
                index = rng.randrange(len(ids))
                # Most visits repeat the customer's habit, so "the usual" has something to find.
                habit = index % len(_HABIT_ROWS) if rng.random() < 0.7 else None
                kind, items, amount = _HABIT_ROWS[
                    habit if habit is not None else rng.randrange(len(_HABIT_ROWS))
                ]
                occurred = _ts(self._ago(2 * 365))
                lines.append(
                    f"{_hex_id(rng, 'his_')}\t{ids[index]}\t{kind}\t{occurred}\t{occurred}\t"
                    f"{rng.choice(LOCATION_IDS)}\t{items}\t{amount}\t{market_of(index).currency}\t"
                    f"R{ref:010d}\t\n"
                )
            self._put("history", columns, lines)
            progress(len(lines))


@dataclass(frozen=True)
class Dealings:
    """How many bookings, orders (with their lines) and accounts go to random customers."""

    bookings: int = 0
    orders: int = 0
    accounts: int = 0


_ROOM_TYPES = ("standard", "deluxe", "suite")
_ORDER_STATUSES = ("new", "processing", "shipped", "delivered", "completed", "completed")
_LINE_ITEMS = (
    {"product": "selene", "colour": "black", "size": "m"},
    {"product": "lb-205", "brand": "lypky"},
    {"product": "scarf", "colour": "navy"},
    {"product": "gloves", "size": "7"},
)


def _dealings(
    loader: _Loader, ids: list[str], wanted: Dealings, bar: Callable[[int], object]
) -> None:
    """Bookings (stays and tables, past and to come), orders with 1 to 4 lines, accounts: each
    to a random customer, so one customer's rows are scattered as after years of use."""
    rng, now = loader.rng, loader.now
    at = _ts(now)
    columns = (
        "id, kind, location_id, reference, customer_id, status, starts_at, ends_at, room_type,"
        " room, table_name, guests, as_of, created_at, updated_at"
    )
    for start in range(0, wanted.bookings, CHUNK):
        lines = []
        for ref in range(start, min(start + CHUNK, wanted.bookings)):
            starts = now + timedelta(days=rng.uniform(-400, 60))
            if ref % 2:
                where, kind, room, table = (
                    "loc_bench_hotel",
                    "stay",
                    f"{rng.randint(1, 9)}{rng.randint(10, 40)}",
                    "",
                )
                ends = _ts(starts + timedelta(days=rng.randint(1, 7)))
            else:
                where, kind, room, table = (
                    "loc_bench_restaurant",
                    "table",
                    "",
                    f"T{rng.randint(1, 30)}",
                )
                ends = _NULL
            status = "booked" if starts > now - timedelta(days=1) else "completed"
            room_type = rng.choice(_ROOM_TYPES) if room else ""
            lines.append(
                f"{_hex_id(rng, 'bkg_')}\t{kind}\t{where}\tB{ref:010d}\t{rng.choice(ids)}\t"
                f"{status}\t{_ts(starts)}\t{ends}\t{room_type}\t{room}\t{table}\t"
                f"{rng.randint(1, 6)}\t{at}\t{at}\t{at}\n"
            )
        loader._put("bookings", columns, lines)
        bar(len(lines))
    columns = (
        "id, location_id, reference, customer_id, status, lines, promised_on, expected_on,"
        " carrier, tracking_number, total_minor, currency, as_of, created_at, updated_at"
    )
    for start in range(0, wanted.orders, CHUNK):
        lines = []
        for ref in range(start, min(start + CHUNK, wanted.orders)):
            items = [
                {
                    "attributes": rng.choice(_LINE_ITEMS),
                    "quantity": rng.randint(1, 3),
                    "amount": 250000,
                }
                for _ in range(rng.randint(1, 4))
            ]
            promised = (now + timedelta(days=rng.uniform(-300, 14))).date()
            text = json.dumps(items, ensure_ascii=False).replace("\\", "\\\\")
            lines.append(
                f"{_hex_id(rng, 'ord_')}\tloc_bench_boutique\tO{ref:010d}\t{rng.choice(ids)}\t"
                f"{rng.choice(_ORDER_STATUSES)}\t{text}\t{promised}\t{promised}\tNova Poshta\t"
                f"20450{ref:09d}\t{250000 * len(items)}\tUAH\t{at}\t{at}\t{at}\n"
            )
        loader._put("orders", columns, lines)
        bar(len(lines))
    columns = (
        "id, location_id, reference, customer_id, currency, balance_minor, limit_minor,"
        " next_charge_at, next_charge_minor, card_expires_on, as_of, created_at, updated_at"
    )
    for start in range(0, wanted.accounts, CHUNK):
        lines = []
        for ref in range(start, min(start + CHUNK, wanted.accounts)):
            charge = _ts(now + timedelta(days=rng.uniform(0, 30)))
            expires = (now + timedelta(days=rng.uniform(-30, 1500))).date()
            lines.append(
                f"{_hex_id(rng, 'acc_')}\tloc_bench_bank\tUA{ref:012d}\t{rng.choice(ids)}\tGBP\t"
                f"{rng.randint(0, 5_000_000)}\t{rng.choice(('500000', _NULL))}\t{charge}\t"
                f"{rng.randint(1000, 90000)}\t{expires}\t{at}\t{at}\t{at}\n"
            )
        loader._put("accounts", columns, lines)
        bar(len(lines))


def load(
    conninfo: str,
    customers: int,
    preferences: int,
    history: int,
    seed: int,
    dealings: Dealings = Dealings(),
) -> Population:
    """Fill a migrated, empty database; VACUUM ANALYZE it so that plans and the visibility map
    are those of a settled database (and autovacuum does not start in the middle of a timing)."""
    with psycopg.connect(conninfo) as conn:
        conn.execute("SET maintenance_work_mem = '1GB'")
        conn.execute("SET synchronous_commit = off")
        loader = _Loader(conn, seed)
        loader.locations()
        schema = read_keys_and_indexes(conn, LOADED_TABLES)
        drop_keys_and_indexes(conn, schema)
        with tqdm(total=customers, desc="customers", unit="row", unit_scale=True) as bar:
            ids = customer_ids(seed, customers)
            loader.customers(ids, bar.update)
        with tqdm(total=preferences, desc="preferences", unit="row", unit_scale=True) as bar:
            loader.preferences(ids, preferences, bar.update)
        with tqdm(total=history, desc="history", unit="row", unit_scale=True) as bar:
            loader.history(ids, history, bar.update)
        total = dealings.bookings + dealings.orders + dealings.accounts
        with tqdm(
            total=total, desc="bookings, orders, accounts", unit="row", unit_scale=True
        ) as bar:
            _dealings(loader, ids, dealings, bar.update)
        restore_keys_and_indexes(conn, schema)
        conn.commit()
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute("VACUUM (ANALYZE)")
    return Population(ids, loader.rows)
