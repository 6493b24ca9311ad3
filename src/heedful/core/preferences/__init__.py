"""Preferences: what a customer likes and dislikes, and "the usual" read from her history."""

from heedful.core.preferences.model import Category, Polarity, Preference, grouped
from heedful.core.preferences.usual import Usual, infer_usual

__all__ = ["Category", "Polarity", "Preference", "Usual", "grouped", "infer_usual"]
