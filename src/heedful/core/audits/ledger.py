"""The promise_kept item: answered from the promise ledger, with its evidence.

The scenario drew a promise from the staff ("we will call you when the bag is back"); the staff
recorded it like any promise. Whether it was kept is the ledger's word, not the evaluator's memory.
"""

from __future__ import annotations

from datetime import datetime

from heedful.core.audits.answers import Answer
from heedful.core.promises import Promise, PromiseState

# How a promise stands for the audit: its state, with "open" split at its deadline, because an
# open promise past its deadline is broken so far whatever the timer has not yet written.
KEPT, KEPT_LATE, BROKEN, OPEN = "kept", "kept_late", "broken", "open"


def ledger_answer(promise: Promise | None, now: datetime) -> Answer:
    """The ledger's answer; not applicable when no promise was linked or it was called off."""
    if promise is None:
        return Answer(None, not_applicable=True, evidence={"promise_id": ""})
    evidence = {
        "promise_id": promise.id,
        "state": promise.state.value,
        "deadline": promise.due_at.isoformat() if promise.due_at else "",
        "kept_at": promise.closed_at.isoformat()
        if promise.closed_at and promise.state in (PromiseState.KEPT, PromiseState.KEPT_LATE)
        else "",
    }
    state = promise.state
    if state is PromiseState.KEPT:
        return Answer(KEPT, evidence=evidence)
    if state is PromiseState.KEPT_LATE:
        return Answer(KEPT_LATE, evidence=evidence)
    if state is PromiseState.BROKEN:
        return Answer(BROKEN, evidence=evidence)
    if state is PromiseState.OPEN:
        if promise.due_at is not None and now > promise.due_at:
            return Answer(BROKEN, evidence={**evidence, "overdue": "true"})
        # Still open and not yet due: it does not count yet, and the reviewer sees why.
        return Answer(OPEN, evidence=evidence)
    return Answer(None, not_applicable=True, evidence=evidence)  # cancelled or withdrawn
