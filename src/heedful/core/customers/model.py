"""The customer profile: one person, however many channels they reach us through."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from heedful.core.customers.spelling import sound_key
from heedful.core.shared.errors import InvalidInput
from heedful.core.shared.phrases import Phrase
from heedful.core.shared.text import refuse_hidden_characters

LANGUAGES = ("ru", "uk", "en")


class CustomerStatus(StrEnum):
    ACTIVE = "active"
    MERGED = "merged"  # absorbed into another record; kept so that the merge can be undone
    ERASED = "erased"  # personal data removed on request; the id stays for aggregates


class Segment(StrEnum):
    NEW = "new"
    REGULAR = "regular"
    VIP = "vip"
    AT_RISK = "at_risk"


# Fields staff and integrators may set; everything else is kept by the rules.
PROFILE_FIELDS = ("full_name", "language", "time_zone", "segment", "home_location_id", "birthday")


@dataclass
class Customer:
    id: str
    full_name: str
    language: str
    time_zone: str
    segment: Segment
    created_at: datetime
    updated_at: datetime
    home_location_id: str | None = None
    birthday: date | None = None
    status: CustomerStatus = CustomerStatus.ACTIVE
    merged_into_id: str | None = None
    erased_at: datetime | None = None
    location_ids: set[str] = field(default_factory=set)  # where the customer is known

    @property
    def is_merged(self) -> bool:
        return self.status is CustomerStatus.MERGED

    @property
    def is_erased(self) -> bool:
        return self.status is CustomerStatus.ERASED

    def profile(self) -> dict[str, Any]:
        """The editable fields as plain values: what the audit log and merges record."""
        values: dict[str, Any] = {}
        for name in PROFILE_FIELDS:
            value = getattr(self, name)
            values[name] = (
                value.isoformat()
                if isinstance(value, date)
                else str(value)
                if value is not None
                else None
            )
        return values

    def snapshot(self) -> dict[str, Any]:
        """Every stored field: enough to put the record back exactly as it was."""
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, (date, datetime)):
                value = value.isoformat()
            elif isinstance(value, set):
                value = sorted(value)
            elif isinstance(value, StrEnum):
                value = value.value
            out[f.name] = value
        return out

    @classmethod
    def from_snapshot(cls, data: dict[str, Any]) -> Customer:
        return cls(
            id=data["id"],
            full_name=data["full_name"],
            language=data["language"],
            time_zone=data["time_zone"],
            segment=Segment(data["segment"]),
            created_at=datetime.fromisoformat(data["created_at"]),
            updated_at=datetime.fromisoformat(data["updated_at"]),
            home_location_id=data.get("home_location_id"),
            birthday=date.fromisoformat(data["birthday"]) if data.get("birthday") else None,
            status=CustomerStatus(data["status"]),
            merged_into_id=data.get("merged_into_id"),
            erased_at=datetime.fromisoformat(data["erased_at"]) if data.get("erased_at") else None,
            location_ids=set(data.get("location_ids") or ()),
        )

    @property
    def is_active(self) -> bool:
        return self.status is CustomerStatus.ACTIVE


def check_language(value: str, *, field_name: str = "language") -> str:
    lang = value.strip().lower()
    if lang not in LANGUAGES:
        raise InvalidInput(
            f"language must be one of {', '.join(LANGUAGES)}",
            said=Phrase("refusal.language"),
            field=field_name,
        )
    return lang


_ZONES: frozenset[str] | None = None


def check_time_zone(value: str, *, field_name: str = "time_zone") -> str:
    global _ZONES  # noqa: PLW0603 - the IANA list is read once per process
    if _ZONES is None:
        _ZONES = frozenset(available_timezones())
    if value not in _ZONES:
        raise InvalidInput(
            f"{value!r} is not an IANA time zone such as Europe/Kyiv",
            said=Phrase("refusal.time_zone", {"value": value}),
            field=field_name,
        )
    try:
        ZoneInfo(value)
    except ZoneInfoNotFoundError as exc:  # pragma: no cover - listed zones always load
        raise InvalidInput(f"{value!r} is not a known time zone", field=field_name) from exc
    return value


def check_full_name(value: str) -> str:
    name = refuse_hidden_characters(" ".join(value.split()), field="full_name")
    if not name:
        raise InvalidInput(
            "a customer needs a name", said=Phrase("refusal.customer_name"), field="full_name"
        )
    if len(name) > 200:
        raise InvalidInput(
            "a name is at most 200 characters",
            said=Phrase("refusal.name_length"),
            field="full_name",
        )
    return name


def search_terms(full_name: str) -> set[str]:
    """Words of a name as the search box matches them: case- and accent-folded, ё as е.

    Each word is also kept under its sound key (``spelling.py``), so "morozova" finds Морозова.
    """
    words = query_words(full_name)
    return words | {key for key in map(sound_key, words) if key}


def query_words(text: str) -> set[str]:
    """The folded words of a name or of what was typed in the search box."""
    return {word for word in fold(text).replace("-", " ").split() if word}


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold().replace("ё", "е"))
    # Drop combining marks but keep й/ї, which NFKD splits: recompose after filtering.
    kept = "".join(ch for ch in decomposed if not unicodedata.combining(ch) or ch in "\u0306\u0308")
    return unicodedata.normalize("NFC", kept)
