"""What a playbook would do, in words, without doing it: the dry-run's answer (ADR 0054).

Each action said as a phrase for the reader's language; a deadline is a ``Moment`` in the
look-ahead's or the location's zone, written by the console in the staff's words.
"""

from __future__ import annotations

from heedful.core.playbooks.actions import (
    Firing,
    assignee,
    fill,
    kind_word,
    promise_due,
    reference_of,
    task_due,
)
from heedful.core.playbooks.model import (
    Action,
    CreateTask,
    HoldCapacity,
    OpenPromise,
    SendMessage,
    SendSurvey,
)
from heedful.core.shared.phrases import Moment, Phrase, word


def _zone(firing: Firing) -> str:
    """The zone a dry-run's deadlines are said in: the look-ahead's, else the location's."""
    if firing.zone != "UTC" or firing.location_id is None:
        return firing.zone
    place = firing.uow.locations.get(firing.location_id)
    return firing.zone if place is None else place.time_zone


def _describe_task(action: CreateTask, firing: Firing) -> Phrase:
    if firing.location_id is None:
        return Phrase("would.no_task")
    who = assignee(action, firing, firing.location_id)
    said: dict[str, str | int | Phrase | Moment] = {
        "title": fill(action.title, firing),
        "who": who.label,
    }
    key = "would.task"
    if action.goodwill_amount is not None:
        said["goodwill"] = f"{action.goodwill_amount} {action.goodwill_currency}"
        key += "_goodwill"
    due = task_due(action, firing)
    if due is not None:
        said["due"] = Moment(due, _zone(firing))
        key += "_due"
    return Phrase(key, said)


def describe(action: Action, firing: Firing) -> Phrase:
    """What ``perform`` would do, in words, without writing anything."""
    if isinstance(action, CreateTask):
        return _describe_task(action, firing)
    if isinstance(action, SendMessage):
        purpose = word("purpose", action.purpose.value)
        return Phrase("would.message", {"template": action.template, "purpose": purpose})
    if isinstance(action, OpenPromise):
        due_at = promise_due(action, firing)
        kind = kind_word(action.kind.value)
        if due_at is None:
            return Phrase("would.promise", {"kind": kind})
        return Phrase("would.promise_due", {"kind": kind, "due": Moment(due_at, _zone(firing))})
    if isinstance(action, SendSurvey):
        return Phrase("would.survey", {"survey": action.survey_id})
    if isinstance(action, HoldCapacity):
        return Phrase(
            "would.hold",
            {
                "count": action.count,
                "kind": word("hold_kind", action.kind),
                "starts": f"{action.starts:%H:%M}",
                "until": f"{action.until:%H:%M}",
            },
        )
    reference = reference_of(firing, action.reference_from)
    kind = kind_word(action.kind.value)
    if not reference:
        return Phrase("would.keep_unreferenced", {"kind": kind})
    return Phrase("would.keep", {"kind": kind, "reference": reference})
