"""Words staff read for the conversation room's stored values (statuses, channels, clocks).

Apart from labels.py so that the inbox's words are found in one place; marked with ``N_`` for
``pybabel extract`` and translated when a page is rendered, in the reader's language.
"""

from __future__ import annotations

from enum import StrEnum

from heedful.core.conversations.model import Channel, Direction, Priority, ThreadStatus
from heedful.core.shared.phrases import Phrase
from heedful.core.sla.model import ClockKind, ClockState
from heedful.entrypoints.console.i18n import Ui
from heedful.entrypoints.console.labels import N_

_WORDS: dict[type[StrEnum], dict[str, str]] = {
    ThreadStatus: {
        ThreadStatus.OPEN: N_("Open"),
        ThreadStatus.WAITING_ON_CUSTOMER: N_("Waiting on the customer"),
        ThreadStatus.RESOLVED: N_("Resolved"),
    },
    Channel: {Channel.EMAIL: N_("E-mail"), Channel.CHAT: N_("Chat")},
    Priority: {
        Priority.LOW: N_("Low"),
        Priority.NORMAL: N_("Normal"),
        Priority.HIGH: N_("High"),
        Priority.URGENT: N_("Urgent"),
    },
    Direction: {Direction.IN: N_("Customer"), Direction.OUT: N_("Staff")},
    ClockKind: {
        ClockKind.FIRST_RESPONSE: N_("First response"),
        ClockKind.NEXT_RESPONSE: N_("Next response"),
        ClockKind.RESOLUTION: N_("Resolution"),
    },
    ClockState: {
        ClockState.RUNNING: N_("Running"),
        ClockState.PAUSED: N_("Paused"),
        ClockState.MET: N_("Met"),
        ClockState.BREACHED: N_("Breached"),
    },
}


def say(ui: Ui, value: StrEnum | Phrase | str | None) -> str:
    """The reader's word for a conversation value; an unknown code is shown as it is.

    Anything else on the room's pages (a promise's own words beside the thread: typed by staff,
    or a phrase of the system's) is said as everywhere else in the console.
    """
    if isinstance(value, StrEnum):
        return ui.gettext(_WORDS.get(type(value), {}).get(value.value, value.value))
    return ui.say(value)
