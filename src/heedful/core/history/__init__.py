"""A customer's history: purchases, visits and stays, the facts habits are read from."""

from heedful.core.history.model import HABIT_ATTRIBUTES, HistoryEntry, HistoryKind, Item
from heedful.core.history.ports import HistoryRepository

__all__ = ["HABIT_ATTRIBUTES", "HistoryEntry", "HistoryKind", "HistoryRepository", "Item"]
