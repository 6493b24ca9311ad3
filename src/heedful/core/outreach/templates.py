"""Message templates and how one is chosen: the customer's language first, English last.

A template is data (a key such as "back_in_stock", a language and the source of its subject,
text and optional HTML); filling it in is the rendering adapter's job. Choosing is a rule, so it
lives here: a customer who reads Ukrainian gets Ukrainian when there is a Ukrainian template,
otherwise the location's language, otherwise English, never nothing when English exists.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from heedful.core.shared.errors import NotFound

FALLBACK_LANGUAGE = "en"


@dataclass(frozen=True)
class MessageTemplate:
    key: str  # what the message is for: "back_in_stock", "promise_reminder", "wait_expired"
    language: str  # a primary language tag: "uk", "ru", "en"
    subject: str  # e-mail subject; the other channels send only the text
    text: str
    html: str | None = None


def choose_template(
    templates: Iterable[MessageTemplate], key: str, languages: Sequence[str]
) -> MessageTemplate:
    """The template for ``key`` in the first of ``languages`` that has one.

    ``languages`` is the order of preference, usually the customer's language, then the
    location's; English is always tried last. Regional tags fall back to their language
    ("uk-UA" finds "uk"), because a shop rarely writes a template per region.
    """
    by_language = {
        template.language.lower(): template for template in templates if template.key == key
    }
    for language in _preference_order(languages):
        if language in by_language:
            return by_language[language]
    tried = ", ".join(_preference_order(languages))
    raise NotFound(f"There is no message template {key!r} in any of: {tried}.", field="key")


def _preference_order(languages: Sequence[str]) -> list[str]:
    order: list[str] = []
    for language in [*languages, FALLBACK_LANGUAGE]:
        tag = language.strip().lower().replace("_", "-")
        for candidate in (tag, tag.split("-")[0]):
            if candidate and candidate not in order:
                order.append(candidate)
    return order
