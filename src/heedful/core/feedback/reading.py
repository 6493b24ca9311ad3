"""What the text model says about one comment, and the port through which the core asks it.

The core never imports a model: an adapter (``heedful.adapters.text``) implements ``CommentReader``
with the multilingual encoder when it is installed, or with the character n-gram fallback.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol


class Sentiment(StrEnum):
    POSITIVE = "positive"
    NEUTRAL = "neutral"
    NEGATIVE = "negative"
    # Praise for one thing and blame for another in the same comment.
    MIXED = "mixed"


# The emotions a reading may name: the five basic ones of CEDR and the three that matter in service.
EMOTIONS = (
    "joy",
    "sadness",
    "anger",
    "fear",
    "surprise",
    "gratitude",
    "disappointment",
    "annoyance",
)

# What a comment may speak of.
THEMES = (
    "staff",
    "waiting",
    "cleanliness",
    "price",
    "product_quality",
    "atmosphere",
    "food",
    "room",
    "delivery",
    "communication",
)


@dataclass(frozen=True, slots=True)
class ThemeReading:
    """One theme a comment speaks of, and how it speaks of it."""

    theme: str
    sentiment: Sentiment
    score: float  # in [-1, 1]
    # The part of the comment that speaks of it ("we waited forty minutes").
    excerpt: str = ""


@dataclass(frozen=True, slots=True)
class CommentReading:
    """The reading of one free-text comment."""

    language: str  # "ru", "uk" or "en": as given, or as detected when not given
    sentiment: Sentiment
    score: float  # in [-1, 1]; negative is unhappy
    # Each emotion named with its probability; only those above the model's threshold.
    emotions: dict[str, float] = field(default_factory=dict)
    themes: tuple[ThemeReading, ...] = ()
    # Which model read it, with its version, so that a stored reading can be explained later.
    model: str = ""


class CommentReader(Protocol):
    """Reads free text offline, in Russian, Ukrainian and English."""

    @property
    def name(self) -> str:
        """The model and its version, e.g. ``"e5-small-heads/2026-11-24"``."""
        ...

    def read(self, text: str, language: str | None = None) -> CommentReading: ...

    def read_many(
        self, texts: Sequence[str], languages: Sequence[str | None] | None = None
    ) -> list[CommentReading]: ...
