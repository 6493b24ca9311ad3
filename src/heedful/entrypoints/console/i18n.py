"""The console in the reader's language: one Jinja2 environment per language, dates in their zone.

Jinja2's gettext is installed on an environment, not per render, so each language gets its own
environment (three, built once at start-up); a request picks one and never changes another
request's language.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_datetime, format_skeleton, format_timedelta
from babel.numbers import format_currency, format_percent, get_currency_precision
from babel.support import Translations
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

import heedful
from heedful.core.customers.model import LANGUAGES
from heedful.core.shared.errors import HeedfulError
from heedful.core.shared.phrases import Moment, Phrase
from heedful.entrypoints.console.labels import N_, msgid_for
from heedful.entrypoints.console.messages import translated

TRANSLATIONS_DIR = Path(heedful.__file__).parent / "translations"
TEMPLATES_DIR = Path(__file__).parent / "templates"
# Names of the languages in themselves: someone who cannot read the current one still finds theirs.
LANGUAGE_NAMES = {"ru": "Русский", "uk": "Українська", "en": "English"}
# Day, month name and time; babel declines the month as the language needs ("2 марта").
DATE_TIME = "d MMMM y, HH:mm"
DATE = "d MMMM y"
JUST_NOW_SECONDS = 60


@dataclass(frozen=True)
class Ui:
    """Everything that depends on the reader's language."""

    language: str
    env: Environment
    translations: Translations

    def gettext(self, message: str) -> str:
        return self.translations.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.translations.ngettext(singular, plural, n)

    def label(self, value: object, kind: str | None = None) -> str:
        return self.gettext(msgid_for(value, kind))

    def say(self, text: str | Phrase | None, kept: str = "") -> str:
        """A system sentence in the reader's language (ADR 0047); words without a phrase (typed
        by a person, or a row from before phrases) as they were kept."""
        if isinstance(text, Phrase):
            return text.say(self.gettext, self.moment)
        return text or kept

    def moment(self, moment: Moment) -> str:
        """An instant inside a phrase: the reader's date and time, in the place's zone."""
        try:
            return f"{self.when(moment.at, moment.zone)} ({moment.zone})"
        except (ValueError, KeyError):  # a zone this machine does not know
            return f"{self.when(moment.at)} (UTC)"

    def error(self, exc: HeedfulError) -> str:
        return translated(exc, self.gettext)

    def when(self, at: datetime | None, zone: str = "UTC", pattern: str = DATE_TIME) -> str:
        if at is None:
            return ""
        return format_datetime(at, pattern, tzinfo=ZoneInfo(zone), locale=self.language)

    def day(self, at: date | None) -> str:
        """A calendar date (a birthday) as it is written: no time, so no zone to shift it."""
        return format_date(at, DATE, locale=self.language) if at is not None else ""

    def short_day(self, at: date) -> str:
        """Day and month as the language writes them short ("23.02", "2/23"): a week's label on a
        chart, where "W09" would be English on a Russian screen."""
        return format_skeleton("Md", at, locale=self.language)

    def ago(self, at: datetime | None, now: datetime) -> str:
        if at is None:
            return ""
        if abs((now - at).total_seconds()) < JUST_NOW_SECONDS:
            # "in 0 seconds" reads like a bug; a note taken a moment ago was taken "just now".
            return self.gettext(N_("just now"))
        return format_timedelta(at - now, add_direction=True, locale=self.language)

    def percent(self, share: float) -> str:
        return format_percent(share, locale=self.language)

    def money(self, amount_minor: int | None, currency: str | None) -> str:
        if amount_minor is None or not currency:
            return ""
        digits = get_currency_precision(currency)
        return format_currency(amount_minor / 10**digits, currency, locale=self.language)

    def language_name(self, code: str) -> str:
        try:
            return Locale.parse(code).get_display_name(self.language) or code
        except (ValueError, UnknownLocaleError):
            return code


def _environment(translations: Translations) -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=select_autoescape(["html"]),
        extensions=["jinja2.ext.i18n"],
        undefined=StrictUndefined,  # a misspelt variable fails the test instead of rendering blank
        trim_blocks=True,
        lstrip_blocks=True,
    )
    # babel.cfg extracts with trimmed=true; rendering must trim the same way or no msgid matches.
    env.policies["ext.i18n.trimmed"] = True
    env.install_gettext_translations(translations, newstyle=True)  # type: ignore[attr-defined]
    return env


@cache  # the catalogs and templates are read once per process, by the console and public pages
def build_uis() -> dict[str, Ui]:
    uis: dict[str, Ui] = {}
    for language in LANGUAGES:
        translations = Translations.load(str(TRANSLATIONS_DIR), [language])
        if not isinstance(translations, Translations):
            # A missing catalog must fail at start-up, not show English to a Russian reception.
            raise RuntimeError(f"no compiled catalog for {language} in {TRANSLATIONS_DIR}")
        ui = Ui(language=language, env=_environment(translations), translations=translations)
        ui.env.globals.update(_globals(ui))
        uis[language] = ui
    return uis


def _globals(ui: Ui) -> dict[str, Any]:
    return {
        "label": ui.label,
        "say": ui.say,
        "when": ui.when,
        "day": ui.day,
        "short_day": ui.short_day,
        "ago": ui.ago,
        "percent": ui.percent,
        "money": ui.money,
        "language_name": ui.language_name,
        "language_names": LANGUAGE_NAMES,
        "ui_language": ui.language,
    }


def negotiate(accept_language: str | None, default: str) -> str:
    """The first language of the browser's Accept-Language that the console speaks."""
    if not accept_language:
        return default
    preferred: list[tuple[float, str]] = []
    for position, part in enumerate(accept_language.split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        # Sort by quality, then by the order the browser gave.
        preferred.append((-quality + position * 1e-6, tag.strip().lower()))
    for _, tag in sorted(preferred):
        primary = tag.split("-")[0]
        if primary in LANGUAGES:
            return primary
    return default
