"""What a customer said, agreed to and did: preferences, consent decisions, history."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, RowMapping

from heedful.adapters.storage.conversation_tables import threads
from heedful.adapters.storage.dealing_tables import accounts, bookings, orders
from heedful.adapters.storage.driver_statements import read_each_on_driver
from heedful.adapters.storage.erasure_rows import erase_rows
from heedful.adapters.storage.feedback_tables import (
    recovery_loops,
    survey_answers,
    survey_invitations,
)
from heedful.adapters.storage.goodwill_tables import goodwill_spends
from heedful.adapters.storage.key_lists import one_of
from heedful.adapters.storage.promise_tables import messages, promises, tasks
from heedful.adapters.storage.tables import (
    consents,
    history,
    identities,
    preferences,
)
from heedful.core.customers.channels import Channel
from heedful.core.customers.consent import ConsentDecision, Purpose
from heedful.core.history.model import HistoryEntry, HistoryKind, Item
from heedful.core.preferences.model import Category, Polarity, Preference, Source

OWNED_TABLES: dict[str, sa.Table] = {
    "identity": identities,
    "preference": preferences,
    "consent": consents,
    "history": history,
    # What the business promised, told and asked staff to do about the customer.
    "promise": promises,
    "message": messages,
    "task": tasks,
    "thread": threads,  # her conversations follow her into the surviving record
    "survey_invitation": survey_invitations,
    "survey_answer": survey_answers,
    "recovery_loop": recovery_loops,
    "booking": bookings,
    "order": orders,
    "account": accounts,
    "goodwill_spend": goodwill_spends,  # what staff gave her follows her into the survivor
}


def _preference(row: RowMapping) -> Preference:
    return Preference(
        id=row["id"],
        customer_id=row["customer_id"],
        polarity=Polarity(row["polarity"]),
        category=Category(row["category"]),
        subject=row["subject"],
        note=row["note"],
        source=Source(row["source"]),
        confidence=row["confidence"],
        recorded_at=row["recorded_at"],
        recorded_by=row["recorded_by"],
        recorded_by_label=row["recorded_by_label"],
        location_id=row["location_id"],
        retracted_at=row["retracted_at"],
        retracted_by=row["retracted_by"],
        attributes=dict(row["attributes"] or {}),
    )


def _preference_values(p: Preference) -> dict[str, Any]:
    return {
        "id": p.id,
        "customer_id": p.customer_id,
        "polarity": p.polarity.value,
        "category": p.category.value,
        "subject": p.subject,
        "note": p.note,
        "source": p.source.value,
        "confidence": p.confidence,
        "location_id": p.location_id,
        "recorded_at": p.recorded_at,
        "recorded_by": p.recorded_by,
        "recorded_by_label": p.recorded_by_label,
        "retracted_at": p.retracted_at,
        "retracted_by": p.retracted_by,
        "attributes": dict(p.attributes),
    }


# A page of an audience's customers at once (the playbook engine), as list_for orders each.
_STANDING_OF = (
    preferences.select()
    .where(
        one_of(preferences.c.customer_id, "customer_ids"),
        preferences.c.retracted_at.is_(None),
    )
    .order_by(preferences.c.customer_id, preferences.c.recorded_at.desc(), preferences.c.id)
)


# The relay's read: a template says what she likes, so the subject and polarity are all it needs;
# the whole row (its attributes' JSON, four timestamps) was most of the relay's reading time.
_STANDING_SUBJECTS_OF = (
    sa.select(preferences.c.customer_id, preferences.c.polarity, preferences.c.subject)
    .where(
        one_of(preferences.c.customer_id, "customer_ids"),
        preferences.c.retracted_at.is_(None),
    )
    .order_by(preferences.c.customer_id, preferences.c.recorded_at.desc(), preferences.c.id)
)


class SqlPreferences:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, preference: Preference) -> None:
        self._conn.execute(preferences.insert(), _preference_values(preference))

    def get(self, preference_id: str) -> Preference | None:
        row = (
            self._conn.execute(preferences.select().where(preferences.c.id == preference_id))
            .mappings()
            .first()
        )
        return _preference(row) if row else None

    def update(self, preference: Preference) -> None:
        values = _preference_values(preference)
        del values["id"]
        self._conn.execute(
            preferences.update().where(preferences.c.id == preference.id).values(**values)
        )

    def list_for(self, customer_id: str, *, include_retracted: bool = False) -> list[Preference]:
        query = preferences.select().where(preferences.c.customer_id == customer_id)
        if not include_retracted:
            query = query.where(preferences.c.retracted_at.is_(None))
        rows = self._conn.execute(
            query.order_by(preferences.c.recorded_at.desc(), preferences.c.id)
        ).mappings()
        return [_preference(r) for r in rows]

    def standing_for_many(self, customer_ids: Sequence[str]) -> dict[str, list[Preference]]:
        found: dict[str, list[Preference]] = {}
        if not customer_ids:
            return found
        rows = self._conn.execute(_STANDING_OF, {"customer_ids": list(customer_ids)}).mappings()
        for row in rows:
            found.setdefault(row["customer_id"], []).append(_preference(row))
        return found

    def standing_subjects_for_many(
        self, customer_ids: Sequence[str]
    ) -> dict[str, list[tuple[Polarity, str]]]:
        found: dict[str, list[tuple[Polarity, str]]] = {}
        if not customer_ids:
            return found
        rows = self._conn.execute(_STANDING_SUBJECTS_OF, {"customer_ids": list(customer_ids)})
        for customer_id, polarity, subject in rows:
            found.setdefault(customer_id, []).append((Polarity(polarity), subject))
        return found


class SqlConsents:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, decision: ConsentDecision) -> None:
        self._conn.execute(
            consents.insert(),
            {
                "id": decision.id,
                "customer_id": decision.customer_id,
                "channel": decision.channel.value,
                "purpose": decision.purpose.value,
                "granted": decision.granted,
                "decided_at": decision.decided_at,
                "how": decision.how,
                "recorded_by": decision.recorded_by,
                "recorded_by_label": decision.recorded_by_label,
            },
        )

    def list_for(self, customer_id: str) -> list[ConsentDecision]:
        rows = self._conn.execute(
            consents.select()
            .where(consents.c.customer_id == customer_id)
            .order_by(consents.c.decided_at, consents.c.id)
        ).mappings()
        return [_consent(r) for r in rows]

    def list_for_many(self, customer_ids: Sequence[str]) -> dict[str, list[ConsentDecision]]:
        found: dict[str, list[ConsentDecision]] = {}
        if customer_ids and self._conn.dialect.name == "sqlite":
            each = [{"customer_id": customer_id} for customer_id in sorted(set(customer_ids))]
            for stored in read_each_on_driver(self._conn, _CONSENTS_OF_ONE, each):
                found.setdefault(stored["customer_id"], []).append(_consent(stored))
        elif customer_ids:
            rows = self._conn.execute(_CONSENTS_OF, {"customer_ids": list(customer_ids)})
            for row in rows.mappings():
                found.setdefault(row["customer_id"], []).append(_consent(row))
        return found


_CONSENTS_OF = (
    consents.select()
    .where(one_of(consents.c.customer_id, "customer_ids"))
    .order_by(consents.c.customer_id, consents.c.decided_at, consents.c.id)
)


# SQLite (ADR 80): one customer's, looked up by her key on the driver's cursor.
_CONSENTS_OF_ONE = (
    consents.select()
    .where(consents.c.customer_id == sa.bindparam("customer_id"))
    .order_by(consents.c.decided_at, consents.c.id)
)


def _consent(r: Mapping[Any, Any]) -> ConsentDecision:
    return ConsentDecision(
        id=r["id"],
        customer_id=r["customer_id"],
        channel=Channel(r["channel"]),
        purpose=Purpose(r["purpose"]),
        granted=r["granted"],
        decided_at=r["decided_at"],
        how=r["how"],
        recorded_by=r["recorded_by"],
        recorded_by_label=r["recorded_by_label"],
    )


def _items_out(items: Sequence[Item]) -> list[dict[str, Any]]:
    return [
        {"attributes": i.attributes, "quantity": i.quantity, "amount_minor": i.amount_minor}
        for i in items
    ]


def _entry(row: RowMapping) -> HistoryEntry:
    return HistoryEntry(
        id=row["id"],
        customer_id=row["customer_id"],
        kind=HistoryKind(row["kind"]),
        occurred_at=row["occurred_at"],
        recorded_at=row["recorded_at"],
        location_id=row["location_id"],
        items=[
            Item(
                attributes=dict(i["attributes"]),
                quantity=i["quantity"],
                amount_minor=i["amount_minor"],
            )
            for i in row["items"]
        ],
        amount_minor=row["amount_minor"],
        currency=row["currency"],
        external_ref=row["external_ref"],
        note=row["note"],
    )


class SqlHistory:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, entry: HistoryEntry) -> None:
        self._conn.execute(
            history.insert().values(
                id=entry.id,
                customer_id=entry.customer_id,
                kind=entry.kind.value,
                occurred_at=entry.occurred_at,
                recorded_at=entry.recorded_at,
                location_id=entry.location_id,
                items=_items_out(entry.items),
                amount_minor=entry.amount_minor,
                currency=entry.currency,
                external_ref=entry.external_ref,
                note=entry.note,
            )
        )

    def find_by_ref(self, kind: HistoryKind, external_ref: str) -> HistoryEntry | None:
        row = (
            self._conn.execute(
                history.select().where(
                    history.c.kind == kind.value, history.c.external_ref == external_ref
                )
            )
            .mappings()
            .first()
        )
        return _entry(row) if row else None

    def list_for(self, customer_id: str, limit: int) -> list[HistoryEntry]:
        rows = self._conn.execute(
            history.select()
            .where(history.c.customer_id == customer_id)
            .order_by(history.c.occurred_at.desc(), history.c.id)
            .limit(limit)
        ).mappings()
        return [_entry(r) for r in rows]

    def count_for(self, customer_id: str) -> int:
        return int(
            self._conn.scalar(
                sa.select(sa.func.count())
                .select_from(history)
                .where(history.c.customer_id == customer_id)
            )
            or 0
        )


class SqlOwnedRows:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def ids_for(self, entity: str, customer_id: str) -> list[str]:
        table = OWNED_TABLES[entity]
        return list(
            self._conn.scalars(
                sa.select(table.c.id).where(table.c.customer_id == customer_id).order_by(table.c.id)
            )
        )

    def move(self, entity: str, entity_ids: Sequence[str], to_customer_id: str) -> int:
        table = OWNED_TABLES[entity]
        moved = 0
        for start in range(0, len(entity_ids), 500):
            chunk = list(entity_ids[start : start + 500])
            moved += self._conn.execute(
                table.update().where(table.c.id.in_(chunk)).values(customer_id=to_customer_id)
            ).rowcount
        return moved

    def owner_of(self, entity: str, entity_ids: Sequence[str]) -> dict[str, str]:
        table = OWNED_TABLES[entity]
        owners: dict[str, str] = {}
        for start in range(0, len(entity_ids), 500):
            chunk = list(entity_ids[start : start + 500])
            # Unpack rows, never dict(result): a Result has .keys() (column names), so dict()
            # would take it for a mapping and fail on SQLAlchemy 2.1.
            rows = self._conn.execute(
                sa.select(table.c.id, table.c.customer_id).where(table.c.id.in_(chunk))
            )
            owners.update((row.id, row.customer_id) for row in rows)
        return owners

    def erase_personal_data(self, customer_id: str, known_as: Sequence[str] = ()) -> dict[str, int]:
        return erase_rows(self._conn, customer_id, known_as)
