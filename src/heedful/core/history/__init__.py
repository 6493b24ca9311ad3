"""A customer's history: purchases, visits and stays, the facts habits are read from."""

from heedful.core.history.model import HABIT_ATTRIBUTES, HistoryEntry, HistoryKind

__all__ = ["HABIT_ATTRIBUTES", "HistoryEntry", "HistoryKind"]
