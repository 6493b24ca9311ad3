"""Which thread an e-mail belongs to: by Message-ID, In-Reply-To and References (RFC 5322 3.6.4).

A reply names the message it answers in In-Reply-To and the chain before it in References; our
own replies carry Message-IDs we stored, so a customer answering our e-mail lands in her thread.
Subjects are never used: "Re: order" from two customers is two conversations.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# One id is "<local@domain>"; headers hold several, separated by spaces, folds or commas, and
# some mailers drop the angle brackets. Anything between < and > is taken as it is written.
_BRACKETED = re.compile(r"<([^<>\s]+)>")
MAX_REFERENCES = 30  # a chain longer than this is trimmed from its oldest end, as RFC 5322 allows


def normalise(message_id: str) -> str:
    """``<id@host>`` with its brackets and no whitespace; "" when there is nothing to keep."""
    found = _BRACKETED.search(message_id)
    if found:
        return f"<{found.group(1)}>"
    bare = message_id.strip().strip("<>").strip()
    return f"<{bare}>" if bare and not any(c.isspace() for c in bare) else ""


def message_ids(header: str) -> list[str]:
    """All ids of a References or In-Reply-To header, in order, each once."""
    found = [f"<{raw}>" for raw in _BRACKETED.findall(header)]
    if not found:
        found = [normalise(part) for part in re.split(r"[\s,]+", header)]
    seen: list[str] = []
    for message_id in found:
        if message_id and message_id not in seen:
            seen.append(message_id)
    return seen


def candidates(in_reply_to: str, references: Iterable[str]) -> list[str]:
    """The ids that may name the thread, the likeliest first.

    In-Reply-To is the message answered; References is the chain from the oldest, so its last ids
    are the nearest. A mailer that fills only one of them still finds the thread.
    """
    ordered: list[str] = []
    chain = [mid for ref in references for mid in message_ids(ref)]
    for message_id in [*message_ids(in_reply_to), *reversed(chain)]:
        if message_id not in ordered:
            ordered.append(message_id)
    return ordered


def references_for_reply(chain: Iterable[str], parent: str) -> list[str]:
    """The References of our reply: the thread's ids in order, ending with the one answered."""
    ids = [mid for mid in (normalise(m) for m in chain) if mid and mid != normalise(parent)]
    if normalise(parent):
        ids.append(normalise(parent))
    return ids[-MAX_REFERENCES:]


_REPLY_PREFIX = re.compile(r"^\s*((re|fwd?|aw|antw|sv|vs|ответ|відп)\s*(\[\d+\])?\s*:\s*)+", re.I)


def reply_subject(subject: str) -> str:
    """``Re: <subject>``, once, whatever prefixes the customer's mailer put on it."""
    bare = _REPLY_PREFIX.sub("", subject).strip()
    return f"Re: {bare}" if bare else "Re:"
