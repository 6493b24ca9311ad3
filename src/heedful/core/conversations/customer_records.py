"""A customer's conversations in her privacy export (GDPR art. 15): threads, messages, notes.

Each thread carries its messages (what she wrote and what was written to her) and staff's
internal notes about it: the notes are data about her too. The chat's visitor token is left out:
it is the key to the chat page, and an export passes through staff's hands. Heedful keeps no
attachments (inbound mail is stored as text), so there are no attachment names to list.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from heedful.core.unit_of_work import UnitOfWork

_EVERYTHING = 1_000_000
_PAGE = 500


def conversations_export(uow: UnitOfWork, customer_id: str) -> dict[str, Any]:
    threads = uow.threads
    exported = []
    for thread in threads.for_customer(customer_id, _EVERYTHING):
        shown = asdict(thread)
        shown.pop("visitor_token", None)
        messages: list[dict[str, Any]] = []
        after = 0
        while page := threads.messages(thread.id, after=after, limit=_PAGE):
            messages.extend(asdict(message) for message in page)
            after = page[-1].sequence
            if len(page) < _PAGE:
                break
        exported.append({**shown, "messages": messages, "notes": threads.notes(thread.id)})
    return {"conversations": exported}
