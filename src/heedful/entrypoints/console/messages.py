"""The core's error messages in the staff member's language.

The core speaks English to integrators (the API shows its messages as they are). A refusal that
carries its own words for staff (``exc.said``, a phrase: ADR 0054) is said from its key in the
reader's language; that is the way for every new refusal, and the playbook reader's all do.
Older refusals have no phrase yet: for them the console matches the known message, pulls out the
values it names, and translates (``_KNOWN`` below, to shrink as refusals gain phrases). A message
the console does not know is shown in English rather than hidden: staff still learn what went
wrong.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from heedful.core.shared.errors import Forbidden, HeedfulError, NotFound
from heedful.entrypoints.console.labels import N_

Gettext = Callable[[str], str]

# (pattern of the core's message, console msgid). Named groups become %(name)s in the msgid.
_KNOWN: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), msgid)
    for pattern, msgid in (
        # Setting up without a shell (ADR 0043).
        # Goodwill (ADR 0041): the few a waiter meets with the form in hand.
        (
            r"^your allowance has (?P<left>.+) left this week$",
            N_("Your allowance has %(left)s left this week."),
        ),
        (
            r"^your allowance has (?P<left>.+) left this month$",
            N_("Your allowance has %(left)s left this month."),
        ),
        (
            r"^you have no allowance for \w+ here$",
            N_("You have no allowance for this here; ask a manager."),
        ),
        (r"^say why: the reason is what the report learns from$", N_("Say why.")),
        (r"^the amount must be above zero$", N_("The amount must be above zero.")),
        (r"^give the amount as a number$", N_("Give the amount as a number.")),
        (r"^items are counted whole", N_("Items are counted whole: 1, 2, 3.")),
        (r"^money has at most two decimals$", N_("Money has at most two decimals.")),
        (
            r"^money needs a three-letter currency",
            N_("Money needs a three-letter currency, such as UAH or EUR."),
        ),
        (
            r"^another manager approves your own spend$",
            N_("Another manager approves your own spend."),
        ),
        (r"^this spend is already \w+$", N_("This spend was already decided.")),
        (
            r"^the approval threshold must be below the allowance$",
            N_("The approval threshold must be below the allowance."),
        ),
        (
            r"^name the new kind as staff will see it$",
            N_("Name the new kind as staff will see it."),
        ),
        (
            r"^a kind is 2-40 lower-case letters",
            N_("A kind is 2 to 40 lower-case Latin letters, digits or _, such as spa_voucher."),
        ),
        (
            r"^this version of Heedful cannot read \w+ \S+ \(.*\); discard it, or retry after "
            r"upgrading$",
            N_(
                "This version of Heedful cannot read this record. Discard it, or retry it after"
                " an upgrade."
            ),
        ),
        # An evaluator's visit (audit_visits.py, the audits room, the photo store).
        (
            r"^answer every item, or mark it not applicable$",
            N_("Answer every item, or mark it not applicable."),
        ),
        (r"^must be a number$", N_("Enter a number.")),
        (r"^the file is empty$", N_("The file is empty.")),
        # Capacity per service or room type (capacity_form.py, the dealings room; ADR 0055).
        (r"^a name of 1 to 60 characters$", N_("Give a name of 1 to 60 characters.")),
        (
            r"^a service's tables need its from and until$",
            N_("Give the service's hours, such as 12:00-16:00."),
        ),
        (r"^a room type has no hours$", N_("A room type has no hours.")),
        (r"^two services with one name$", N_("Two services have the same name.")),
        (
            r"^overlaps (?P<name>.+)$",
            N_("Overlaps %(name)s: each reservation must belong to one service."),
        ),
        (r"^no service (?P<name>.+)$", N_("The location has no service %(name)s.")),
        (r"^say which service or room type$", N_("Choose the service or room type.")),
        (
            r"^one service a line: name, hours, tables$",
            N_(
                "Write one service a line: its name, hours and tables, such as Lunch 12:00-16:00 8."
            ),
        ),
        (
            r"^one room type a line: name, rooms$",
            N_("Write one room type a line: its name and rooms, such as Deluxe 20."),
        ),
        (r"^the file is larger than 8 MB$", N_("The file is larger than 8 MB.")),
        (
            r"^the file is not a JPEG, PNG, WebP or HEIC image$",
            N_("The file is not a JPEG, PNG, WebP or HEIC image."),
        ),
    )
)

FORBIDDEN = N_("Your role does not allow this.")
NOT_FOUND = N_("Not found, or not at your locations.")


def translated(exc: HeedfulError, gettext: Gettext) -> str:
    if exc.said is not None:
        return exc.said.say(gettext)
    for pattern, msgid in _KNOWN:
        match = pattern.match(exc.message)
        if match:
            return gettext(msgid) % match.groupdict() if match.groupdict() else gettext(msgid)
    if isinstance(exc, Forbidden):
        return gettext(FORBIDDEN)
    if isinstance(exc, NotFound):
        return gettext(NOT_FOUND)
    return exc.message
