"""The survey invitation, in Ukrainian, Russian and English: short, with the question and the link.

The link is the customer's own (signed for her invitation); the question is the survey's, in her
language, so she sees what she is asked before she opens it.
"""

from __future__ import annotations

from heedful.core.outreach import MessageTemplate

_GREETING = {
    "uk": (
        "{% if customer.first_name %}Вітаємо, {{ customer.first_name }}!"
        "{% else %}Вітаємо!{% endif %}"
    ),
    "ru": (
        "{% if customer.first_name %}Здравствуйте, {{ customer.first_name }}!"
        "{% else %}Здравствуйте!{% endif %}"
    ),
    "en": "{% if customer.first_name %}Hello {{ customer.first_name }},{% else %}Hello,{% endif %}",
}
_SIGN_OFF = "{% if location.name %}\n\n{{ location.name }}{% endif %}"
_UNSUBSCRIBE = {
    "uk": "{% if unsubscribe_url %}\n\nВідписатися від опитувань: {{ unsubscribe_url }}{% endif %}",
    "ru": "{% if unsubscribe_url %}\n\nОтписаться от опросов: {{ unsubscribe_url }}{% endif %}",
    "en": "{% if unsubscribe_url %}\n\nNo more surveys: {{ unsubscribe_url }}{% endif %}",
}
_BODY = {
    "uk": (
        "Дякуємо, що завітали до нас. Одне коротке запитання: {{ survey.question }}\n\n"
        "Відповісти (хвилина часу): {{ survey.url }}"
    ),
    "ru": (
        "Спасибо, что были у нас. Один короткий вопрос: {{ survey.question }}\n\n"
        "Ответить (минута времени): {{ survey.url }}"
    ),
    "en": (
        "Thank you for coming to see us. One short question: {{ survey.question }}\n\n"
        "Answer it (it takes a minute): {{ survey.url }}"
    ),
}
_SUBJECT = {
    "uk": "Як усе пройшло?",
    "ru": "Как всё прошло?",
    "en": "How did it go?",
}

SURVEY_TEMPLATES: tuple[MessageTemplate, ...] = tuple(
    MessageTemplate(
        key="survey_invitation",
        language=language,
        subject=_SUBJECT[language],
        text=f"{_GREETING[language]}\n\n{_BODY[language]}{_SIGN_OFF}{_UNSUBSCRIBE[language]}",
    )
    for language in ("uk", "ru", "en")
)
