"""Which language a comment is in, from its letters."""

from __future__ import annotations

import pytest

from heedful.adapters.text import detect_language
from heedful.core.shared.language import language_written_in


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Персонал дуже приємний, але чекати довелося сорок хвилин.", "uk"),
        ("Персонал был очень милый, но ждали сорок минут.", "ru"),
        ("The staff were lovely, but we waited forty minutes.", "en"),
        # No і ї є ґ and no ы э ъ ё: common words decide.
        ("Смачно дуже!!!", "uk"),
        ("Вкусно очень!!!", "ru"),
        ("П'ять зірок", "uk"),  # the apostrophe inside a Cyrillic word is Ukrainian
        ("Подъезд", "ru"),
        ("Wi-Fi у номері не працює", "uk"),  # Latin brand names do not make it English
        ("", "en"),
        ("10/10 👍", "en"),
    ],
)
def test_the_language_of_a_comment_is_read_from_its_letters(text: str, language: str) -> None:
    assert detect_language(text) == language


@pytest.mark.parametrize(
    ("text", "otherwise", "expected"),
    [
        ("ok", "uk", "uk"),
        ("?!", "ru", "ru"),
        ("Дякую", "en", "uk"),
        ("Thanks a lot", "uk", "en"),
        ("Спасибо!", "en", "ru"),
    ],
)
def test_too_short_to_tell_leaves_the_channels_hint(
    text: str, otherwise: str, expected: str
) -> None:
    assert language_written_in(text, otherwise) == expected
