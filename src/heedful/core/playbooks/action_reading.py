"""What a playbook does, read from its JSON: each action and the settings only actions have.

Every refusal names the path at fault and carries its words for staff (ADR 0054).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import time
from decimal import Decimal, InvalidOperation
from typing import Any

from heedful.core.customers import Purpose
from heedful.core.playbooks.json_reader import JsonReader
from heedful.core.playbooks.model import (
    CURRENCY_PATTERN,
    KNOWN_TEMPLATES,
    MAX_TITLE,
    Action,
    ClosePromise,
    CreateTask,
    DueBy,
    HoldCapacity,
    OpenPromise,
    SendMessage,
    SendSurvey,
)
from heedful.core.promises import PromiseKind
from heedful.core.shared.phrases import Phrase
from heedful.core.tasks import TaskKind

_CLOCK_TIME = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")


def clock_time(part: JsonReader) -> time:
    found = _CLOCK_TIME.match(part.value) if isinstance(part.value, str) else None
    if found is None:
        raise part.fail("must be a local time such as 08:00", Phrase("refusal.local_time"))
    return time(int(found.group(1)), int(found.group(2)))


def _goodwill(reader: JsonReader) -> tuple[Decimal, str]:
    reader.obj(frozenset({"amount", "currency"}))
    amount = reader.child("amount")
    if isinstance(amount.value, bool) or not isinstance(amount.value, int | float | str):
        raise amount.fail("must be a number", Phrase("refusal.number"))
    try:
        value = Decimal(str(amount.value))
    except InvalidOperation as exc:
        raise amount.fail("must be a number", Phrase("refusal.number")) from exc
    if not value.is_finite() or value <= 0 or value >= Decimal("1e10"):
        raise amount.fail(
            "must be a positive amount below 10 000 000 000", Phrase("refusal.amount")
        )
    if value != value.quantize(Decimal("0.01")):
        raise amount.fail("has at most two decimal places", Phrase("refusal.decimals"))
    currency = reader.child("currency")
    if not isinstance(currency.value, str) or not CURRENCY_PATTERN.match(currency.value):
        raise currency.fail("must be an ISO 4217 code such as UAH", Phrase("refusal.currency"))
    return value, currency.value


def _assignee(reader: JsonReader) -> str:
    value = reader.value
    if value in ("relationship_manager", "owner", "role:manager", "role:agent"):
        return str(value)
    if isinstance(value, str) and value.startswith("staff:") and 0 < len(value[6:]) <= 40:
        return value
    raise reader.fail(
        "must be relationship_manager, owner, role:manager, role:agent or staff:<id>",
        Phrase("refusal.assignee"),
    )


def _due(reader: JsonReader, raw: Mapping[str, Any]) -> int | None:
    if "due_in_minutes" not in raw:
        return None
    return reader.child("due_in_minutes").whole(1, 525_600)


def _due_by(reader: JsonReader, raw: Mapping[str, Any], looks_ahead: bool) -> DueBy | None:
    if "due_by" not in raw:
        return None
    if not looks_ahead:
        raise reader.fail(
            "only a look-ahead playbook has an object to be due by",
            Phrase("refusal.due_by_ahead"),
            "due_by",
        )
    if "due_in_minutes" in raw:
        raise reader.fail(
            "give due_by or due_in_minutes, not both",
            Phrase("refusal.due_one_way"),
            reader.at("due_by"),
        )
    return DueBy(reader.child("due_by").choice(DueBy))


def read_action(reader: JsonReader, looks_ahead: bool = False) -> Action:
    if not isinstance(reader.value, Mapping):
        raise reader.fail("must be an object", Phrase("refusal.object"))
    do = reader.value.get("do")
    if do == "create_task":
        allowed = {"do", "title", "assign_to", "kind", "due_in_minutes", "due_by", "goodwill"}
        raw = reader.obj(frozenset({*allowed, "note"}))
        amount, currency = _goodwill(reader.child("goodwill")) if "goodwill" in raw else (None, "")
        due_by = _due_by(reader, raw, looks_ahead)
        return CreateTask(
            title=reader.child("title").text(MAX_TITLE),
            assign_to=_assignee(reader.child("assign_to")),
            kind=reader.child("kind").choice(TaskKind) if "kind" in raw else TaskKind.FOLLOW_UP,
            due_in_minutes=_due(reader, raw),
            due_by=due_by,
            goodwill_amount=amount,
            goodwill_currency=currency,
            note=reader.child("note").text(1000, required=False),
        )
    if do == "send_message":
        raw = reader.obj(frozenset({"do", "template", "purpose"}))
        template = reader.child("template")
        if template.value not in KNOWN_TEMPLATES:
            known = ", ".join(sorted(KNOWN_TEMPLATES))
            raise template.fail(
                f"must be one of the templates: {known}",
                Phrase("refusal.one_of", {"options": known}),
            )
        purpose = reader.child("purpose").choice(Purpose) if "purpose" in raw else Purpose.SERVICE
        return SendMessage(str(template.value), purpose)
    if do == "open_promise":
        raw = reader.obj(
            frozenset({"do", "kind", "text", "due_in_minutes", "reference_from", "due_on_from"})
        )
        kind = reader.child("kind").choice(PromiseKind)
        if "due_on_from" in raw and "due_in_minutes" in raw:
            raise reader.fail(
                "give due_on_from or due_in_minutes, not both",
                Phrase("refusal.due_one_way"),
                reader.at("kind"),
            )
        if kind is PromiseKind.TELL_WHEN_AVAILABLE:
            raise reader.fail(
                "a playbook cannot wait for an item",
                Phrase("refusal.no_waiting"),
                reader.at("kind"),
            )
        return OpenPromise(
            kind=kind,
            text=reader.child("text").text(1000, required=False),
            due_in_minutes=_due(reader, raw),
            reference_from=(
                reader.child("reference_from").field_path() if "reference_from" in raw else None
            ),
            due_on_from=(
                reader.child("due_on_from").field_path() if "due_on_from" in raw else None
            ),
        )
    if do == "send_survey":
        raw = reader.obj(frozenset({"do", "survey", "staff_from"}))
        return SendSurvey(
            survey_id=reader.child("survey").text(40),
            staff_from=reader.child("staff_from").field_path() if "staff_from" in raw else None,
        )
    if do == "hold_capacity":
        raw = reader.obj(frozenset({"do", "count", "from", "until", "kind", "service"}))
        kind = reader.child("kind").value if "kind" in raw else "tables"
        if kind not in ("tables", "rooms"):
            raise reader.fail(
                "must be tables or rooms", Phrase("refusal.tables_or_rooms"), reader.at("kind")
            )
        return HoldCapacity(
            count=reader.child("count").whole(1, 10_000),
            starts=clock_time(reader.child("from")),
            until=clock_time(reader.child("until")),
            kind=str(kind),
            service=reader.child("service").text(60) if "service" in raw else "",
        )
    if do == "close_promise":
        reader.obj(frozenset({"do", "kind", "reference_from"}))
        return ClosePromise(
            kind=reader.child("kind").choice(PromiseKind),
            reference_from=reader.child("reference_from").field_path(),
        )
    raise reader.fail(
        "must be create_task, send_message, open_promise, close_promise or hold_capacity",
        Phrase("refusal.action_kind"),
        reader.at("do"),
    )
