"""What a run of the relay ended, and how many the next batch claims (ADR 76)."""

from __future__ import annotations

from dataclasses import dataclass, field

from heedful.core.dead_letters import DeadLetter
from heedful.core.outreach import MessageStatus

# Messages claimed, sent and recorded per transaction. A kill resends at most this many (each
# under its own stable id); fewer would cost a commit (a disk flush) per handful of e-mails.
RELAY_BATCH = 100
# The fewest a batch claims after one the budget cut short (as the engine's CLAIM_LEAST).
RELAY_BATCH_LEAST = 16


@dataclass
class RelayReport:
    sent: int = 0
    held: int = 0
    suppressed: int = 0
    capped: int = 0
    retrying: int = 0
    dead: int = 0
    failed: list[DeadLetter] = field(default_factory=list)  # crashed: tried later or set aside
    # How many the next batch claims: what the last one reached within its budget, grown back
    # by doubling once batches end whole (``next_batch``).
    next_batch: int = RELAY_BATCH

    def count(self, status: MessageStatus) -> None:
        name = {MessageStatus.RETRYING: "retrying"}.get(status, status.value)
        if hasattr(self, name):
            setattr(self, name, getattr(self, name) + 1)

    @property
    def total(self) -> int:
        return self.sent + self.held + self.suppressed + self.capped + self.retrying + self.dead


def next_batch(reached: int, claimed: int, current: int, most: int) -> int:
    """How many the next batch claims, given how many of its ``claimed`` the last one ended
    (``current``: what it was to claim, more than ``claimed`` when fewer were ready).

    A batch reads and decides every message it claims; those its budget (ADR 60) or KNOWN_FOR
    left untried are claimed, read and decided again by the next. Beside a busy inbox a batch
    of 100 whose reads took longer than the worker's 100 ms sent one e-mail and read a hundred
    customers for it, batch after batch (issue 18: 1.9 statements and 4 ms of CPU per e-mail
    instead of 0.2 and 0.8). So a batch cut short is followed by one of twice what it reached,
    within ``RELAY_BATCH_LEAST`` and ``most``; one that ended all it claimed grows back.
    """
    if reached >= claimed:
        return min(most, max(current, 2 * reached))
    return max(min(RELAY_BATCH_LEAST, most), min(most, 2 * reached))
