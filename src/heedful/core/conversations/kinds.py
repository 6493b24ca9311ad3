"""The words a thread and an SLA policy share: its channel and its priority.

Apart from model.py so that core/sla can match policies on them without importing threads.
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
