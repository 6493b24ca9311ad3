"""Sentences the system writes for people: a key and its values, said at read time (ADR 0047).

The core decides what to tell staff ("Due soon: call Anna back", "quiet hours in the customer's
time zone"), never in which language: the reader's language is known only when someone reads. So a
task title, a promise's own words or why a message waits are a `Phrase`: a stable key and the
values that fill it. Rows keep the English too, for readers without a catalog (exports, search, an
old client) and so that a row written before keys existed still reads as it did.

The English of every key is here, marked with `N_` so that `pybabel extract` finds it: the console
and the API translate it with the reader's catalog and fill in the values. A value can itself be a
phrase (a promise's own words inside "Due soon: ..."), said in the same language. Keys are stable:
rewording the English changes the msgid, never the key, so stored rows follow the new words.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from heedful.core.shared.playbook_phrases import PLAYBOOK_ENGLISH
from heedful.core.shared.playbook_refusals import PLAYBOOK_REFUSALS
from heedful.core.shared.refusals import REFUSALS


def N_(message: str) -> str:  # noqa: N802 - the gettext convention pybabel looks for
    """Marks English for extraction; translates nothing (the core has no catalog)."""
    return message


ENGLISH: dict[str, str] = {
    # Tasks the system makes.
    "task.due_soon": N_("Due soon: %(promise)s"),
    "task.broken_promise": N_("Broken promise: %(promise)s"),
    "task.made_by": N_("made by %(name)s"),
    "task.answer_soon": N_("Answer soon (%(what)s due): %(subject)s"),
    "task.sla_breached": N_("SLA breached (%(what)s): %(subject)s"),
    "task.about_conversation": N_("conversation %(id)s"),
    "sla.first_response": N_("first reply"),
    "sla.next_response": N_("reply"),
    "sla.resolution": N_("resolution"),
    # A promise's own words when staff gave none, or the system made it.
    "promise.tell_when_available": N_("Tell the customer when %(item)s is available"),
    "promise.call_back": N_("Call the customer back"),
    "promise.reply_by": N_("Reply to the customer"),
    "promise.refund_by": N_("Refund the customer"),
    "promise.deliver_by": N_("Deliver the order"),
    "promise.call_unreachable": N_(
        "Call the customer: %(item)s is back and no message can reach her (%(why)s)"
    ),
    "promise.win_back": N_("Win back the customer after %(why)s (%(kind)s %(score)s)"),
    "promise.win_back_churn": N_("Win back the customer: churn risk %(score)s/100"),
    "promise.refund_order": N_("Refund order %(reference)s"),
    "promise.refund_order_amount": N_("Refund order %(reference)s (%(amount)s)"),
    "promise.reply_to": N_("Reply to the customer: %(subject)s"),
    "recovery.detractor": N_("a detractor"),
    "recovery.low_csat": N_("a low satisfaction score"),
    "recovery.negative_comment": N_("a strongly negative comment"),
    "recovery.and": N_("%(first)s and %(second)s"),
    # Why a message waits, or was not sent.
    "reason.quiet_hours": N_("quiet hours in the customer's time zone"),
    "reason.no_address": N_("no e-mail, phone or messenger address"),
    "reason.no_consent": N_("no %(purpose)s consent on %(channels)s"),
    "reason.capped": N_("%(count)s %(purpose)s messages in the last %(days)s days"),
    "reason.promise_ended": N_("the promise is %(state)s"),
    "reason.stock_went": N_("the stock went before the customer could be told"),
    "reason.customer_erased": N_("the customer was erased"),
    # A promise's timeline: what happened, when the system says it.
    "evidence.arrived": N_("%(item)s arrived"),
    "evidence.sent_on": N_("%(channel)s to %(to)s"),
    "evidence.linked_to": N_("linked to %(code)s"),
    "channel.email": N_("e-mail"),
    "channel.sms": N_("SMS"),
    "channel.messenger": N_("messenger"),
    # Words used inside the sentences above.
    "purpose.service": N_("service"),
    "purpose.marketing": N_("marketing"),
    "state.kept": N_("kept"),
    "state.kept_late": N_("kept late"),
    "state.broken": N_("broken"),
    "state.cancelled": N_("cancelled"),
    "state.withdrawn": N_("withdrawn"),
    "state.open": N_("open"),
    # A dry-run of a night's book (``tonight`` playbooks): what it read and would have done.
    "dry_run.night": N_(
        "%(location)s, %(day)s: %(booked)s reservations for %(capacity)s %(kind)s, "
        "%(held)s held, %(free)s free"
    ),
    "dry_run.night_service": N_(
        "%(location)s, %(service)s, %(day)s: %(booked)s reservations for %(capacity)s "
        "%(kind)s, %(held)s held, %(free)s free"
    ),
    "dry_run.condition": N_("condition met: %(condition)s"),
    "dry_run.already_fired": N_("already fired live"),
    "dry_run.hold": N_("hold %(count)s %(kind)s from %(starts)s until %(until)s"),
    "dry_run.no_hold": N_(
        "no hold of %(count)s %(kind)s: a hold is set only on its own day, before %(until)s"
    ),
    "dry_run.task_for_role": N_("task '%(title)s' for the location's %(role)s"),
    "dry_run.task_for_staff": N_("task '%(title)s' for %(staff)s"),
    "capacity.tables": N_("tables"),
    "capacity.rooms": N_("rooms"),
    "role.admin": N_("admins"),
    "role.manager": N_("managers"),
    "role.agent": N_("front-line staff"),
    # What playbooks' firings and dry-runs say (playbook_phrases.py, ADR 0054).
    **PLAYBOOK_ENGLISH,
    # Why a playbook is refused, for staff (playbook_refusals.py, ADR 0054).
    **PLAYBOOK_REFUSALS,
    # Refusals staff meet in other forms (refusals.py, ADR 0054).
    **REFUSALS,
}


@dataclass(frozen=True)
class Moment:
    """An instant inside a phrase, with the zone of the place it concerns (ADR 0054).

    The reader's language writes the date ("9 октября 2026, 18:00"), in the place's zone, not
    "2026-10-09 15:00 UTC"; without a reader (the API's English, an export) it reads as below.
    """

    at: datetime
    zone: str = "UTC"

    def english(self) -> str:
        try:
            local = self.at.astimezone(ZoneInfo(self.zone))
        except (ValueError, KeyError):  # a zone this machine does not know: say it in UTC
            return f"{self.at.astimezone(ZoneInfo('UTC')):%Y-%m-%d %H:%M} UTC"
        return f"{local:%Y-%m-%d %H:%M} {self.zone}"


@dataclass(frozen=True)
class Phrase:
    """A sentence by key, with what fills it; `english()` is what the row also keeps."""

    key: str
    params: Mapping[str, str | int | Phrase | Moment] = field(default_factory=dict)

    def say(
        self,
        gettext: Callable[[str], str] = N_,
        when: Callable[[Moment], str] | None = None,
    ) -> str:
        """In the language of ``gettext``, instants written by ``when``; English without them.
        Never raises, as a page must not fail over one sentence: an unknown key (a row from a
        newer release) says its values plainly, a value the template wants and the row lacks
        reads as "…"."""
        english = ENGLISH.get(self.key)
        values = _Filled((name, _said(value, gettext, when)) for name, value in self.params.items())
        if english is None:
            return " ".join(str(v) for v in values.values()) or self.key
        try:
            return gettext(english) % values
        except (TypeError, ValueError):  # a translation that breaks its placeholders
            return english % values

    def english(self) -> str:
        return self.say()

    @classmethod
    def from_json(cls, key: str, params: Mapping[str, Any] | None) -> Phrase:
        return cls(key, {name: _value(value) for name, value in (params or {}).items()})


def _said(
    value: str | int | Phrase | Moment,
    gettext: Callable[[str], str],
    when: Callable[[Moment], str] | None,
) -> str | int:
    if isinstance(value, Phrase):
        return value.say(gettext, when)
    if isinstance(value, Moment):
        return when(value) if when is not None else value.english()
    return value


def _value(value: Any) -> str | int | Phrase | Moment:
    # A value that is itself a phrase is stored as its params with its key under ""; an
    # instant as {"@at": ISO 8601, "zone": ...}.
    if isinstance(value, dict):
        if "@at" in value:
            try:
                return Moment(datetime.fromisoformat(str(value["@at"])), str(value.get("zone")))
            except ValueError:
                return str(value["@at"])
        inner = {k: v for k, v in value.items() if k != ""}
        return Phrase.from_json(str(value.get("", "")), inner)
    return value if isinstance(value, int) else str(value)


class _Filled(dict[str, object]):
    """The values of a phrase; one a template wants but the row lacks reads as an ellipsis."""

    def __missing__(self, name: str) -> str:
        return "…"


def params_json(phrase: Phrase | None) -> dict[str, Any] | None:
    """The params column of a phrase: its values, a nested phrase as {"": key, ...}."""
    if phrase is None:
        return None
    return {name: _json(value) for name, value in phrase.params.items()}


def _json(value: str | int | Phrase | Moment) -> Any:
    if isinstance(value, Phrase):
        return {"": value.key, **(params_json(value) or {})}
    if isinstance(value, Moment):
        return {"@at": value.at.isoformat(), "zone": value.zone}
    return value


def said(text: str | Phrase) -> str:
    """The English of a line that is either a phrase or words kept as they are (an old row)."""
    return text.english() if isinstance(text, Phrase) else text


def line_json(text: str | Phrase) -> Any:
    """One line of a JSON list of lines (a firing's reasons and deeds): words kept as they are
    stay a string, a phrase is {"key": ..., "params": ...}. Old rows hold strings only."""
    if isinstance(text, Phrase):
        return {"key": text.key, "params": params_json(text) or {}}
    return text


def line_from_json(value: Any) -> str | Phrase:
    if isinstance(value, dict) and "key" in value:
        return Phrase.from_json(str(value["key"]), value.get("params"))
    return value if isinstance(value, str) else str(value)


def words(text: str | Phrase) -> tuple[str, Phrase | None]:
    """The English a row keeps and the phrase behind it (None for words a person typed)."""
    if isinstance(text, Phrase):
        return text.english(), text
    return text, None


def word(prefix: str, value: str) -> str | Phrase:
    """A stored code said as a word (``purpose.marketing``); an unknown code stays as it is."""
    key = f"{prefix}.{value}"
    return Phrase(key) if key in ENGLISH else value
