"""Every text and JSON column, classified: cleared when a customer is erased, or free of her data.

A test reads the tables' metadata and fails when a text or JSON column is in neither list, or in
both: whoever adds a column says here what erasure does with it (ADR 0026). "Cleared" means
``erasure_rows`` deletes her rows or blanks the column in them; "PII-free" says why the value can
never name or describe a customer (an id, a code from a fixed list, staff's own words, a figure);
that list is kept in ``pii_free_columns.py``.
"""

from __future__ import annotations

import importlib
import pkgutil

import sqlalchemy as sa

from heedful.adapters import storage
from heedful.adapters.storage.pii_free_columns import PII_FREE
from heedful.adapters.storage.tables import metadata

_DELETED = "her rows are deleted"

CLEARED_ON_ERASURE: dict[str, dict[str, str]] = {
    "accounts": dict.fromkeys(
        ("id", "location_id", "reference", "customer_id", "currency"), _DELETED
    ),
    "bookings": dict.fromkeys(
        (
            "id",
            "kind",
            "location_id",
            "reference",
            "customer_id",
            "status",
            "room_type",
            "room",
            "table_name",
        ),
        _DELETED,
    ),
    "orders": dict.fromkeys(
        (
            "id",
            "location_id",
            "reference",
            "customer_id",
            "status",
            "lines",
            "carrier",
            "tracking_number",
            "currency",
        ),
        _DELETED,
    ),
    "customer_owners": dict.fromkeys(
        ("customer_id", "location_id", "staff_id", "set_by_label"), _DELETED
    ),
    "audit_log": {"before": "values recorded", "after": "values recorded"},
    "churn_risks": {"reasons": _DELETED, "inputs": _DELETED},
    "customer_contact_rules": dict.fromkeys(
        ("customer_id", "quiet_from", "quiet_until", "channels"), _DELETED
    ),
    "consents": {"how": _DELETED, "recorded_by": _DELETED, "recorded_by_label": _DELETED},
    "customers": {"full_name": "set to a dash"},
    "dead_letters": {"error": "strings naming her id or values"},
    "events": {
        "subject": "strings naming her id or values",
        "data": "strings naming her id or values",
        "extensions": "strings naming her id or values",
        "ordering_key": "a digest of how the event names her (ADR 61)",
    },
    "goodwill_spends": {
        "reason": "blanked: staff's words on her",
        "decision_note": "blanked: the manager's words on her",
    },
    "history": {"items": "attributes but the counted marks", "note": "blanked"},
    "idempotency_keys": {"fingerprint": "a tombstone", "response": "a tombstone"},
    "identities": {"value": _DELETED, "label": _DELETED, "added_by": _DELETED},
    "merges": {
        "reason": "names how she was matched",
        "changes": "field values",
        "survivor_before": "a snapshot of her",
        "absorbed_before": "a snapshot of her",
        "notes": "what undo found",
    },
    "messages": {
        "context": "the template's values",
        "reason": "a bounce quotes the address",
        "to_address": "her address",
        "subject": "words to her",
        "text": "words to her",
        "reason_params": "a phrase's values: like the reason",
    },
    "name_terms": {"term": _DELETED},
    "playbook_firings": {"reasons": "quote the event and her preferences"},
    "preferences": {
        "subject": _DELETED,
        "note": _DELETED,
        "recorded_by_label": _DELETED,
        "attributes": _DELETED,
    },
    "promises": {
        "text": "words",
        "text_params": "the words' values: her item, her order",
        "reference": "her order",
        "evidence": "what was said",
    },
    "recovery_loops": {"root_cause_note": "staff's words on her", "action_taken": "likewise"},
    "survey_answers": {"comment": "her words", "themes": "excerpts of her words"},
    "tasks": {
        "title": "quotes her or her promise",
        "title_params": "likewise, as a phrase's values",
        "note": "likewise",
        "note_params": "likewise",
        "outcome": "likewise",
    },
    "thread_messages": {
        "author_label": "her name as sender",
        "address": "her address",
        "body": "the words",
        "message_id": "mail Message-IDs carry names",
        "in_reply_to": "likewise",
        "authentication": "the receiving server's verdict names her domain or address",
    },
    "thread_notes": {"body": "staff's words on her"},
    "threads": {
        "subject": "her words",
        "last_message_preview": "her words",
        "visitor_token": "lets a browser read the chat",
    },
}


__all__ = ["CLEARED_ON_ERASURE", "PII_FREE", "text_columns"]


def text_columns() -> dict[str, set[str]]:
    """Each table's text and JSON columns, from every table module of the storage adapter."""
    for module in pkgutil.iter_modules(storage.__path__):
        if module.name.endswith("tables"):
            importlib.import_module(f"{storage.__name__}.{module.name}")
    return {
        table.name: {
            column.name for column in table.columns if isinstance(column.type, sa.String | sa.JSON)
        }
        for table in metadata.tables.values()
    }
