"""Which of Russian, Ukrainian or English a comment is written in, from its letters alone.

No model: the alphabets differ where it matters. і ї є ґ (and an apostrophe inside a Cyrillic word,
п'ять) are Ukrainian only; ы э ъ ё are Russian only. A short Cyrillic comment with none of them
("Дякую", "Смачно дуже" have none) is decided by a few common words, else read as Russian.
"""

from __future__ import annotations

import re

LANGUAGES = ("ru", "uk", "en")
_UKRAINIAN_LETTERS = frozenset("іїєґ")
_RUSSIAN_LETTERS = frozenset("ыэъё")
_CYRILLIC = re.compile(r"[а-яёіїєґў]")
_LATIN = re.compile(r"[a-z]")
_APOSTROPHE_IN_CYRILLIC = re.compile(r"[а-яіїєґ]['’ʼ][а-яіїєґ]")
_WORDS = re.compile(r"[а-яёіїєґ]+")
# Frequent words spelled only one way: a tie-breaker when the letters say nothing.
_UKRAINIAN_WORDS = frozenset(
    [
        "що",
        "як",
        "та",
        "але",
        "дуже",
        "це",
        "ще",
        "чи",
        "щоб",
        "ми",
        "ви",
        "вони",
        "було",
        "були",
        "зараз",
        "тут",
        "коли",
        "також",
        "лише",
        "теж",
        "навіть",
        "смачно",
        "гарно",
        "швидко",
        "довго",
        "тому",
        "проте",
        "зате",
        "хоча",
        # A first message is often only a greeting or a thank-you.
        "дякую",
        "дякуємо",
        "привіт",
        "вітаю",
        "добрий",
        "доброго",
        "будь",
        "ласка",
        "скільки",
        "коштує",
    ]
)
_RUSSIAN_WORDS = frozenset(
    [
        "что",
        "как",
        "это",
        "но",
        "очень",
        "мы",
        "вы",
        "они",
        "еще",
        "когда",
        "тоже",
        "только",
        "даже",
        "вкусно",
        "хорошо",
        "быстро",
        "долго",
        "потому",
        "однако",
        "зато",
        "хотя",
        "был",
        "была",
        "спасибо",
        "здравствуйте",
        "привет",
        "добрый",
        "пожалуйста",
        "сколько",
        "стоит",
    ]
)


def detect_language(text: str) -> str:
    """``"ru"``, ``"uk"`` or ``"en"``; text with no letters at all counts as English."""
    lower = text.lower()
    cyrillic = len(_CYRILLIC.findall(lower))
    if cyrillic <= len(_LATIN.findall(lower)):
        return "en"
    ukrainian = sum(ch in _UKRAINIAN_LETTERS for ch in lower)
    ukrainian += 2 * len(_APOSTROPHE_IN_CYRILLIC.findall(lower))
    russian = sum(ch in _RUSSIAN_LETTERS for ch in lower)
    if ukrainian != russian:
        return "uk" if ukrainian > russian else "ru"
    words = _WORDS.findall(lower)
    ukrainian_words = sum(word in _UKRAINIAN_WORDS for word in words)
    russian_words = sum(word in _RUSSIAN_WORDS for word in words)
    return "uk" if ukrainian_words > russian_words else "ru"


_LETTER = re.compile(r"[^\W\d_]")


def language_written_in(text: str, otherwise: str = "en") -> str:
    """The language of what a customer wrote, or ``otherwise`` when it is too short to tell.

    A first e-mail or chat is the best evidence of the language a customer reads: "Доброго дня,
    сумка Selene є?" is Ukrainian whatever her browser says. A message of a couple of letters
    ("ok", "?") says nothing, and the channel's own hint (the browser's language) stands.
    """
    if len(_LETTER.findall(text)) < 3:
        return otherwise
    return detect_language(text)
