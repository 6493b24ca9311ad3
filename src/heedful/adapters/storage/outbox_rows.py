"""The outbox's messages, and the stock levels a back-in-stock message is checked against."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, RowMapping

from heedful.adapters.storage.claiming import by_keys, key_arrays, lock_in_order
from heedful.adapters.storage.phrase_columns import phrase_of, phrase_values
from heedful.adapters.storage.promise_tables import messages, stock_levels
from heedful.adapters.storage.unreadable import note_unreadable, read_queue, text
from heedful.core.customers.consent import Purpose
from heedful.core.dead_letters.model import LetterKind
from heedful.core.outreach.outbox import Message, MessageStatus
from heedful.core.promises.model import (
    WantedItem,
)

# Built once, with bound parameters: every stock report reads and writes its level, and building
# the four comparisons per call cost more CPU than running the statement (issue 18's profile).
_LEVEL_KEY = (
    stock_levels.c.product == sa.bindparam("key_product"),
    stock_levels.c.variant == sa.bindparam("key_variant"),
    stock_levels.c.size == sa.bindparam("key_size"),
    stock_levels.c.location_id == sa.bindparam("key_location_id"),
)
_LEVEL = sa.select(stock_levels.c.quantity).where(*_LEVEL_KEY)
_LEVEL_LOCKED = _LEVEL.with_for_update()
_LEVEL_UPDATE = (
    stock_levels.update()
    .where(*_LEVEL_KEY)
    .values(quantity=sa.bindparam("new_quantity"), updated_at=sa.bindparam("new_updated_at"))
)
_LEVEL_INSERT = stock_levels.insert()
_KEY = ("product", "variant", "size", "location_id")
# SQLite only (``_get_each``): one level by its primary key, prepared once by the driver.
_LEVEL_BY_KEY = (
    "SELECT quantity FROM stock_levels"
    " WHERE product = ? AND variant = ? AND size = ? AND location_id = ?"
)


def _level_key(item: WantedItem) -> dict[str, Any]:
    return {"key_product": item.product, "key_variant": item.variant, "key_size": item.size,
            "key_location_id": item.location_id}  # fmt: skip


class SqlStockLevels:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def get(self, item: WantedItem) -> int | None:
        return self._conn.scalar(_LEVEL, _level_key(item))

    def lock(self, items: Sequence[WantedItem]) -> None:
        keys = ((i.product, i.variant, i.size, i.location_id) for i in items)
        lock_in_order(self._conn, stock_levels, _KEY, keys)

    def get_many(self, items: Sequence[WantedItem]) -> dict[WantedItem, int]:
        wanted = {(i.product, i.variant, i.size, i.location_id): i for i in items}
        keys = sorted(wanted)
        found: dict[WantedItem, int] = {}
        columns = (stock_levels.c.product, stock_levels.c.variant, stock_levels.c.size,
                   stock_levels.c.location_id)  # fmt: skip
        if self._conn.dialect.name == "postgresql" and keys:
            keyed = by_keys(stock_levels, _KEY, (*columns, stock_levels.c.quantity))
            for product, variant, size, location_id, quantity in self._conn.execute(
                keyed, key_arrays(_KEY, keys)
            ):
                found[wanted[(product, variant, size, location_id)]] = int(quantity)
            return found
        if self._conn.dialect.name == "sqlite":
            return self._get_each(wanted, keys)
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            query = sa.select(*columns, stock_levels.c.quantity).where(
                sa.tuple_(*columns).in_(chunk)
            )
            for product, variant, size, location_id, quantity in self._conn.execute(query):
                found[wanted[(product, variant, size, location_id)]] = int(quantity)
        return found

    def _get_each(
        self,
        wanted: dict[tuple[str, str, str, str], WantedItem],
        keys: list[tuple[str, str, str, str]],
    ) -> dict[WantedItem, int]:
        """SQLite: each level by its key, one prepared look-up on the driver's cursor per key.

        A list of row values made SQLite scan the whole table unless the products were named
        too (ADR 73); even so, SQLAlchemy built and compiled the statement anew for each
        batch's count of keys, a tenth of the read-ahead's CPU at the issue's size (ADR 77).
        A look-up by the primary key is a few microseconds in process, with no round trip.
        """
        found: dict[WantedItem, int] = {}
        cursor = self._conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        try:
            for key in keys:
                cursor.execute(_LEVEL_BY_KEY, key)
                row = cursor.fetchone()
                if row is not None:
                    found[wanted[key]] = int(row[0])
        finally:
            cursor.close()
        return found

    def put_many(self, levels: Sequence[tuple[WantedItem, int, datetime]], *, new: bool) -> None:
        if not levels:
            return
        if new:
            rows = [{"product": item.product, "variant": item.variant, "size": item.size,
                     "location_id": item.location_id, "quantity": quantity, "updated_at": at}
                    for item, quantity, at in levels]  # fmt: skip
            self._conn.execute(_LEVEL_INSERT, rows)
            return
        changed = [_level_key(item) | {"new_quantity": quantity, "new_updated_at": at}
                   for item, quantity, at in levels]  # fmt: skip
        self._conn.execute(_LEVEL_UPDATE, changed)

    def set(self, item: WantedItem, quantity: int, at: datetime) -> int | None:
        key = _level_key(item)
        postgres = self._conn.dialect.name == "postgresql"
        before = self._conn.scalar(_LEVEL_LOCKED if postgres else _LEVEL, key)
        if before is None:
            self._conn.execute(
                _LEVEL_INSERT,
                {"product": item.product, "variant": item.variant, "size": item.size,
                 "location_id": item.location_id, "quantity": quantity, "updated_at": at},
            )  # fmt: skip
        else:
            self._conn.execute(
                _LEVEL_UPDATE, key | {"new_quantity": quantity, "new_updated_at": at}
            )
        return before


def _message(row: RowMapping) -> Message:
    return Message(
        id=row["id"],
        customer_id=row["customer_id"],
        template_key=row["template_key"],
        purpose=Purpose(row["purpose"]),
        created_at=row["created_at"],
        ready_at=row["ready_at"],
        location_id=row["location_id"],
        promise_id=row["promise_id"],
        context=row["context"],
        status=MessageStatus(row["status"]),
        reason=row["reason"],
        attempts=row["attempts"],
        channel=row["channel"],
        to=row["to_address"],
        language=row["language"],
        subject=row["subject"],
        text=row["text"],
        sent_at=row["sent_at"],
        provider_ref=row["provider_ref"],
        reason_phrase=phrase_of(row, "reason"),
    )


def _message_values(m: Message) -> dict[str, Any]:
    return {
        "id": m.id,
        "customer_id": m.customer_id,
        "template_key": m.template_key,
        "purpose": m.purpose.value,
        "created_at": m.created_at,
        "ready_at": m.ready_at,
        "location_id": m.location_id,
        "promise_id": m.promise_id,
        "context": m.context,
        "status": m.status.value,
        "reason": m.reason[:500],
        "attempts": m.attempts,
        "channel": m.channel,
        "to_address": m.to,
        "language": m.language,
        "subject": m.subject[:500],
        "text": m.text,
        "sent_at": m.sent_at,
        "provider_ref": m.provider_ref[:500],
        **phrase_values("reason", m.reason_phrase),
    }


_WAITING = [s.value for s in MessageStatus if s.is_waiting]
# Built once: the relay updates a message two or three times per send, and building the
# statement with its values inside costs more CPU than running it (as customer_rows says).
_UPDATE = messages.update().where(messages.c.id == sa.bindparam("message_id"))
_INSERT = messages.insert()


class SqlOutbox:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, message: Message) -> None:
        self._conn.execute(_INSERT, _message_values(message))

    def add_many(self, added: Sequence[Message]) -> None:
        if added:  # one executemany: a look-ahead pass queues its window's messages at once
            self._conn.execute(_INSERT, [_message_values(m) for m in added])

    def get(self, message_id: str) -> Message | None:
        query = sa.select(messages).where(messages.c.id == message_id)
        row = self._conn.execute(query).mappings().first()
        return _message(row) if row else None

    def update(self, message: Message) -> None:
        values = _message_values(message)
        values["message_id"] = values.pop("id")
        self._conn.execute(_UPDATE, values)

    def update_many(self, updated: Sequence[Message]) -> None:
        if updated:  # one executemany: the relay records a batch's sends at once
            rows = []
            for message in updated:
                values = _message_values(message)
                values["message_id"] = values.pop("id")
                rows.append(values)
            self._conn.execute(_UPDATE, rows)

    def ready(self, now: datetime, limit: int) -> list[Message]:
        query = (
            sa.select(messages)
            .where(messages.c.status.in_(_WAITING), messages.c.ready_at <= now)
            .order_by(messages.c.ready_at)
            .limit(limit)
        )
        return self._claimed(query, now)

    def claim(self, message_id: str, now: datetime) -> Message | None:
        query = sa.select(messages).where(
            messages.c.id == message_id,
            messages.c.status.in_(_WAITING),
            messages.c.ready_at <= now,
        )
        found = self._claimed(query, now)
        return found[0] if found else None

    def _claimed(self, query: sa.Select[Any], now: datetime) -> list[Message]:

        def set_aside(message_id: str, row: RowMapping | None, error: Exception) -> None:
            what = f"{text(row, 'template_key')} message to {text(row, 'customer_id')}"
            letter = note_unreadable(self._conn, LetterKind.MESSAGE, message_id, what, error, now)
            # Out of the waiting statuses, so the claim hands out the messages behind it.
            self._conn.execute(
                messages.update()
                .where(messages.c.id == message_id)
                .values(status=MessageStatus.DEAD.value, reason=letter.error[:500])
            )

        return read_queue(self._conn, query, messages.c.id, _message, set_aside)

    def list_for_customer(self, customer_id: str, limit: int) -> list[Message]:
        query = (
            sa.select(messages)
            .where(messages.c.customer_id == customer_id)
            .order_by(messages.c.created_at.desc(), messages.c.id)
            .limit(limit)
        )
        return [_message(row) for row in self._conn.execute(query).mappings()]

    def list_by_status(self, statuses: frozenset[MessageStatus], limit: int) -> list[Message]:
        query = (
            sa.select(messages)
            .where(messages.c.status.in_(sorted(s.value for s in statuses)))
            .order_by(messages.c.created_at.desc())
            .limit(limit)
        )
        return [_message(row) for row in self._conn.execute(query).mappings()]

    def sent_count(self, customer_id: str, purpose: str, since: datetime) -> int:
        query = sa.select(sa.func.count()).where(
            messages.c.customer_id == customer_id,
            messages.c.purpose == purpose,
            messages.c.status == MessageStatus.SENT.value,
            messages.c.sent_at >= since,
        )
        return int(self._conn.scalar(query) or 0)
