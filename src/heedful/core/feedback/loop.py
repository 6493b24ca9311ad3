"""The closed loop: an unhappy answer opens a recovery for the location's manager.

(Staff may also open one from the churn list for a customer at risk: owned by them, with no
answer behind it, ADR 0053.)

A detractor (NPS 0–6), a CSAT of 1 or 2, or a strongly negative comment opens one. It is a
promise in the ledger (kind "recover", with a deadline in business time) so it shows on the
customer's card and is broken like any promise when the deadline passes; the loop row keeps
what the ledger does not: why it opened, and the root cause and action that closed it. It
cannot be closed without both: the outer loop (weekly root-cause themes) is only as good as
what each inner loop wrote down.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from heedful.core.feedback.model import SurveyAnswer, SurveyKind
from heedful.core.shared.errors import Conflict, InvalidInput


class LoopReason(StrEnum):
    DETRACTOR = "detractor"
    LOW_CSAT = "low_csat"
    NEGATIVE_COMMENT = "negative_comment"
    CHURN_RISK = "churn_risk"  # opened by staff from the churn list, no answer behind it


class LoopState(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


ROOT_CAUSES = (
    "staff_behaviour",
    "waiting_time",
    "product_quality",
    "price",
    "cleanliness",
    "communication",
    "process",
    "other",
)
# A comment read at or below this score is "strongly negative" on its own, whatever the score.
STRONGLY_NEGATIVE = -0.6
MAX_NOTE = 2000


def reasons_to_recover(answer: SurveyAnswer) -> tuple[LoopReason, ...]:
    reasons: list[LoopReason] = []
    if answer.kind is SurveyKind.NPS and answer.score <= 6:
        reasons.append(LoopReason.DETRACTOR)
    if answer.kind is SurveyKind.CSAT and answer.score <= 2:
        reasons.append(LoopReason.LOW_CSAT)
    if answer.sentiment_score is not None and answer.sentiment_score <= STRONGLY_NEGATIVE:
        reasons.append(LoopReason.NEGATIVE_COMMENT)
    return tuple(reasons)


@dataclass
class RecoveryLoop:
    id: str
    answer_id: str | None  # None: opened from the churn list (ADR 0053)
    customer_id: str
    location_id: str
    promise_id: str
    reasons: tuple[LoopReason, ...]
    opened_at: datetime
    due_at: datetime
    state: LoopState = LoopState.OPEN
    closed_at: datetime | None = None
    closed_in_time: bool | None = None
    root_cause: str = ""
    root_cause_note: str = ""
    action_taken: str = ""
    closed_by_label: str = ""

    def close(self, at: datetime, by: str, root_cause: str, note: str, action: str) -> None:
        if self.state is LoopState.CLOSED:
            raise Conflict("this recovery is already closed", field="state")
        if root_cause not in ROOT_CAUSES:
            raise InvalidInput(f"choose a root cause: {', '.join(ROOT_CAUSES)}", field="root_cause")
        note, action = " ".join(note.split()), " ".join(action.split())
        if root_cause == "other" and not note:
            raise InvalidInput("say what the root cause was", field="root_cause_note")
        if not action:
            raise InvalidInput("say what was done for the customer", field="action_taken")
        if len(note) > MAX_NOTE or len(action) > MAX_NOTE:
            raise InvalidInput(f"at most {MAX_NOTE} characters", field="action_taken")
        self.state, self.closed_at, self.closed_by_label = LoopState.CLOSED, at, by
        self.root_cause, self.root_cause_note, self.action_taken = root_cause, note, action
        self.closed_in_time = at <= self.due_at

    def is_overdue(self, now: datetime) -> bool:
        return self.state is LoopState.OPEN and now > self.due_at
