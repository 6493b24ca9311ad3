"""Contact rules (the business's and customers' own) and the business's own message templates."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, time

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from heedful.adapters.storage.key_lists import one_of
from heedful.adapters.storage.setup_tables import (
    contact_rules,
    customer_contact_rules,
    message_templates,
)
from heedful.core.customers import Channel, Purpose
from heedful.core.outreach import MessageTemplate, OwnContactRules, PurposeRules
from heedful.core.outreach.own_templates import OwnTemplate


def _time(text: str | None) -> time | None:
    return None if text is None else time.fromisoformat(text)


def _text(value: time | None) -> str | None:
    return None if value is None else f"{value:%H:%M}"


_OWN_RULES_OF = customer_contact_rules.select().where(
    one_of(customer_contact_rules.c.customer_id, "customer_ids")
)


class SqlContactSettings:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def business(self) -> list[PurposeRules]:
        rows = self._conn.execute(contact_rules.select().order_by(contact_rules.c.purpose))
        return [
            PurposeRules(
                purpose=Purpose(r.purpose),
                quiet_from=time.fromisoformat(r.quiet_from),
                quiet_until=time.fromisoformat(r.quiet_until),
                cap=r.cap,
                cap_window_days=r.cap_window_days,
            )
            for r in rows
        ]

    def put_business(self, rules: PurposeRules, at: datetime) -> None:
        values = {
            "quiet_from": _text(rules.quiet_from),
            "quiet_until": _text(rules.quiet_until),
            "cap": rules.cap,
            "cap_window_days": rules.cap_window_days,
            "changed_at": at,
        }
        where = contact_rules.c.purpose == rules.purpose.value
        if not self._conn.execute(contact_rules.update().where(where).values(**values)).rowcount:
            self._conn.execute(contact_rules.insert().values(purpose=rules.purpose.value, **values))

    def of_customers(self, customer_ids: Sequence[str]) -> dict[str, OwnContactRules]:
        if not customer_ids:
            return {}
        rows = self._conn.execute(_OWN_RULES_OF, {"customer_ids": sorted(set(customer_ids))})
        return {
            r.customer_id: OwnContactRules(
                customer_id=r.customer_id,
                quiet_from=_time(r.quiet_from),
                quiet_until=_time(r.quiet_until),
                channels=tuple(Channel(c) for c in r.channels),
            )
            for r in rows
        }

    def put_customer(self, rules: OwnContactRules, at: datetime) -> None:
        values = {
            "quiet_from": _text(rules.quiet_from),
            "quiet_until": _text(rules.quiet_until),
            "channels": [c.value for c in rules.channels],
            "changed_at": at,
        }
        table = customer_contact_rules
        where = table.c.customer_id == rules.customer_id
        if not self._conn.execute(table.update().where(where).values(**values)).rowcount:
            self._conn.execute(table.insert().values(customer_id=rules.customer_id, **values))

    def clear_customer(self, customer_id: str) -> None:
        self._conn.execute(
            customer_contact_rules.delete().where(
                customer_contact_rules.c.customer_id == customer_id
            )
        )


class SqlOwnTemplates:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def every(self) -> list[OwnTemplate]:
        table = message_templates
        rows = self._conn.execute(table.select().order_by(table.c.key, table.c.language))
        return [
            OwnTemplate(
                MessageTemplate(r.key, r.language, r.subject, r.text), r.changed_at, r.changed_by
            )
            for r in rows
        ]

    def for_key(self, key: str) -> list[MessageTemplate]:
        table = message_templates
        rows = self._conn.execute(
            table.select().where(table.c.key == key).order_by(table.c.language)
        )
        return [MessageTemplate(r.key, r.language, r.subject, r.text) for r in rows]

    def put(self, template: MessageTemplate, at: datetime, by: str) -> None:
        table = message_templates
        where = sa.and_(table.c.key == template.key, table.c.language == template.language)
        values = {"subject": template.subject, "text": template.text, "changed_at": at}
        if not self._conn.execute(
            table.update().where(where).values(changed_by=by, **values)
        ).rowcount:
            self._conn.execute(
                table.insert().values(
                    key=template.key, language=template.language, changed_by=by, **values
                )
            )

    def remove(self, key: str, language: str) -> bool:
        table = message_templates
        where = sa.and_(table.c.key == key, table.c.language == language)
        return bool(self._conn.execute(table.delete().where(where)).rowcount)
