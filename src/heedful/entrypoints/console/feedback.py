"""The console's surveys, recoveries and churn list: the same handlers as the API.

Managers define a survey (its kind, touchpoint and question in each language) on one page; the
recoveries an unhappy answer opened are closed from their list with a root cause and the action
taken; `/console/churn` lists the customers most at risk with the reasons.
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from heedful.core.feedback import recovery, surveys
from heedful.core.feedback.loop import ROOT_CAUSES
from heedful.core.feedback.maths import DEFINITIONS
from heedful.core.feedback.model import LANGUAGES, SurveyKind, SurveyText, Touchpoint
from heedful.core.shared.errors import HeedfulError
from heedful.core.staff.queries import all_locations, locations_of
from heedful.entrypoints.console.context import Console, ConsoleRoute, FormState, Staff, blank_form
from heedful.entrypoints.console.forms import Text, choice
from heedful.entrypoints.console.labels import N_
from heedful.entrypoints.console.survey_editor import KIND_LABELS, TOUCHPOINT_LABELS
from heedful.entrypoints.console.survey_editor import router as editor_router

router = APIRouter(route_class=ConsoleRoute, include_in_schema=False)
router.include_router(editor_router)  # /console/surveys/{id}: edit, switch on and off

ROOT_CAUSE_LABELS = {
    "staff_behaviour": N_("Staff behaviour"),
    "waiting_time": N_("Waiting time"),
    "product_quality": N_("Product quality"),
    "price": N_("Price"),
    "cleanliness": N_("Cleanliness"),
    "communication": N_("Communication"),
    "process": N_("A process or rule"),
    "other": N_("Something else (say what)"),
}
REASON_LABELS = {
    "detractor": N_("Detractor (NPS 0–6)"),
    "low_csat": N_("Low satisfaction (CSAT 1–2)"),
    "negative_comment": N_("Strongly negative comment"),
    "churn_risk": N_("Churn risk"),
    "not_seen": N_("Not seen for a long time"),
    "rare": N_("Rarely comes"),
    "low_spend": N_("Spends little"),
    "unhappy": N_("Unhappy lately"),
}
_FIELDS = (
    "name",
    "kind",
    "touchpoint",
    "location_id",
    *(f"{part}_{lang}" for lang in LANGUAGES for part in ("question", "comment")),
)


def _surveys_page(console: Console, form: FormState, status: int = 200) -> Response:
    return console.render(
        "feedback/surveys.html",
        status=status,
        form=form,
        surveys=surveys.list_surveys(console.container.uow(read_only=True), console.actor),
        kinds=KIND_LABELS,
        touchpoints=TOUCHPOINT_LABELS,
        languages=LANGUAGES,
        locations=locations_of(console.actor, console.container.uow(read_only=True)),
        definitions={key: console.ui.gettext(text) for key, text in DEFINITIONS.items()},
    )


@router.get("/console/surveys")
def survey_list(console: Staff) -> Response:
    return _surveys_page(console, blank_form(**dict.fromkeys(_FIELDS, "")))


@router.post("/console/surveys")
async def define(console: Staff) -> Response:
    raw = await console.request.form()
    values = {name: str(raw.get(name, "")) for name in _FIELDS}
    form = blank_form(**values)
    texts = {
        lang: SurveyText(values[f"question_{lang}"].strip(), values[f"comment_{lang}"].strip())
        for lang in LANGUAGES
        if values[f"question_{lang}"].strip()
    }
    try:
        cmd = surveys.DefineSurvey(
            name=values["name"],
            kind=choice(SurveyKind, values["kind"], "kind"),
            touchpoint=choice(Touchpoint, values["touchpoint"], "touchpoint"),
            texts=texts,
            ask_comment=any(t.comment_prompt for t in texts.values()),
            location_id=values["location_id"] or None,
        )
        surveys.define_survey(cmd, console.container.uow(), console.container.clock, console.actor)
    except HeedfulError as exc:
        rename = {"texts": "question_uk"}
        return _surveys_page(console, console.failed(exc, form, rename), 422)
    return console.redirect("/console/surveys")


def _recoveries_page(console: Console, errors: dict[str, str], status: int = 200) -> Response:
    found = recovery.list_recoveries(
        console.container.uow(read_only=True), console.actor, open_only=True
    )
    names: dict[str, str] = {}
    owners: dict[str, str] = {}
    said: dict[str, str] = {}  # each loop's promise in the reader's words: why, and the score
    with console.container.uow(read_only=True) as uow:
        for loop in found:
            customer = uow.customers.get(loop.customer_id)
            names[loop.customer_id] = customer.full_name if customer else loop.customer_id
            promise = uow.promises.get(loop.promise_id)
            said[loop.id] = console.ui.say(promise.said) if promise else ""
            owner = uow.staff.get(promise.owner_id) if promise and promise.owner_id else None
            if owner is not None:
                owners[loop.id] = owner.full_name
    zones = {
        location.id: location.time_zone
        for location in all_locations(console.container.uow(read_only=True)).values()
    }
    return console.render(
        "feedback/recoveries.html",
        status=status,
        loops=found,
        names=names,
        said=said,
        owners=owners,
        zones=zones,
        errors=errors,
        root_causes={key: ROOT_CAUSE_LABELS[key] for key in ROOT_CAUSES},
        reasons=REASON_LABELS,
    )


@router.get("/console/recoveries")
def recoveries(console: Staff) -> Response:
    return _recoveries_page(console, {})


@router.post("/console/recoveries/{loop_id}/close")
def close(
    console: Staff,
    loop_id: str,
    root_cause: Text = "",
    root_cause_note: Text = "",
    action_taken: Text = "",
) -> Response:
    cmd = recovery.CloseRecovery(loop_id, root_cause, root_cause_note, action_taken)
    try:
        recovery.close_recovery(
            cmd, console.container.uow(), console.container.clock, console.actor
        )
    except HeedfulError as exc:
        return _recoveries_page(console, {loop_id: console.ui.error(exc)}, 422)
    return console.redirect("/console/recoveries")
