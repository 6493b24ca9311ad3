"""A task for staff: one person or the managers of a location, a deadline, and what it is about."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from heedful.core.access.model import Role
from heedful.core.shared.errors import Conflict


class TaskKind(StrEnum):
    PROMISE_REMINDER = "promise_reminder"  # your promise is due soon
    PROMISE_ESCALATION = "promise_escalation"  # a promise was broken: the manager steps in
    CALL_CUSTOMER = "call_customer"
    FOLLOW_UP = "follow_up"
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
    due_at: datetime | None = None
    # What the staff member may give to make up for a failure, decided by the playbook.
    goodwill_amount: Decimal | None = None
    goodwill_currency: str = ""
    done_at: datetime | None = None
    done_by_label: str = ""

    def complete(self, at: datetime, by: str) -> None:
        if self.done_at is not None:
            raise Conflict("this task is already done", field="task_id")
        self.done_at, self.done_by_label = at, by

    @property
    def is_open(self) -> bool:
        return self.done_at is None
