"""A promise as a row of ``promises`` and back: its columns, its evidence as JSON, its wording."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.engine import RowMapping

from heedful.adapters.storage.phrase_columns import phrase_of, phrase_values
from heedful.core.promises.model import (
    Evidence,
    EvidenceKind,
    Promise,
    PromiseKind,
    PromiseState,
    WantedItem,
)
from heedful.core.shared.phrases import Phrase, params_json

# Each stored word to its member, looked up in a dict: calling the enum was a sixth of reading a
# promise, and a batch reads a few thousand (issue 18). A word no member has still goes through
# the enum, whose error names it.
_KINDS = {member.value: member for member in PromiseKind}
_STATES = {member.value: member for member in PromiseState}
_EVIDENCE_KINDS = {member.value: member for member in EvidenceKind}


def evidence_of(raw: list[dict[str, Any]]) -> list[Evidence]:
    return [
        Evidence(
            at=datetime.fromisoformat(e["at"]),
            kind=_EVIDENCE_KINDS.get(e["kind"]) or EvidenceKind(e["kind"]),
            note=e["note"],
            by=e["by"],
            ref=e.get("ref", ""),
            # A note the system wrote also has its phrase (ADR 0047); older entries have none.
            phrase=Phrase.from_json(e["note_key"], e.get("note_params"))
            if e.get("note_key")
            else None,
        )
        for e in raw
    ]


def evidence_entry(e: Evidence) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "at": e.at.isoformat(),
        "kind": e.kind.value,
        "note": e.note,
        "by": e.by,
        "ref": e.ref,
    }
    if e.phrase is not None:
        entry |= {"note_key": e.phrase.key, "note_params": params_json(e.phrase)}
    return entry


def promise_of(row: RowMapping) -> Promise:
    item = None
    if row["item_product"] is not None:
        item = WantedItem(
            product=row["item_product"],
            location_id=row["location_id"],
            variant=row["item_variant"],
            size=row["item_size"],
        )
    return Promise(
        id=row["id"],
        customer_id=row["customer_id"],
        location_id=row["location_id"],
        kind=_KINDS.get(row["kind"]) or PromiseKind(row["kind"]),
        text=row["text"],
        made_by=row["made_by"],
        made_by_label=row["made_by_label"],
        made_at=row["made_at"],
        due_at=row["due_at"],
        state=_STATES.get(row["state"]) or PromiseState(row["state"]),
        owner_id=row["owner_id"],
        item=item,
        reference=row["reference"],
        due_in_business_minutes=row["due_in_business_minutes"],
        closed_at=row["closed_at"],
        closed_by_label=row["closed_by_label"],
        notice_message_id=row["notice_message_id"],
        sequence=row["sequence"],
        evidence=evidence_of(row["evidence"]),
        text_phrase=phrase_of(row, "text"),
    )


def promise_values(p: Promise) -> dict[str, Any]:
    return {
        "id": p.id,
        "customer_id": p.customer_id,
        "location_id": p.location_id,
        "kind": p.kind.value,
        "text": p.text,
        "made_by": p.made_by,
        "made_by_label": p.made_by_label,
        "made_at": p.made_at,
        "due_at": p.due_at,
        "due_in_business_minutes": p.due_in_business_minutes,
        "state": p.state.value,
        "owner_id": p.owner_id,
        "item_product": p.item.product if p.item else None,
        "item_variant": p.item.variant if p.item else "",
        "item_size": p.item.size if p.item else "",
        "reference": p.reference,
        "closed_at": p.closed_at,
        "closed_by_label": p.closed_by_label,
        "notice_message_id": p.notice_message_id,
        "evidence": [evidence_entry(e) for e in p.evidence],
        **phrase_values("text", p.text_phrase),
    }
