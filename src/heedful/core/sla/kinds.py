"""The words a thread and an SLA policy share: its channel and its priority.

In the SLA room, below conversations, so that policies match on them without importing threads
(ADR 0030); conversations take them from here.
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
