"""The evaluator panel in the console: who is on it, taking one off, handing on her open visits.

A manager (or admin) deactivates an evaluator: she is no longer proposed nor assignable, and the
page lists her assignments still to be done at the manager's locations, each with the evaluators
who fit it, to hand it on. The same use cases as the API (``set_evaluator_active``,
``reassign_visit``); the panel names no customer.
"""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter
from fastapi.responses import Response

from heedful.core.audits import (
    Assignment,
    Proposal,
    list_evaluators,
    open_assignments,
    propose_evaluators,
    reassign_visit,
    set_evaluator_active,
)
from heedful.core.shared.errors import Conflict, InvalidInput, NotFound
from heedful.core.staff.queries import all_locations
from heedful.entrypoints.console.context import Console, ConsoleRoute, Staff
from heedful.entrypoints.console.forms import Text

router = APIRouter(route_class=ConsoleRoute, include_in_schema=False)
PANEL = "/console/audits/evaluators"
DONE = {"deactivated", "activated", "reassigned"}


def _fitting(console: Console, assignment: Assignment) -> list[Proposal]:
    found = propose_evaluators(
        console.container.uow(read_only=True),
        console.container.clock,
        console.actor,
        assignment.programme_id,
        assignment.location_id,
    )
    return [p for p in found if p.fits and p.profile.id != assignment.evaluator_id]


def _page(
    console: Console, opened: str = "", done: str = "", error: str = "", status: int = 200
) -> Response:
    uow = console.container.uow
    panel = list_evaluators(uow(read_only=True), console.actor)
    change = open_assignments(uow(read_only=True), console.actor, opened) if opened else None
    places = all_locations(uow(read_only=True))
    return console.render(
        "audits/panel.html",
        status=status,
        panel=panel,
        change=change,
        fitting={a.id: _fitting(console, a) for a in change.open_assignments} if change else {},
        names={key: place.name for key, place in places.items()},
        zones={key: place.time_zone for key, place in places.items()},
        done=done if done in DONE else "",
        error=error,
    )


@router.get(PANEL)
def panel(console: Staff, evaluator: str = "", done: str = "") -> Response:
    return _page(console, evaluator, done)


@router.post(PANEL + "/{evaluator_id}/{change}")
def change_panel(console: Staff, evaluator_id: str, change: str) -> Response:
    if change not in ("deactivate", "activate"):
        raise NotFound("no such change")
    active = change == "activate"
    set_evaluator_active(console.container.uow(), console.actor, evaluator_id, active=active)
    if active:
        return console.redirect(f"{PANEL}?done=activated")
    return console.redirect(f"{PANEL}?evaluator={quote(evaluator_id)}&done=deactivated#open")


@router.post("/console/audits/assignments/{assignment_id}/reassign")
def hand_on(
    console: Staff, assignment_id: str, evaluator_id: Text = "", previous: Text = ""
) -> Response:
    try:
        reassign_visit(
            console.container.uow(),
            console.container.clock,
            console.actor,
            assignment_id,
            evaluator_id,
        )
    except (InvalidInput, Conflict) as exc:
        return _page(console, previous, error=console.ui.error(exc), status=422)
    return console.redirect(f"{PANEL}?evaluator={quote(previous)}&done=reassigned#open")
