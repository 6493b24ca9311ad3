"""Managers edit a survey in the console: its words in each language, its options, on and off.

The same use case as the API's PUT (``change_survey``): the kind stays, so answers before and
after a change add up. An option's key is what answers store, so an existing option keeps its
key when its labels change; a new option gets a key made from its label.
"""

from __future__ import annotations

import re
from datetime import timedelta

from fastapi import APIRouter
from fastapi.responses import Response

from heedful.core.feedback import surveys
from heedful.core.feedback.model import LANGUAGES, Choice, Survey, SurveyText, Touchpoint
from heedful.core.shared.errors import HeedfulError, InvalidInput
from heedful.core.staff.queries import locations_of
from heedful.entrypoints.console.context import Console, ConsoleRoute, FormState, Staff, blank_form
from heedful.entrypoints.console.forms import choice
from heedful.entrypoints.console.labels import N_

router = APIRouter(route_class=ConsoleRoute, include_in_schema=False)

NEW_ROWS = 2  # blank option rows offered under the existing ones
_TEXT_PARTS = ("question", "comment", "choices_prompt", "thanks")
# The core's field names, mapped to the form's.
_RENAME = {
    "texts": "question_uk",
    "valid_for_hours": "valid_days",
    **{f"texts.{lang}.question": f"question_{lang}" for lang in LANGUAGES},
}
KIND_LABELS = {
    "csat": N_("CSAT: satisfaction, 1–5"),
    "nps": N_("NPS: would recommend, 0–10"),
    "ces": N_("CES: effort, 1–7"),
}
TOUCHPOINT_LABELS = {
    "stay": N_("After a stay"),
    "visit": N_("After a visit"),
    "purchase": N_("After a purchase"),
    "conversation": N_("After a closed conversation"),
    "delivery": N_("After a delivery"),
    "other": N_("Another touchpoint"),
}


def _values_of(survey: Survey) -> dict[str, str]:
    values = {
        "name": survey.name,
        "touchpoint": survey.touchpoint.value,
        "location_id": survey.location_id or "",
        "active": "on" if survey.active else "",
        "valid_days": str(max(1, round(survey.valid_for / timedelta(days=1)))),
        "choice_rows": str(len(survey.choices) + NEW_ROWS),
    }
    for lang in LANGUAGES:
        text = survey.texts.get(lang, SurveyText(""))
        values |= {
            f"question_{lang}": text.question,
            f"comment_{lang}": text.comment_prompt,
            f"choices_prompt_{lang}": text.choices_prompt,
            f"thanks_{lang}": text.thanks,
        }
    for row, option in enumerate(survey.choices):
        values[f"choice_key_{row}"] = option.key
        values |= {f"choice_{lang}_{row}": option.labels.get(lang, "") for lang in LANGUAGES}
    return values


def _page(console: Console, survey: Survey, form: FormState, status: int = 200) -> Response:
    return console.render(
        "feedback/survey_edit.html",
        status=status,
        survey=survey,
        form=form,
        rows=range(int(form.value("choice_rows", "0") or 0)),
        kinds=KIND_LABELS,
        touchpoints=TOUCHPOINT_LABELS,
        languages=LANGUAGES,
        locations=locations_of(console.actor, console.container.uow(read_only=True)),
    )


@router.get("/console/surveys/{survey_id}")
def edit(console: Staff, survey_id: str) -> Response:
    console.actor.require(surveys.DEFINE)
    survey = surveys.get_survey(survey_id, console.container.uow(read_only=True), console.actor)
    return _page(console, survey, blank_form(**_values_of(survey)))


def _slug(label: str, taken: set[str]) -> str:
    base = re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_")[:30] or "option"
    key, n = base, 2
    while key in taken:
        key, n = f"{base}_{n}", n + 1
    return key


def _choices(values: dict[str, str]) -> tuple[Choice, ...]:
    """The option rows as typed; a row without any label, or ticked "remove", is left out."""
    rows = int(values.get("choice_rows") or 0)
    found: list[tuple[str, dict[str, str]]] = []
    for row in range(min(rows, 60)):
        labels = {
            lang: values.get(f"choice_{lang}_{row}", "").strip()
            for lang in LANGUAGES
            if values.get(f"choice_{lang}_{row}", "").strip()
        }
        if labels and not values.get(f"choice_remove_{row}"):
            found.append((values.get(f"choice_key_{row}", "").strip(), labels))
    taken = {key for key, _ in found if key}
    options = []
    for typed_key, labels in found:
        key = typed_key or _slug(labels.get("en") or next(iter(labels.values())), taken)
        taken.add(key)
        options.append(Choice(key, labels))
    return tuple(options)


def _texts(values: dict[str, str]) -> dict[str, SurveyText]:
    return {
        lang: SurveyText(
            values[f"question_{lang}"].strip(),
            values[f"comment_{lang}"].strip(),
            values[f"choices_prompt_{lang}"].strip(),
            values[f"thanks_{lang}"].strip(),
        )
        for lang in LANGUAGES
        if any(values[f"{part}_{lang}"].strip() for part in _TEXT_PARTS)
    }


def _valid_for(raw: str) -> timedelta:
    try:
        return timedelta(days=int(raw))
    except ValueError as exc:
        raise InvalidInput("a whole number of days, 1 to 90", field="valid_for_hours") from exc


@router.post("/console/surveys/{survey_id}")
async def save(console: Staff, survey_id: str) -> Response:
    uow, clock, actor = console.container.uow(), console.container.clock, console.actor
    actor.require(surveys.DEFINE)  # the page's error page, not the form's: she may not edit
    survey = surveys.get_survey(survey_id, uow, actor)
    raw = await console.request.form()
    values = {name: str(value) for name, value in raw.items()}
    for lang in LANGUAGES:
        for part in _TEXT_PARTS:
            values.setdefault(f"{part}_{lang}", "")
    form = blank_form(**values)
    try:
        texts = _texts(values)
        cmd = surveys.DefineSurvey(
            name=values.get("name", ""),
            kind=survey.kind,
            touchpoint=choice(Touchpoint, values.get("touchpoint", ""), "touchpoint"),
            texts=texts,
            ask_comment=any(t.comment_prompt for t in texts.values()),
            choices=_choices(values),
            location_id=values.get("location_id") or None,
            valid_for=_valid_for(values.get("valid_days", "")),
            active=bool(values.get("active")),
        )
        surveys.change_survey(survey_id, cmd, console.container.uow(), clock, actor)
    except HeedfulError as exc:
        return _page(console, survey, console.failed(exc, form, _RENAME), 422)
    return console.redirect("/console/surveys")


@router.post("/console/surveys/{survey_id}/switch")
def switch(console: Staff, survey_id: str) -> Response:
    """On or off in one click from the list: invitations stop (or start) at once."""
    uow, clock, actor = console.container.uow(), console.container.clock, console.actor
    actor.require(surveys.DEFINE)
    survey = surveys.get_survey(survey_id, uow, actor)
    cmd = surveys.DefineSurvey(
        name=survey.name,
        kind=survey.kind,
        touchpoint=survey.touchpoint,
        texts=survey.texts,
        ask_comment=survey.ask_comment,
        choices=survey.choices,
        location_id=survey.location_id,
        valid_for=survey.valid_for,
        active=not survey.active,
    )
    surveys.change_survey(survey_id, cmd, console.container.uow(), clock, actor)
    return console.redirect("/console/surveys")
