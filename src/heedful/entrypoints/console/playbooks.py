"""Playbooks at the console: the list, the JSON editor (each save a new version), on and off,
old versions, recent firings and the dry-run over stored events.

Managers write playbooks as the API takes them (docs/decisions/0016-playbooks.md). The editor
accepts lines starting with ``//`` as notes, so a new playbook can start from a commented
example; the notes are dropped before the JSON is read and never stored.
"""

from __future__ import annotations

import dataclasses
import json
import re
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter
from fastapi.responses import Response

from heedful.core.access.model import Permission
from heedful.core.customers.channels import Channel
from heedful.core.customers.consent import Purpose
from heedful.core.customers.model import LANGUAGES, Segment
from heedful.core.events.types import EVENT_TYPES
from heedful.core.playbooks import handlers as playbooks
from heedful.core.playbooks.demo import (
    BANK_CALL_BEFORE_DECLINE,
    BRAND_IN_YOUR_SIZE,
    HOTEL_DEAL_AT_FAVOURITE_HOTEL,
)
from heedful.core.playbooks.dry_run_report import DryRun
from heedful.core.playbooks.model import (
    KNOWN_TEMPLATES,
    Action,
    CreateTask,
    Firing,
    Op,
)
from heedful.core.preferences.model import Category, Polarity
from heedful.core.promises.model import PromiseKind
from heedful.core.shared.errors import InvalidInput
from heedful.core.shared.phrases import Phrase
from heedful.core.tasks.model import TaskKind
from heedful.entrypoints.console.context import Console, ConsoleRoute, FormState, Staff, blank_form
from heedful.entrypoints.console.forms import Text
from heedful.entrypoints.console.labels import N_
from heedful.entrypoints.console.playbook_form import event_names, form_context

router = APIRouter(route_class=ConsoleRoute, include_in_schema=False)

# The list counts firings up to this many per playbook; past it the list says "500+".
FIRINGS_COUNTED = 500
RECENT_FIRINGS = 50
DRY_RUN_DAYS = 30
_NOTE = re.compile(r"^\s*//")
_NOT_JSON = N_("This is not JSON: %(problem)s at line %(line)s, column %(column)s.")


@dataclass(frozen=True)
class Example:
    title: str  # a msgid
    note: str  # a msgid: the comment written above the JSON
    source: Mapping[str, Any]


EXAMPLES = (
    Example(
        N_("VIP: call before a decline"),
        N_(
            "When tomorrow's charge is more than the balance, the relationship manager of a VIP "
            "who agreed to service calls is asked to call first, with 500 UAH of goodwill."
        ),
        BANK_CALL_BEFORE_DECLINE,
    ),
    Example(
        N_("A deal at the guest's favourite hotel"),
        N_(
            "An offer names no customer: the audience is the hotel's guests of the last two "
            "years who agreed to marketing e-mail, at most 500, once in 30 days each."
        ),
        HOTEL_DEAL_AT_FAVOURITE_HOTEL,
    ),
    Example(
        N_("Your brand, in your size"),
        N_(
            "New stock of a brand: customers who like the brand and wear the size that arrived "
            "are told, once in 30 days each."
        ),
        BRAND_IN_YOUR_SIZE,
    ),
)


def pretty(source: Mapping[str, Any]) -> str:
    return json.dumps(source, indent=2, ensure_ascii=False)


def _example_text(console: Console, example: Example) -> str:
    gettext = console.ui.gettext
    notes = (
        gettext(example.note),
        gettext(N_("Lines starting with // are notes for you; they are not saved.")),
        gettext(N_("A new playbook starts switched off: try a dry run, then enable it.")),
    )
    return "".join(f"// {note}\n" for note in notes) + pretty(example.source)


class NotJson(InvalidInput):
    """The editor's text does not parse: said with the editor's own line and column."""

    def __init__(self, problem: json.JSONDecodeError) -> None:
        super().__init__(f"not JSON: {problem.msg}", field="source")
        self.problem = problem


def read_source(text: str) -> Any:
    """The JSON the manager typed, notes blanked out (line numbers stay those of the editor)."""
    lines = ["" if _NOTE.match(line) else line for line in text.splitlines()]
    try:
        return json.loads("\n".join(lines))
    except json.JSONDecodeError as exc:
        raise NotJson(exc) from exc


def _editor_error(console: Console, exc: InvalidInput) -> dict[str, str]:
    if isinstance(exc, NotJson):
        problem = exc.problem
        where = {"problem": problem.msg, "line": problem.lineno, "column": problem.colno}
        return {"path": "", "message": console.ui.gettext(_NOT_JSON) % where}
    # The core's words stay English: they name the JSON keys the manager writes, in English too.
    return {"path": exc.field or "", "message": console.ui.error(exc)}


# --- the vocabulary panel, read from the model so it never drifts ------------------------------


def _action_name(action: type) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", action.__name__).lower()


def _action_keys(action: type) -> list[str]:
    keys: list[str] = []
    for found in dataclasses.fields(action):
        key = "goodwill {amount, currency}" if found.name.startswith("goodwill_") else found.name
        if key not in keys:
            keys.append(key)
    return keys


def vocabulary() -> dict[str, Any]:
    return {
        "events": sorted(EVENT_TYPES.values(), key=lambda event_type: event_type.name),
        "ops": [op.value for op in Op],
        "actions": [(_action_name(a), _action_keys(a)) for a in typing.get_args(Action)],
        "assignees": ["relationship_manager", "role:manager", "role:agent", "staff:<id>"],
        "templates": sorted(KNOWN_TEMPLATES),
        "task_kinds": [kind.value for kind in TaskKind],
        "promise_kinds": [kind.value for kind in PromiseKind],
        "segments": [segment.value for segment in Segment],
        "languages": list(LANGUAGES),
        "channels": [channel.value for channel in Channel],
        "purposes": [purpose.value for purpose in Purpose],
        "categories": [category.value for category in Category],
        "polarities": [polarity.value for polarity in Polarity],
        "has_goodwill": any(f.name == "goodwill_amount" for f in dataclasses.fields(CreateTask)),
    }


# --- the list and a new playbook --------------------------------------------------------------


def _firing_count(console: Console, playbook_id: str) -> str:
    found = playbooks.list_firings(
        playbook_id, console.container.uow(read_only=True), console.actor, FIRINGS_COUNTED + 1
    )
    return f"{FIRINGS_COUNTED}+" if len(found) > FIRINGS_COUNTED else str(len(found))


@router.get("/console/playbooks")
def playbook_list(console: Staff) -> Response:
    every = playbooks.list_playbooks(console.container.uow(read_only=True), console.actor)
    counts = {playbook.id: _firing_count(console, playbook.id) for playbook in every}
    return console.render("playbooks/list.html", playbooks=every, firings=counts)


def _drawn(console: Console, text: str) -> dict[str, Any]:
    """The form's view of the editor's text; text that does not parse draws an empty form."""
    events = event_names(console)
    try:
        return form_context(read_source(text), events)
    except InvalidInput:
        return form_context({}, events)


def _new_page(console: Console, form: FormState, status: int = 200) -> Response:
    return console.render(
        "playbooks/new.html",
        status=status,
        form=form,
        examples=EXAMPLES,
        help=vocabulary(),
        **_drawn(console, form.value("source")),
    )


@router.get("/console/playbooks/new")
def new(console: Staff, example: int = 0) -> Response:
    console.actor.require(Permission.MANAGE_PLAYBOOKS)
    chosen = EXAMPLES[example] if 0 <= example < len(EXAMPLES) else EXAMPLES[0]
    text = _example_text(console, chosen)
    return _new_page(console, blank_form(source=text, example=str(EXAMPLES.index(chosen))))


@router.post("/console/playbooks")
def create(console: Staff, source: Text = "", example: Text = "") -> Response:
    form = blank_form(source=source, example=example)
    try:
        made = playbooks.create_playbook(
            read_source(source), console.container.uow(), console.container.clock, console.actor
        )
    except InvalidInput as exc:
        return _new_page(console, FormState(form.values, _editor_error(console, exc)), 422)
    return console.redirect(f"/console/playbooks/{made.id}")


# --- one playbook -----------------------------------------------------------------------------


def _names(console: Console, firings: list[Firing]) -> tuple[dict[str, str], dict[str, str]]:
    """Names of the customers this manager may see (others stay a number, as the dry-run does),
    and the zone of each one's location: a firing's time is said on that location's clock."""
    actor = console.actor
    names: dict[str, str] = {}
    zones: dict[str, str] = {}
    places: dict[str, str] = {}
    with console.container.uow(read_only=True) as uow:
        for customer_id in sorted({firing.customer_id for firing in firings}):
            customer = uow.customers.get(customer_id)
            if customer is None or not actor.may_see_customer_at(customer.location_ids):
                continue
            names[customer_id] = customer.full_name
            where = customer.home_location_id or min(customer.location_ids, default=None)
            if where is not None and where not in places:
                place = uow.locations.get(where)
                places[where] = place.time_zone if place is not None else "UTC"
            zones[customer_id] = places.get(where or "", "UTC")
    return names, zones


def _hit_zones(console: Console, report: DryRun | None) -> dict[str, str]:
    """The zone each dry-run line's time is said in: the night's location (``tonight``), else
    the customer's home location, as a firing's time is."""
    zones: dict[str, str] = {}
    if report is None or not report.would_fire:
        return zones
    with console.container.uow(read_only=True) as uow:
        places = {place.id: place.time_zone for place in uow.locations.list()}
        for hit in report.would_fire:
            if hit.customer_id in zones:
                continue
            where = hit.location_id
            if where is None:
                customer = uow.customers.get(hit.customer_id)
                if customer is not None:
                    where = customer.home_location_id or min(customer.location_ids, default=None)
            zones[hit.customer_id] = places.get(where or "", "UTC")
    return zones


def _reader_zone(console: Console) -> ZoneInfo:
    """The zone the manager's days are read in: the one her locations keep, or, where they keep
    several (or she sees every location), the one most of them keep. "Yesterday" at a Kyiv hotel
    ends at Kyiv's midnight, not at UTC's, three hours earlier."""
    allowed = console.actor.location_ids
    with console.container.uow(read_only=True) as uow:
        zones = [
            place.time_zone
            for place in uow.locations.list()
            if allowed is None or place.id in allowed
        ]
    if not zones:
        return ZoneInfo("UTC")
    return ZoneInfo(max(sorted(set(zones)), key=zones.count))


def _default_period(console: Console) -> tuple[str, str]:
    today = console.now().astimezone(_reader_zone(console)).date()
    return (today - timedelta(days=DRY_RUN_DAYS)).isoformat(), today.isoformat()


def _page(
    console: Console,
    playbook_id: str,
    editor: FormState | None = None,
    status: int = 200,
) -> Response:
    uow, actor = console.container.uow(read_only=True), console.actor
    playbook, versions = playbooks.get_playbook(playbook_id, uow, actor)
    firings = playbooks.list_firings(playbook_id, uow, actor, RECENT_FIRINGS)
    since, until = _default_period(console)
    form = editor or blank_form(source=pretty(playbook.body.source))
    names, zones = _names(console, firings)
    return console.render(
        "playbooks/page.html",
        status=status,
        playbook=playbook,
        versions=sorted(versions, key=lambda version: version.version, reverse=True),
        firings=firings,
        names=names,
        zones=zones,
        form=form,
        period=blank_form(since=since, until=until),
        playbook_id=playbook.id,
        report=None,
        help=vocabulary(),
        **_drawn(console, form.value("source")),
    )


@router.get("/console/playbooks/{playbook_id}")
def page(console: Staff, playbook_id: str) -> Response:
    return _page(console, playbook_id)


@router.post("/console/playbooks/{playbook_id}")
def save(console: Staff, playbook_id: str, source: Text = "") -> Response:
    try:
        playbooks.update_playbook(
            playbook_id,
            read_source(source),
            console.container.uow(),
            console.container.clock,
            console.actor,
        )
    except InvalidInput as exc:
        editor = FormState({"source": source}, _editor_error(console, exc))
        return _page(console, playbook_id, editor, status=422)
    return console.redirect(f"/console/playbooks/{playbook_id}")


def _switch(console: Console, playbook_id: str, enabled: bool) -> Response:
    playbooks.set_enabled(
        playbook_id, enabled, console.container.uow(), console.container.clock, console.actor
    )
    return console.redirect(f"/console/playbooks/{playbook_id}")


@router.post("/console/playbooks/{playbook_id}/enable")
def enable(console: Staff, playbook_id: str) -> Response:
    return _switch(console, playbook_id, True)


@router.post("/console/playbooks/{playbook_id}/disable")
def disable(console: Staff, playbook_id: str) -> Response:
    return _switch(console, playbook_id, False)


@router.get("/console/playbooks/{playbook_id}/versions/{number}")
def version(console: Staff, playbook_id: str, number: int) -> Response:
    uow, actor = console.container.uow(read_only=True), console.actor
    found = playbooks.get_version(playbook_id, number, uow, actor)
    playbook, _ = playbooks.get_playbook(playbook_id, uow, actor)
    return console.render(
        "playbooks/version.html", playbook=playbook, version=found, text=pretty(found.source)
    )


# --- the dry-run ------------------------------------------------------------------------------


def _day(value: str, field: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError as exc:
        raise InvalidInput(
            "give the date as YYYY-MM-DD", said=Phrase("refusal.date"), field=field
        ) from exc


def _period(since: str, until: str, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """Whole days on the reader's clock, the last one included: "1 to 30 March" reads March 30
    too, from the manager's midnight to her midnight."""
    first, last = _day(since, "since"), _day(until, "until")
    return (
        datetime.combine(first, time(), tzinfo=zone).astimezone(UTC),
        datetime.combine(last + timedelta(days=1), time(), tzinfo=zone).astimezone(UTC),
    )


@router.post("/console/playbooks/{playbook_id}/dry-run")
def dry_run(console: Staff, playbook_id: str, since: Text = "", until: Text = "") -> Response:
    form = blank_form(since=since, until=until)
    # Without HTMX (no script) the answer is a page of its own; with it, the section swaps in place.
    template = "playbooks/_dry_run.html" if console.is_htmx else "playbooks/dry_run.html"
    try:
        start, end = _period(since, until, _reader_zone(console))
        report = playbooks.dry_run(playbook_id, start, end, console.container.uow(), console.actor)
    except InvalidInput as exc:
        failed = console.failed(exc, form)
        return console.render(
            template, status=422, playbook_id=playbook_id, period=failed, report=None
        )
    return console.render(
        template,
        playbook_id=playbook_id,
        period=form,
        report=report,
        hit_zones=_hit_zones(console, report),
    )
