"""A questionnaire: sections of items an evaluator answers about one visit, kept in versions.

Editing a questionnaire makes a new version; a visit keeps the version it was assigned with, so
a past score never moves because someone reworded or reweighted an item later (ADR 0039).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

LANGUAGES = ("ru", "uk", "en")


class ItemKind(StrEnum):
    YES_NO = "yes_no"
    SCALE = "scale"
    SINGLE_CHOICE = "single_choice"
    MULTIPLE_CHOICE = "multiple_choice"
    NUMBER = "number"
    FREE_TEXT = "free_text"
    PHOTO = "photo"
    # Answered from the promise ledger, never by the evaluator: was the promise the scenario
    # drew from the staff (a call-back, a back-in-stock message) kept?
    PROMISE_KEPT = "promise_kept"


# Kinds that earn points. Free text and photos are evidence for the reviewer, never a score.
SCORED = frozenset(
    {
        ItemKind.YES_NO,
        ItemKind.SCALE,
        ItemKind.SINGLE_CHOICE,
        ItemKind.MULTIPLE_CHOICE,
        ItemKind.NUMBER,
        ItemKind.PROMISE_KEPT,
    }
)


@dataclass(frozen=True)
class Choice:
    key: str
    titles: Mapping[str, str]
    points: float = 0.0  # the share of the item's weight this choice earns, 0..1


@dataclass(frozen=True)
class Item:
    key: str  # stable across versions: results follow an item by its key
    kind: ItemKind
    titles: Mapping[str, str]
    weight: float = 1.0
    # "Not applicable" in this visit (no bar in this hotel): left out of the denominator.
    may_be_not_applicable: bool = False
    # A knock-out: failing it caps the visit's score at this many points out of 100.
    knockout_cap: float | None = None
    guidance: Mapping[str, str] = field(default_factory=dict)  # what good looks like
    scale_min: int = 1
    scale_max: int = 5
    choices: tuple[Choice, ...] = ()
    # For numbers: the range that earns the points ("waited at most 5 minutes": 0..5).
    good_from: float | None = None
    good_to: float | None = None
    # A promise kept after its deadline earns this share of the points.
    late_credit: float = 0.5

    @property
    def scored(self) -> bool:
        return self.kind in SCORED and self.weight > 0

    def title(self, language: str) -> str:
        return _in(self.titles, language)

    def guidance_in(self, language: str) -> str:
        return _in(self.guidance, language)

    def choice(self, key: str) -> Choice | None:
        return next((c for c in self.choices if c.key == key), None)


@dataclass(frozen=True)
class Section:
    key: str
    titles: Mapping[str, str]
    items: tuple[Item, ...]
    weight: float = 1.0

    def title(self, language: str) -> str:
        return _in(self.titles, language)


@dataclass(frozen=True)
class QuestionnaireBody:
    """What a manager writes; reading.py makes one from JSON or refuses it with a path."""

    titles: Mapping[str, str]
    sections: tuple[Section, ...]
    # What is worked out once from this version and never changes (scoring's plan): a version is
    # never edited, so nothing here goes stale.
    derived: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def items(self) -> list[Item]:
        return [item for section in self.sections for item in section.items]

    def item(self, key: str) -> Item | None:
        return next((item for item in self.items() if item.key == key), None)


@dataclass(frozen=True)
class Questionnaire:
    """One version of a questionnaire, as stored: never changed, only followed by another."""

    id: str
    version: int
    body: QuestionnaireBody
    source: Mapping[str, object]  # the JSON it was read from, kept to be shown and edited
    created_at: datetime
    created_by: str

    def title(self, language: str) -> str:
        return _in(self.body.titles, language)


def _in(texts: Mapping[str, str], language: str) -> str:
    """The text in this language, else English, else any: a title is never blank."""
    return texts.get(language) or texts.get("en") or next(iter(texts.values()), "")
