"""Managers define surveys: a kind, a touchpoint, the words in each language, optional questions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from heedful.core.access import Actor, Permission
from heedful.core.feedback.model import (
    DEFAULT_VALIDITY,
    Choice,
    Survey,
    SurveyKind,
    SurveyText,
    Touchpoint,
)
from heedful.core.shared.clock import Clock
from heedful.core.shared.errors import Forbidden, InvalidInput, NotFound
from heedful.core.shared.ids import new_id
from heedful.core.shared.phrases import Phrase
from heedful.core.unit_of_work import UnitOfWork

# Defining what customers are asked is a manager's call, like writing a playbook.
DEFINE = Permission.MANAGE_PLAYBOOKS


@dataclass(frozen=True)
class DefineSurvey:
    name: str
    kind: SurveyKind
    touchpoint: Touchpoint
    texts: dict[str, SurveyText]
    ask_comment: bool = True
    choices: tuple[Choice, ...] = ()
    location_id: str | None = None
    valid_for: timedelta = DEFAULT_VALIDITY
    active: bool = True


def _check_location(uow: UnitOfWork, actor: Actor, location_id: str | None) -> None:
    if location_id is None:
        if not actor.sees_every_location:
            raise Forbidden("a survey for every location is an admin's", field="location_id")
        return
    if uow.locations.get(location_id) is None:
        raise InvalidInput(
            f"no location {location_id}", said=Phrase("refusal.no_location"), field="location_id"
        )
    if not actor.may_act_at(location_id):
        raise Forbidden(
            "you do not work at that location",
            said=Phrase("refusal.not_your_location"),
            field="location_id",
        )


def define_survey(cmd: DefineSurvey, uow: UnitOfWork, clock: Clock, actor: Actor) -> Survey:
    actor.require(DEFINE)
    now = clock.now()
    survey = Survey(
        id=new_id("srv_"),
        name=" ".join(cmd.name.split()),
        kind=cmd.kind,
        touchpoint=cmd.touchpoint,
        texts=dict(cmd.texts),
        created_at=now,
        created_by_label=actor.label,
        updated_at=now,
        ask_comment=cmd.ask_comment,
        choices=cmd.choices,
        location_id=cmd.location_id,
        valid_for=cmd.valid_for,
        active=cmd.active,
    )
    with uow:
        _check_location(uow, actor, cmd.location_id)
        uow.feedback.surveys.add(survey)
        uow.commit()
    return survey


def change_survey(
    survey_id: str, cmd: DefineSurvey, uow: UnitOfWork, clock: Clock, actor: Actor
) -> Survey:
    """A new wording or a switch off; the kind stays, so answers before and after add up."""
    actor.require(DEFINE)
    with uow:
        survey = _visible(uow, actor, survey_id)
        if cmd.kind is not survey.kind:
            raise InvalidInput("a survey keeps its kind; define a new one", field="kind")
        _check_location(uow, actor, cmd.location_id)
        survey.name, survey.touchpoint = " ".join(cmd.name.split()), cmd.touchpoint
        survey.texts, survey.ask_comment, survey.choices = (
            dict(cmd.texts),
            cmd.ask_comment,
            cmd.choices,
        )
        survey.location_id, survey.valid_for, survey.active = (
            cmd.location_id,
            cmd.valid_for,
            cmd.active,
        )
        survey.updated_at = clock.now()
        survey.check()
        uow.feedback.surveys.update(survey)
        uow.commit()
    return survey


def _visible(uow: UnitOfWork, actor: Actor, survey_id: str) -> Survey:
    survey = uow.feedback.surveys.get(survey_id)
    if survey is None or not actor.may_act_at(survey.location_id):
        raise NotFound(f"no survey {survey_id}")
    return survey


def get_survey(survey_id: str, uow: UnitOfWork, actor: Actor) -> Survey:
    actor.require(Permission.VIEW_CUSTOMERS)
    with uow:
        return _visible(uow, actor, survey_id)


def list_surveys(uow: UnitOfWork, actor: Actor, *, include_inactive: bool = True) -> list[Survey]:
    actor.require(Permission.VIEW_CUSTOMERS)
    with uow:
        found = uow.feedback.surveys.list(include_inactive=include_inactive)
    return [s for s in found if s.location_id is None or actor.may_act_at(s.location_id)]
