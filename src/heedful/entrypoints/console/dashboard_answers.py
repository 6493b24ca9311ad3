"""`/console/experience/answers`: the answers and comments behind a figure of the dashboard.

Every score, theme, emotion and chart cell of the dashboard links here with the dashboard's own
filters and what was clicked (a kind, a score, a theme, an emotion, a week's days), so the
manager reads the customers' words behind the number; each answer in its location's time.
"""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter
from fastapi.responses import Response

from heedful.core.customers.model import Segment
from heedful.core.feedback.dashboard import KIND_OF
from heedful.core.feedback.dashboard_answers import AnswersAsk, AnswersBehind, answers_behind
from heedful.core.shared.errors import InvalidInput
from heedful.entrypoints.console.context import Console, ConsoleRoute, Staff, blank_form
from heedful.entrypoints.console.dashboard import ANSWERS_PATH, dashboard_ask
from heedful.entrypoints.console.dashboard_labels import labels_for
from heedful.entrypoints.console.labels import N_
from heedful.entrypoints.console.report_pages import refusal

router = APIRouter(route_class=ConsoleRoute, include_in_schema=False)
FILTERS = ("since", "until", "location_id", "segment", "touchpoint")
# A hand-edited link (a score out of its scale, a measure that does not exist) is not worth a
# field-by-field message: the manager came from a click and goes back to click again.
NOT_OPENED = N_("This figure cannot be opened: choose it again on the dashboard.")


def _score(value: str) -> int | None:
    if not value.strip():
        return None
    try:
        return int(value)
    except ValueError as exc:
        raise InvalidInput("a score is a whole number", field="score") from exc


@router.get(ANSWERS_PATH)
def answers(
    console: Staff,
    since: str = "",
    until: str = "",
    location_id: str = "",
    segment: str = "",
    touchpoint: str = "",
    measure: str = "",
    score: str = "",
    theme: str = "",
    emotion: str = "",
) -> Response:
    values = {
        "since": since,
        "until": until,
        "location_id": location_id,
        "segment": segment,
        "touchpoint": touchpoint,
        "measure": measure,
        "score": score,
        "theme": theme,
        "emotion": emotion,
    }
    try:
        if measure and measure not in KIND_OF:
            raise InvalidInput("no such measure", field="measure")
        ask = AnswersAsk(
            where=dashboard_ask(since, until, location_id, segment, touchpoint),
            kind=KIND_OF[measure] if measure else None,
            score=_score(score),
            theme=theme.strip() or None,
            emotion=emotion.strip() or None,
        )
        found = answers_behind(
            ask, console.container.uow(read_only=True), console.container.clock, console.actor
        )
    except InvalidInput as exc:
        said = refusal(console, exc) if exc.field in FILTERS else console.ui.gettext(NOT_OPENED)
        return _page(console, values, None, said, status=422)
    return _page(console, values, found, "")


def _page(
    console: Console,
    values: dict[str, str],
    found: AnswersBehind | None,
    error: str,
    status: int = 200,
) -> Response:
    filters = {key: values[key] for key in FILTERS}
    if found is not None:
        filters |= {"since": found.since.isoformat(), "until": found.until.isoformat()}
    return console.render(
        "dashboard/answers.html",
        status=status,
        found=found,
        error=error,
        asked=blank_form(**values),
        names=labels_for(console.ui),
        segments={s.value: console.ui.label(s) for s in Segment},
        back=f"/console/experience?{urlencode({k: v for k, v in filters.items() if v})}",
    )
