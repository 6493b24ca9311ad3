"""The core's refusals in the staff member's language.

The core speaks English to integrators (the API shows its messages as they are). A refusal that
carries its own words for staff (``exc.said``, a phrase: ADR 0054) is said from its key in the
reader's language; that is the way for every new refusal. The console once matched the English
of older refusals against a table of patterns; each of those refusals now says its phrase
(``core/shared/refusals.py``), so the table is gone and rewording the English can no longer lose
a translation unnoticed. A refusal without words says "your role does not allow this" or "not
found" by its kind, or else is shown in English rather than hidden: staff still learn what went
wrong.
"""

from __future__ import annotations

from collections.abc import Callable

from heedful.core.shared.errors import Forbidden, HeedfulError, NotFound
from heedful.entrypoints.console.labels import N_

Gettext = Callable[[str], str]

FORBIDDEN = N_("Your role does not allow this.")
NOT_FOUND = N_("Not found, or not at your locations.")


def translated(exc: HeedfulError, gettext: Gettext) -> str:
    if exc.said is not None:
        return exc.said.say(gettext)
    if isinstance(exc, Forbidden):
        return gettext(FORBIDDEN)
    if isinstance(exc, NotFound):
        return gettext(NOT_FOUND)
    return exc.message
