"""Preferences: what a customer likes, dislikes or must never be given, and how we know it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from heedful.core.shared.errors import InvalidInput
from heedful.core.shared.text import refuse_hidden_characters


class Polarity(StrEnum):
    LIKE = "like"
    DISLIKE = "dislike"
    # "Never" is stronger than a dislike: an allergy, a religious rule, "no sparkling water in my
    # minibar". Nothing inferred may override it.
    NEVER = "never"


class Source(StrEnum):
    SAID = "said"  # the customer told us
    OBSERVED = "observed"  # staff noticed
    INFERRED = "inferred"  # computed from history


class Category(StrEnum):
    DRINK = "drink"
    FOOD = "food"
    ROOM = "room"
    SIZE = "size"
    BRAND = "brand"
    PRODUCT = "product"
    SEATING = "seating"
    COMMUNICATION = "communication"
    SERVICE = "service"
    OTHER = "other"


# Staff-recorded preferences are trusted as given; an inferred one carries its computed confidence.
DEFAULT_CONFIDENCE = {Source.SAID: 1.0, Source.OBSERVED: 0.8, Source.INFERRED: 0.5}


@dataclass
class Preference:
    id: str
    customer_id: str
    polarity: Polarity
    category: Category
    subject: str
    note: str
    source: Source
    confidence: float
    recorded_at: datetime
    recorded_by: str
    recorded_by_label: str
    location_id: str | None = None
    retracted_at: datetime | None = None
    retracted_by: str | None = None

    @property
    def is_standing(self) -> bool:
        return self.retracted_at is None


def check_subject(subject: str) -> str:
    # A subject is a label staff read on the card ("never: peanuts"): it must not hide anything.
    text = refuse_hidden_characters(" ".join(subject.split()), field="subject")
    if not text:
        raise InvalidInput("say what the preference is about", field="subject")
    if len(text) > 200:
        raise InvalidInput("a preference is at most 200 characters; use the note", field="subject")
    return text


def check_confidence(value: float | None, source: Source) -> float:
    if value is None:
        return DEFAULT_CONFIDENCE[source]
    if not 0.0 <= value <= 1.0:
        raise InvalidInput("confidence is between 0 and 1", field="confidence")
    return float(value)


def grouped(preferences: list[Preference]) -> dict[Polarity, list[Preference]]:
    """The card's three columns; "never" first in the reader's eye, most recent first within."""
    groups: dict[Polarity, list[Preference]] = {
        p: [] for p in (Polarity.NEVER, Polarity.DISLIKE, Polarity.LIKE)
    }
    for pref in sorted(preferences, key=lambda p: p.recorded_at, reverse=True):
        if pref.is_standing:
            groups[pref.polarity].append(pref)
    return groups
