"""Durable timers: "do this at that instant", stored so that a restart forgets nothing.

A timer row exists only while it is pending; firing deletes it. The due scan therefore reads an
index range of what is due, never the open promises that are not.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class TimerKind(StrEnum):
    PROMISE_REMINDER = "promise.reminder"
    PROMISE_DEADLINE = "promise.deadline"
    SLA_WARNING = "sla.warning"  # a conversation's clock is about to breach: warn its owner
    SLA_BREACH = "sla.breach"  # the clock's due time: breached unless met meanwhile


@dataclass(frozen=True)
class Timer:
    id: str
    kind: TimerKind
    subject_id: str  # the promise (or later the message, the conversation) it acts on
    due_at: datetime
