"""The playbook form: the JSON document shown as fields, and its live validation.

The form and the JSON text area are two views of one document (issue 15). The server draws the
form from the document (``playbooks/_form.html``); a small script (``static/playbook_form.js``)
writes each field back into the JSON at the path it carries and asks ``/validate`` what
``read_playbook`` says. Without the script the form stays hidden and the JSON is the editor.
Settings the form does not draw (an audience, consent, goodwill) stay in the JSON untouched.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse, Response

from heedful.core.access.model import Permission
from heedful.core.customers.model import Segment
from heedful.core.events.registering import trigger_names
from heedful.core.playbooks.model import KNOWN_TEMPLATES, DueBy, Op, Subject
from heedful.core.playbooks.reading import read_playbook
from heedful.core.preferences.model import Category, Polarity
from heedful.core.promises.model import PromiseKind
from heedful.core.shared.errors import InvalidInput
from heedful.core.tasks.model import TaskKind
from heedful.entrypoints.console.context import Console, ConsoleRoute, Staff
from heedful.entrypoints.console.forms import Text
from heedful.entrypoints.console.labels import N_

router = APIRouter(route_class=ConsoleRoute, include_in_schema=False)

ASSIGNEES = ("relationship_manager", "owner", "role:manager", "role:agent")
ACTION_KINDS = (
    "create_task",
    "send_message",
    "open_promise",
    "close_promise",
    "send_survey",
    "hold_capacity",
)
ACTION_LABELS = {
    "create_task": N_("Create a task"),
    "send_message": N_("Send a message"),
    "open_promise": N_("Open a promise"),
    "close_promise": N_("Close a promise"),
    "send_survey": N_("Send a survey"),
    "hold_capacity": N_("Hold capacity"),
}
STATE_LABELS = {
    Subject.STAYS.value: N_("Stays, by arrival"),
    Subject.TABLES.value: N_("Table reservations"),
    Subject.ORDERS.value: N_("Orders on their way"),
    Subject.CHARGES.value: N_("Scheduled charges"),
    Subject.PICKUPS.value: N_("Parcels at pick-up points"),
    Subject.TONIGHT.value: N_("Tonight's book"),
}
POLARITY_LABELS = {
    Polarity.LIKE.value: N_("likes"),
    Polarity.DISLIKE.value: N_("dislikes"),
    Polarity.NEVER.value: N_("never"),
}
# What a new row of each kind starts as: the least the reader accepts, the title left to fill.
BLANK_ACTIONS: dict[str, dict[str, Any]] = {
    "create_task": {"do": "create_task", "title": "", "assign_to": "role:agent"},
    "send_message": {"do": "send_message", "template": sorted(KNOWN_TEMPLATES)[0]},
    "open_promise": {"do": "open_promise", "kind": PromiseKind.CALL_BACK.value, "text": ""},
    "close_promise": {
        "do": "close_promise",
        "kind": PromiseKind.CALL_BACK.value,
        "reference_from": "data.reference",
    },
    "send_survey": {"do": "send_survey", "survey": ""},
    "hold_capacity": {"do": "hold_capacity", "count": 1, "from": "19:00", "until": "21:00"},
}
BLANK_CONDITION = {"field": "data.", "op": "=", "value": ""}
BLANK_BRANCH = {"name": "", "when": {"where": []}, "actions": [BLANK_ACTIONS["create_task"]]}

# The field a path ends in, as staff call it (the last key of the JSON path).
FIELD_LABELS: dict[str, str] = {
    "name": N_("Name"),
    "trigger": N_("Trigger"),
    "event": N_("Event"),
    "state": N_("What to look ahead at"),
    "horizon": N_("How far ahead"),
    "days_ahead": N_("Days ahead"),
    "within_hours": N_("Within hours"),
    "before": N_("Before (local time)"),
    "where": N_("Conditions"),
    "field": N_("Field"),
    "op": N_("Comparison"),
    "value": N_("Value"),
    "value_of": N_("Another field"),
    "customer": N_("Customer"),
    "segment": N_("Segment"),
    "preference": N_("Preference"),
    "polarity": N_("Polarity"),
    "category": N_("Category"),
    "fits_item_of": N_("Her preference fits the item in field"),
    "actions": N_("Actions"),
    "do": N_("Action"),
    "title": N_("Task title"),
    "assign_to": N_("Assign to"),
    "kind": N_("Kind"),
    "due_in_minutes": N_("Due in minutes"),
    "due_by": N_("Due by"),
    "template": N_("Message template"),
    "purpose": N_("Purpose"),
    "text": N_("Promise text"),
    "reference_from": N_("Reference field"),
    "survey": N_("Survey"),
    "count": N_("How many"),
    "from": N_("From"),
    "until": N_("Until"),
    "branches": N_("Branches"),
    "when": N_("When"),
}
_ACTION_AT = N_("action %(number)s")
_CONDITION_AT = N_("condition %(number)s")
_BRANCH_AT = N_("branch %(number)s")
_PLACES = {"actions": _ACTION_AT, "where": _CONDITION_AT, "branches": _BRANCH_AT}

_STEP = re.compile(r"([A-Za-z_]+)|\[(\d+)\]")


def field_label(console: Console, path: str) -> str:
    """ "branches[0].actions[1].title" -> "branch 1, action 2: Task title" in her language."""
    gettext = console.ui.gettext
    places: list[str] = []
    last = ""
    for key, index in _STEP.findall(path):
        if key:
            last = key
        elif last in _PLACES:
            places.append(gettext(_PLACES[last]) % {"number": int(index) + 1})
    field = gettext(FIELD_LABELS[last]) if last in FIELD_LABELS else path
    return ", ".join(places) + (": " if places else "") + field


def problems(console: Console, document: Any) -> list[dict[str, str]]:
    """What read_playbook says about the document: the path, its label and the message."""
    try:
        read_playbook(document)
    except InvalidInput as exc:
        path = exc.field or ""
        label = field_label(console, path) if path else ""
        return [{"path": path, "label": label, "message": console.ui.error(exc)}]
    return []


def shown_value(value: Any) -> str:
    """A condition's value as typed: text as it is, unless it would read as a number or a
    boolean, which keeps its quotes; anything else as JSON. The script reads it back alike."""
    if isinstance(value, str):
        try:
            json.loads(value)
        except ValueError:
            return value
    return json.dumps(value, ensure_ascii=False)


def choices(events: Sequence[str]) -> dict[str, Any]:
    return {
        "events": list(events),
        "states": [subject.value for subject in Subject],
        "ops": [op.value for op in Op],
        "segments": [segment.value for segment in Segment],
        "polarities": [polarity.value for polarity in Polarity],
        "categories": [category.value for category in Category],
        "action_kinds": ACTION_KINDS,
        "blank_actions": BLANK_ACTIONS,
        "blank_condition": BLANK_CONDITION,
        "blank_branch": BLANK_BRANCH,
        "assignees": ASSIGNEES,
        "task_kinds": [kind.value for kind in TaskKind],
        "due_by": [due.value for due in DueBy],
        "templates": sorted(KNOWN_TEMPLATES),
        "purposes": ["service", "marketing"],
        "promise_kinds": [k.value for k in PromiseKind if k is not PromiseKind.TELL_WHEN_AVAILABLE],
        "action_labels": ACTION_LABELS,
        "state_labels": STATE_LABELS,
        "polarity_labels": POLARITY_LABELS,
    }


def form_context(document: Any, events: Sequence[str]) -> dict[str, Any]:
    """What ``_form.html`` draws: the document (an object, or nothing when it is not one), and
    the event types it may wait for (Heedful's own and the business's registered ones)."""
    shaped = document if isinstance(document, Mapping) else {}
    return {"doc": shaped, "pick": choices(events), "shown_value": shown_value, "dom_id": dom_id}


def event_names(console: Console) -> list[str]:
    return trigger_names(console.container.uow(read_only=True))


def dom_id(path: str) -> str:
    return "pf-" + re.sub(r"[^A-Za-z0-9]+", "-", path).strip("-")


def _document(source: str) -> Any:
    # Imported here: playbooks.py imports this module to draw the form on its pages.
    from heedful.entrypoints.console.playbooks import read_source

    return read_source(source)


@router.post("/console/playbooks/form")
def form(console: Staff, source: Text = "") -> Response:
    """The form drawn anew for the document (after a row is added or removed, or the JSON
    was edited by hand)."""
    console.actor.require(Permission.MANAGE_PLAYBOOKS)
    try:
        document = _document(source)
    except InvalidInput:
        document = {}
    return console.render("playbooks/_form.html", **form_context(document, event_names(console)))


@router.post("/console/playbooks/validate")
def validate(console: Staff, source: Text = "") -> Response:
    console.actor.require(Permission.MANAGE_PLAYBOOKS)
    try:
        document = _document(source)
    except InvalidInput as exc:
        # The script asks only about text that parses; this answers a hand-made request.
        said = {"path": "", "label": "", "message": console.ui.error(exc)}
        return JSONResponse({"errors": [said]})
    return JSONResponse({"errors": problems(console, document)})
