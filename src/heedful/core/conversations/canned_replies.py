"""Canned replies: the answers a business gives again and again, written once in ru, uk and en.

Managers keep them; agents pick one in a thread and it is offered in the customer's language,
falling back to English and then to whichever language the reply was written in, so an agent is
never offered an empty text. The agent may edit the words before sending: a canned reply only
fills the reply box, it is never sent on its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

# English is the lingua franca of the staff who write them; then the order the console lists.
FALLBACK = ("en", "ru", "uk")


@dataclass
class CannedReply:
    id: str
    title: str
    texts: dict[str, str]  # language -> text; at least one
    created_at: datetime
    updated_at: datetime
    updated_by_label: str
    location_id: str | None = None  # None: offered at every location
    active: bool = True

    def text_for(self, language: str) -> tuple[str, str]:
        """(the language used, the text) for a customer speaking ``language``."""
        for candidate in (language, *FALLBACK):
            text = self.texts.get(candidate, "")
            if text.strip():
                return candidate, text
        return language, ""


class CannedReplyRepository(Protocol):
    def add(self, reply: CannedReply) -> None: ...
    def get(self, reply_id: str) -> CannedReply | None: ...
    def update(self, reply: CannedReply) -> None: ...
    def list(self, *, active_only: bool = True) -> list[CannedReply]: ...
