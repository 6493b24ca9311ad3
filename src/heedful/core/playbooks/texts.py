"""The names a playbook's texts (task titles and notes, promise texts) may quote, checked on save.

A title staff read in a queue quotes what Heedful knows: the customer, what she must never be
given, the booking's room and dates, the order's promised date (ADR 0049). A name nobody
provides would be filled in as nothing ("Prepare room  for"), so it is refused when the playbook
is saved, naming the field, never rendered as an empty string.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from heedful.core.playbooks.model import (
    Action,
    ClosePromise,
    CreateTask,
    OpenPromise,
    PlaybookBody,
    Subject,
)
from heedful.core.shared.errors import InvalidInput
from heedful.core.shared.phrases import Phrase

PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z0-9_.\-]+)\s*\}\}")

CUSTOMER_NAMES = frozenset(
    {
        "customer.name",
        "customer.first_name",
        "customer.preferences.likes",
        "customer.preferences.dislikes",
        "customer.preferences.never",
    }
)
EVENT_NAMES = frozenset({"subject", "source", "type"})  # and any "data.<field>" of the event
# A look-ahead object's record, by the name a text quotes it with: name -> the object's field.
BOOKING_FIELDS: Mapping[str, str] = {
    "booking.reference": "reference",
    "booking.room": "room",
    "booking.room_type": "room_type",
    "booking.table": "table",
    "booking.guests": "guests",
    "booking.nights": "nights",
    "booking.starts_at": "starts_at",
    "booking.starts_on": "starts_on",
    "booking.ends_on": "ends_on",
}
ORDER_FIELDS: Mapping[str, str] = {
    "order.reference": "reference",
    "order.status": "status",
    "order.promised_date": "promised_on",
    "order.expected_date": "expected_on",
    "order.carrier": "carrier",
    "order.tracking_number": "tracking_number",
}
STATE_FIELDS: Mapping[Subject, Mapping[str, str]] = {
    Subject.STAYS: BOOKING_FIELDS,
    Subject.TABLES: BOOKING_FIELDS,
    Subject.ORDERS: ORDER_FIELDS,
}


def names_for(body: PlaybookBody) -> frozenset[str]:
    """What this playbook's texts may quote besides the event's ``data.*``."""
    state: Mapping[str, str] = {}
    if body.look_ahead is not None:
        state = STATE_FIELDS.get(body.look_ahead.subject, {})
    return CUSTOMER_NAMES | EVENT_NAMES | frozenset(state)


def _texts(action: Action) -> Iterator[tuple[str, str]]:
    if isinstance(action, CreateTask):
        yield "title", action.title
        yield "note", action.note
    elif isinstance(action, OpenPromise):
        yield "text", action.text
    elif isinstance(action, ClosePromise):
        return


def _actions(body: PlaybookBody) -> Iterator[tuple[str, Sequence[Action]]]:
    yield "actions", body.actions
    for number, branch in enumerate(body.branches):
        yield f"branches[{number}].actions", branch.actions


def check_texts(body: PlaybookBody) -> None:
    """Raise InvalidInput naming the first text that quotes a name nothing provides."""
    allowed = names_for(body)
    for where, actions in _actions(body):
        for number, action in enumerate(actions):
            for part, text in _texts(action):
                for found in PLACEHOLDER.finditer(text):
                    name = found.group(1)
                    if name in allowed or (name.startswith("data.") and len(name) > 5):
                        continue
                    quotable = ", ".join(sorted(allowed | {"data.…"}))
                    raise InvalidInput(
                        f"unknown variable {name}: a text may quote {quotable}",
                        field=f"{where}[{number}].{part}",
                        said=Phrase(
                            "refusal.unknown_variable", {"name": name, "allowed": quotable}
                        ),
                    )


def state_value(name: str, subject: Subject | None, data: Mapping[str, Any]) -> str | None:
    """A look-ahead object's field quoted by a text; None when the name is not one of them."""
    fields = STATE_FIELDS.get(subject) if subject is not None else None
    if fields is None or name not in fields:
        return None
    value = data.get(fields[name])
    return "" if value is None else str(value)
