"""The reviewer's console: submitted visits with the machine's flags, validated or returned.

A reviewer (a manager or admin: the `manage_audits` permission) reads the queue of her
locations, opens a visit read-only with its flags and photos, and validates it or returns it to
the evaluator with a comment. The page calls the same use case as the API (``review_visit``): a
comment is required to return, a visit reviewed already is a 409, answers are never hers to edit.
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from heedful.core.audits import review_visit, show_visit, visits_to_review
from heedful.core.shared.errors import Conflict, InvalidInput, NotFound
from heedful.core.staff.queries import all_locations
from heedful.entrypoints.console.audit_visits import flag_text, visit_page
from heedful.entrypoints.console.context import ConsoleRoute, Staff
from heedful.entrypoints.console.forms import Text

router = APIRouter(route_class=ConsoleRoute, include_in_schema=False)
QUEUE = "/console/audits/review"
DONE = {"validated", "returned"}


@router.get(QUEUE)
def queue(console: Staff, done: str = "") -> Response:
    waiting = visits_to_review(console.container.uow(read_only=True), console.actor)
    places = all_locations(console.container.uow(read_only=True))
    return console.render(
        "audits/review.html",
        queue=waiting,
        names={key: place.name for key, place in places.items()},
        zones={key: place.time_zone for key, place in places.items()},
        flags={
            entry.visit.assignment_id: [
                flag_text(console, f.code, f.detail) for f in entry.visit.flags
            ]
            for entry in waiting
        },
        done=done if done in DONE else "",
    )


@router.post("/audits/{assignment_id}/review")
def review(console: Staff, assignment_id: str, action: Text = "", comment: Text = "") -> Response:
    if action not in ("validate", "return"):
        raise NotFound("no such verdict")
    uow, clock, actor = console.container.uow, console.container.clock, console.actor
    try:
        review_visit(
            uow(), clock, actor, assignment_id, validated=action == "validate", comment=comment
        )
    except InvalidInput as exc:
        view = show_visit(uow(), actor, assignment_id)
        return visit_page(console, view, 422, review_error=console.ui.error(exc))
    except Conflict as exc:
        view = show_visit(uow(), actor, assignment_id)
        return visit_page(console, view, 409, review_error=console.ui.error(exc))
    done = "validated" if action == "validate" else "returned"
    return console.redirect(f"{QUEUE}?done={done}")
