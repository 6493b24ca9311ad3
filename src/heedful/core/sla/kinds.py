"""The words a thread and an SLA policy share: its channel, its priority, its status.

In the SLA room, below conversations, so that policies match on them and clocks stop and start
on a thread's status without importing threads (ADR 0030); conversations take them from here.
"""

from __future__ import annotations

from enum import StrEnum


class Channel(StrEnum):
    EMAIL = "email"
    CHAT = "chat"


class Priority(StrEnum):
    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"
    URGENT = "urgent"


class ThreadStatus(StrEnum):
    OPEN = "open"
    WAITING_ON_CUSTOMER = "waiting_on_customer"  # the clocks stop: the ball is in her court
    RESOLVED = "resolved"
