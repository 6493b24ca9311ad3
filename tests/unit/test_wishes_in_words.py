"""A guest's "never" wishes quoted as staff wrote them, in English, Russian or Ukrainian."""

from __future__ import annotations

from datetime import UTC, datetime

from heedful.core.playbooks.state import wishes_of
from heedful.core.preferences.model import Category, Polarity, Preference, Source

AT = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)


def _wish(
    subject: str, polarity: Polarity = Polarity.NEVER, category: Category = Category.DRINK
) -> Preference:
    return Preference(
        id=f"prf_{subject}",
        customer_id="cus_1",
        polarity=polarity,
        subject=subject,
        category=category,
        note="",
        source=Source.SAID,
        confidence=1.0,
        recorded_at=AT,
        recorded_by="stf_1",
        recorded_by_label="Оксана Бондар",
    )


def test_a_never_in_english_reads_no_and_room_likes_follow() -> None:
    wishes, never = wishes_of(
        [
            _wish("sparkling water in the minibar"),
            _wish("two firm pillows", Polarity.LIKE, Category.ROOM),
        ]
    )
    assert wishes == "no sparkling water in the minibar; two firm pillows"
    assert never == "sparkling water in the minibar"


def test_a_never_in_cyrillic_is_not_prefixed_with_an_english_no() -> None:
    wishes, _ = wishes_of(
        [_wish("газована вода в мінібарі"), _wish("без орехов"), _wish("no nuts")]
    )
    assert wishes == "без: газована вода в мінібарі; без орехов; no nuts"
