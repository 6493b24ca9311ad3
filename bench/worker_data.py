"""The standing data of ``worker_throughput``, written straight into SQLite or PostgreSQL.

Open "tell me when it is available" promises over the variants of one shop, and brand and size
preferences, in the shapes the repositories write; the business events the worker is fed, in
three mixes. Rows go in by executemany in chunks (portable, and at a million rows still a
minute or two), then ``ANALYZE``, as a production database must after a bulk import.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

from heedful.adapters.storage.promise_tables import promises, stock_levels
from heedful.adapters.storage.tables import consents, customers, identities, locations, preferences

CHUNK = 10_000
LOCATION = "loc_wt_shop"
SOURCE = "stock-system"
SIZES = ("XS", "S", "M", "L")
MIXES = {
    "none": "no event wakes anyone",
    "half": "half the events wake one promise",
    "quarter": "half wake one promise; a quarter also meet the brand-in-your-size playbook",
}


@dataclass(frozen=True)
class Shape:
    """How much stands: the issue asks 1,000,000 promises over 100,000 variants and 1,000,000
    preferences; the defaults are a fiftieth of that, to run in minutes on a busy machine."""

    promises: int = 20_000
    variants: int = 2_000
    preferences: int = 20_000
    customers: int = 2_000
    brands: int = 100  # each customer likes a few; an audience is ~ preferences / 2 / brands

    @property
    def waits_per_variant(self) -> int:
        return max(1, self.promises // self.variants)


def product(variant: int) -> str:
    return f"wt-{variant:07d}"


def size_of(variant: int) -> str:
    """As stock systems send it; the engine keeps sizes folded (``stored_size``)."""
    return SIZES[variant % len(SIZES)]


def stored_size(variant: int) -> str:
    return size_of(variant).casefold()


def brand(index: int) -> str:
    return f"Brand {index:04d}"


def customer_id(index: int) -> str:
    return f"cus_wt{index:026d}"


def _chunks(rows: Iterator[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    chunk: list[dict[str, Any]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _insert(conn: sa.Connection, table: sa.Table, rows: Iterator[dict[str, Any]]) -> int:
    count = 0
    for chunk in _chunks(rows):
        conn.execute(table.insert(), chunk)
        count += len(chunk)
    return count


def load(
    url: str, shape: Shape, seed: int, now: datetime, *, mail_domain: str = "example.org"
) -> dict[str, int]:
    """Write the standing data into a migrated, empty database; rows written per table.

    ``mail_domain``: of the customers' addresses, another where a database holds others'."""
    rng = random.Random(seed)
    engine = sa.create_engine(url)
    written: dict[str, int] = {}
    try:
        with engine.begin() as conn:
            conn.execute(
                locations.insert(),
                {"id": LOCATION, "name": "Podil shop", "kind": "boutique", "city": "Kyiv",
                 "country": "UA", "time_zone": "Europe/Kyiv", "created_at": now},
            )  # fmt: skip
            written["customers"] = _insert(conn, customers, _customers(shape, now))
            written["identities"] = _insert(conn, identities, _identities(shape, now, mail_domain))
            written["consents"] = _insert(conn, consents, _consents(shape, now))
            written["promises"] = _insert(conn, promises, _promises(shape, rng, now))
            written["stock_levels"] = _insert(conn, stock_levels, _levels(shape, now))
            written["preferences"] = _insert(conn, preferences, _preferences(shape, rng, now))
        with engine.connect() as conn:
            conn.exec_driver_sql("ANALYZE")
            conn.commit()
    finally:
        engine.dispose()
    return written


def _customers(shape: Shape, now: datetime) -> Iterator[dict[str, Any]]:
    for index in range(shape.customers):
        yield {
            "id": customer_id(index), "full_name": f"Customer {index}", "language": "uk",
            "time_zone": "Europe/Kyiv", "segment": "regular", "home_location_id": LOCATION,
            "birthday": None, "status": "active", "merged_into_id": None, "erased_at": None,
            "created_at": now, "updated_at": now,
        }  # fmt: skip


def _identities(shape: Shape, now: datetime, domain: str) -> Iterator[dict[str, Any]]:
    for index in range(shape.customers):
        yield {
            "id": f"idn_wt{index:026d}", "customer_id": customer_id(index), "kind": "email",
            "value": f"customer.{index}@{domain}", "label": "", "added_at": now,
            "added_by": "system",
        }  # fmt: skip


def _consents(shape: Shape, now: datetime) -> Iterator[dict[str, Any]]:
    for index in range(shape.customers):
        for number, purpose in enumerate(("service", "marketing")):
            yield {
                "id": f"cns_wt{number}{index:025d}", "customer_id": customer_id(index),
                "channel": "email", "purpose": purpose, "granted": True, "decided_at": now,
                "how": "in person", "recorded_by": "system", "recorded_by_label": "Heedful",
            }  # fmt: skip


def _promises(shape: Shape, rng: random.Random, now: datetime) -> Iterator[dict[str, Any]]:
    for index in range(shape.promises):
        variant = index % shape.variants
        made_at = now - timedelta(days=30) + timedelta(seconds=index)
        text = f"Tell the customer when {product(variant)} · black · {size_of(variant)} is back"
        evidence = [{"at": made_at.isoformat(), "kind": "made", "note": text, "by": "Heedful",
                     "ref": ""}]  # fmt: skip
        yield {
            "id": f"prm_wt{index:026d}", "customer_id": customer_id(rng.randrange(shape.customers)),
            "location_id": LOCATION, "kind": "tell_when_available", "text": text,
            "made_by": "system", "made_by_label": "Heedful", "made_at": made_at, "due_at": None,
            "due_in_business_minutes": None, "state": "open", "owner_id": None,
            "item_product": product(variant), "item_variant": "black",
            "item_size": stored_size(variant), "reference": "", "closed_at": None,
            "closed_by_label": "", "notice_message_id": None, "evidence": evidence,
            "text_key": None, "text_params": None,
        }  # fmt: skip


def _levels(shape: Shape, now: datetime) -> Iterator[dict[str, Any]]:
    for variant in range(shape.variants):
        yield {"product": product(variant), "variant": "black", "size": stored_size(variant),
               "location_id": LOCATION, "quantity": 0, "updated_at": now}  # fmt: skip


def _preferences(shape: Shape, rng: random.Random, now: datetime) -> Iterator[dict[str, Any]]:
    # Half brands, half sizes: "likes Brand 0042", "likes size M".
    for index in range(shape.preferences):
        is_brand = index % 2 == 0
        subject = brand(rng.randrange(shape.brands)) if is_brand else rng.choice(SIZES)
        yield {
            "id": f"prf_wt{index:026d}", "customer_id": customer_id(rng.randrange(shape.customers)),
            "polarity": "like", "category": "brand" if is_brand else "size", "subject": subject,
            "note": "", "source": "said", "confidence": 1.0, "location_id": None,
            "recorded_at": now, "recorded_by": "system", "recorded_by_label": "Heedful",
            "retracted_at": None, "retracted_by": None, "attributes": {},
        }  # fmt: skip


class Feed:
    """The business events of each mix, with stock that only goes up where someone waits.

    A waking event is one more unit of a variant someone waits for: the first in its line is
    told. A quiet one is a count for a variant nobody waits for. Calls with the same seed give
    the same events, so each configuration is fed the same stream.
    """

    def __init__(self, shape: Shape, seed: int, now: datetime) -> None:
        self.shape, self.rng, self.now = shape, random.Random(seed + 1), now
        self.on_hand = [0] * shape.variants
        self.told = [0] * shape.variants
        self.sent = 0

    def events(self, mix: str, count: int) -> list[dict[str, Any]]:
        return [self._event(mix, index) for index in range(count)]

    def _event(self, mix: str, index: int) -> dict[str, Any]:
        self.sent += 1
        data: dict[str, Any]
        wakes = mix != "none" and index % 2 == 0
        if wakes:
            variant = self._variant_with_someone_left()
            self.on_hand[variant] += 1
            self.told[variant] += 1
            data = {"product": product(variant), "variant": "black", "size": size_of(variant),
                    "location": LOCATION, "quantity": self.on_hand[variant]}  # fmt: skip
            if mix == "quarter" and index % 4 == 0:
                data["brand"] = brand(self.rng.randrange(self.shape.brands))
        else:
            # A count for something nobody waits for: read, written, nobody told.
            data = {"product": f"wt-quiet-{self.sent:08d}", "variant": "black", "size": "M",
                    "location": LOCATION, "quantity": 3}  # fmt: skip
        at = self.now + timedelta(milliseconds=self.sent)
        return {
            "specversion": "1.0", "id": f"evt-{self.sent:09d}", "source": SOURCE,
            "type": "heedful.stock.changed", "time": at.isoformat(), "data": data,
        }  # fmt: skip

    def _variant_with_someone_left(self) -> int:
        for _ in range(100):
            variant = self.rng.randrange(self.shape.variants)
            if self.told[variant] < self.shape.waits_per_variant:
                return variant
        raise RuntimeError("the feed ran out of waiting customers: load more promises")


def as_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
