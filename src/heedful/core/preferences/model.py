"""Preferences: what a customer likes, dislikes or must never be given, and how we know it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from heedful.core.catalog import normalise
from heedful.core.shared.errors import InvalidInput
from heedful.core.shared.phrases import Phrase
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
    # "brand X in size M": {"brand": "x", "size": "m"}, normalised as the catalog's values are;
    # it fits every variant that has them all, existing or added later (ADR 0049).
    attributes: dict[str, str] = field(default_factory=dict)

    @property
    def is_standing(self) -> bool:
        return self.retracted_at is None


def check_subject(subject: str) -> str:
    # A subject is a label staff read on the card ("never: peanuts"): it must not hide anything.
    text = refuse_hidden_characters(" ".join(subject.split()), field="subject")
    if not text:
        raise InvalidInput(
            "say what the preference is about",
            said=Phrase("refusal.preference_subject"),
            field="subject",
        )
    if len(text) > 200:
        raise InvalidInput(
            "a preference is at most 200 characters; use the note",
            said=Phrase("refusal.preference_length"),
            field="subject",
        )
    return text


MAX_ATTRIBUTES = 6
MAX_ATTRIBUTE_VALUE = 100


def check_attributes(raw: Mapping[str, object] | None) -> dict[str, str]:
    """Attribute names and values normalised where they enter, as the catalog's are."""
    if not raw:
        return {}
    if len(raw) > MAX_ATTRIBUTES:
        raise InvalidInput(
            f"a preference names at most {MAX_ATTRIBUTES} attributes", field="attributes"
        )
    found: dict[str, str] = {}
    for key, value in raw.items():
        name, text = normalise(str(key)), normalise(str(value if value is not None else ""))
        if not name or not text:
            raise InvalidInput("each attribute needs a name and a value", field="attributes")
        if len(name) > MAX_ATTRIBUTE_VALUE or len(text) > MAX_ATTRIBUTE_VALUE:
            raise InvalidInput(
                f"an attribute is at most {MAX_ATTRIBUTE_VALUE} characters", field="attributes"
            )
        found[name] = text
    return found


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
