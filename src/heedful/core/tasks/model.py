"""A task for staff: one person or the managers of a location, a deadline, and what it is about."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from heedful.core.access import SYSTEM, Role
from heedful.core.shared.errors import Conflict
from heedful.core.shared.ids import new_id
from heedful.core.shared.phrases import Phrase, words


class TaskKind(StrEnum):
    PROMISE_REMINDER = "promise_reminder"  # your promise is due soon
    PROMISE_ESCALATION = "promise_escalation"  # a promise was broken: the manager steps in
    CALL_CUSTOMER = "call_customer"
    FOLLOW_UP = "follow_up"
    BY_HAND = "by_hand"  # made by a person at the console or through the API
    SLA_WARNING = "sla_warning"  # a conversation is about to breach its SLA: answer it
    SLA_BREACH = "sla_breach"  # a conversation breached its SLA: the manager steps in


@dataclass
class Task:
    id: str
    kind: TaskKind
    title: str
    location_id: str
    created_at: datetime
    created_by_label: str
    note: str = ""
    customer_id: str | None = None
    promise_id: str | None = None
    # One person (the promise's owner), or everyone with a role at the location (escalations).
    assignee_id: str | None = None
    assignee_role: Role | None = None
    # Or a team (ADR 0043): every member sees it in her list (ADR 0051).
    team_id: str | None = None
    due_at: datetime | None = None
    # What the staff member may give to make up for a failure, decided by the playbook.
    goodwill_amount: Decimal | None = None
    goodwill_currency: str = ""
    done_at: datetime | None = None
    done_by_label: str = ""
    outcome: str = ""  # what was done, in the words of whoever closed it
    # The system's title and note as phrases, said in the reader's language (ADR 0047); None for
    # words a person typed and rows from before phrases: ``title``/``note`` are then shown as kept.
    title_phrase: Phrase | None = None
    note_phrase: Phrase | None = None

    def complete(self, at: datetime, by: str, outcome: str = "") -> None:
        if self.done_at is not None:
            raise Conflict(
                "this task is already done", said=Phrase("refusal.task_done"), field="task_id"
            )
        self.done_at, self.done_by_label, self.outcome = at, by, outcome

    @property
    def is_open(self) -> bool:
        return self.done_at is None


def reminder(
    kind: TaskKind,
    title: str | Phrase,
    location_id: str,
    now: datetime,
    *,
    customer_id: str,
    promise_id: str | None,
    holder_id: str | None,
    due_at: datetime | None,
    note: str | Phrase = "",
) -> Task:
    """The system's reminder to whoever holds the work; when nobody does (made through the API,
    a thread nobody took), every agent of the location sees it."""
    title_text, title_phrase = words(title)
    note_text, note_phrase = words(note)
    return Task(
        id=new_id("tsk_"),
        kind=kind,
        title=title_text,
        title_phrase=title_phrase,
        location_id=location_id,
        created_at=now,
        created_by_label=SYSTEM.label,
        customer_id=customer_id,
        promise_id=promise_id,
        assignee_id=holder_id,
        assignee_role=None if holder_id else Role.AGENT,
        due_at=due_at,
        note=note_text,
        note_phrase=note_phrase,
    )
