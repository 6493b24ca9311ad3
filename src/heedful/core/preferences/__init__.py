"""Preferences: what a customer likes and dislikes, and "the usual" read from her history."""

from heedful.core.preferences.fitting import ItemToFit, item_to_fit, preference_fits
from heedful.core.preferences.model import Category, Polarity, Preference, grouped
from heedful.core.preferences.usual import Usual, infer_usual

__all__ = [
    "Category",
    "ItemToFit",
    "Polarity",
    "Preference",
    "Usual",
    "grouped",
    "infer_usual",
    "item_to_fit",
    "preference_fits",
]
