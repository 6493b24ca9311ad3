"""Use cases of the audit set-up: questionnaires, programmes, the panel, proposals, assignments."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from heedful.core.access import Actor, Permission, Role
from heedful.core.audits.panel import (
    AuditRule,
    Candidate,
    EvaluatorProfile,
    Programme,
    Proposal,
    folded,
    last_audits,
    propose,
)
from heedful.core.audits.ports import AuditWork
from heedful.core.audits.questionnaire import Questionnaire
from heedful.core.audits.reading import read_questionnaire
from heedful.core.audits.visits import Assignment, Visit
from heedful.core.customers import guess_kind, normalise_identity
from heedful.core.shared.clock import Clock
from heedful.core.shared.errors import Conflict, Forbidden, InvalidInput, NotFound
from heedful.core.shared.ids import new_id
from heedful.core.shared.phrases import Phrase
from heedful.core.staff import Location

MAX_SCENARIO = 2000


def _manager(actor: Actor) -> None:
    actor.require(Permission.MANAGE_AUDITS)


def save_questionnaire(
    uow: AuditWork, clock: Clock, actor: Actor, raw: Mapping[str, Any], questionnaire_id: str = ""
) -> Questionnaire:
    """A new questionnaire (version 1), or a new version of an existing one: never an edit."""
    _manager(actor)
    body = read_questionnaire(raw)
    with uow:
        version = 1
        if questionnaire_id:
            newest = uow.audits.questionnaire(questionnaire_id)
            if newest is None:
                raise NotFound(f"no questionnaire {questionnaire_id}")
            version = newest.version + 1
        made = Questionnaire(
            id=questionnaire_id or new_id("aqn_"),
            version=version,
            body=body,
            source=dict(raw),
            created_at=clock.now(),
            created_by=actor.label,
        )
        uow.audits.add_questionnaire(made)
        uow.commit()
    return made


def find_questionnaire(
    uow: AuditWork, actor: Actor, questionnaire_id: str, version: int | None = None
) -> Questionnaire:
    if not (actor.may(Permission.MANAGE_AUDITS) or actor.may(Permission.DO_AUDITS)):
        raise Forbidden("the questionnaires are for audit managers and evaluators")
    with uow:
        found = uow.audits.questionnaire(questionnaire_id, version)
    if found is None:
        raise NotFound(f"no questionnaire {questionnaire_id}")
    return found


def list_questionnaires(uow: AuditWork, actor: Actor) -> list[Questionnaire]:
    """The newest version of every questionnaire."""
    _manager(actor)
    with uow:
        return uow.audits.questionnaires()


@dataclass(frozen=True)
class NewProgramme:
    name: str
    questionnaire_id: str
    rules: tuple[AuditRule, ...]
    lockout_days: int = 90
    check_in_radius_m: int = 300


def create_programme(uow: AuditWork, clock: Clock, actor: Actor, new: NewProgramme) -> Programme:
    _manager(actor)
    with uow:
        if uow.audits.questionnaire(new.questionnaire_id) is None:
            raise InvalidInput("no such questionnaire", field="questionnaire_id")
        for n, rule in enumerate(new.rules):
            for location_id in sorted(rule.location_ids):
                if uow.locations.get(location_id) is None or not actor.may_act_at(location_id):
                    raise InvalidInput(
                        f"no location {location_id}",
                        said=Phrase("refusal.no_location"),
                        field=f"rules[{n}].location_ids",
                    )
        programme = Programme(
            id=new_id("apg_"),
            name=new.name,
            questionnaire_id=new.questionnaire_id,
            rules=new.rules,
            created_at=clock.now(),
            created_by=actor.label,
            lockout_days=new.lockout_days,
            check_in_radius_m=new.check_in_radius_m,
        )
        uow.audits.add_programme(programme)
        uow.commit()
    return programme


def find_programme(uow: AuditWork, actor: Actor, programme_id: str) -> Programme:
    _manager(actor)
    with uow:
        programme = uow.audits.programme(programme_id)
    # A manager sees the programmes that audit one of her locations, as with customers (404).
    scope = actor.scope
    if programme is None or (scope is not None and scope.isdisjoint(programme.location_ids)):
        raise NotFound(f"no programme {programme_id}")
    return programme


@dataclass(frozen=True)
class NewEvaluator:
    staff_id: str
    display_name: str
    segments: frozenset[str]
    languages: frozenset[str]
    cities: frozenset[str]
    age_band: str = ""
    gender: str = ""
    contacts: frozenset[str] = frozenset()
    works_at: frozenset[str] = frozenset()


def _contacts(raw: frozenset[str]) -> frozenset[str]:
    """Her e-mails and phones written as customers' identities are, so a match is exact."""
    found: set[str] = set()
    for n, text in enumerate(sorted(raw)):
        kind = guess_kind(text)
        if kind is None:
            raise InvalidInput(f"{text!r} is neither an e-mail nor a phone", field=f"contacts[{n}]")
        try:
            found.add(normalise_identity(kind, text))
        except InvalidInput as refused:
            raise InvalidInput(str(refused), field=f"contacts[{n}]", said=refused.said) from refused
    return frozenset(found)


def enrol_evaluator(
    uow: AuditWork, clock: Clock, actor: Actor, new: NewEvaluator
) -> EvaluatorProfile:
    """Give an evaluator's staff account its profile on the panel."""
    _manager(actor)
    with uow:
        # She signs in to the console as staff, or her phone app uses an evaluator API token.
        member = uow.staff.get(new.staff_id)
        token = uow.tokens.get(new.staff_id) if member is None else None
        role = member.role if member else token.role if token else None
        if role is not Role.EVALUATOR:
            raise InvalidInput(
                "must be a staff account or API token with the evaluator role", field="staff_id"
            )
        if uow.audits.evaluator_of_staff(new.staff_id) is not None:
            raise Conflict("this evaluator is on the panel already", field="staff_id")
        profile = EvaluatorProfile(
            id=new_id("aev_"),
            staff_id=new.staff_id,
            display_name=new.display_name,
            segments=folded(new.segments),
            languages=folded(new.languages),
            cities=folded(new.cities),
            created_at=clock.now(),
            age_band=new.age_band,
            gender=new.gender,
            contacts=_contacts(new.contacts),
            works_at=new.works_at,
        )
        uow.audits.add_evaluator(profile)
        uow.commit()
    return profile


def place_location(
    uow: AuditWork, actor: Actor, location_id: str, latitude: float, longitude: float
) -> Location:
    """Say where a location's door is: check-ins are measured from it."""
    _manager(actor)
    if not (-90 <= latitude <= 90):
        raise InvalidInput("must be from -90 to 90", field="latitude")
    if not (-180 <= longitude <= 180):
        raise InvalidInput("must be from -180 to 180", field="longitude")
    with uow:
        location = uow.locations.get(location_id)
        if location is None or not actor.may_act_at(location_id):
            raise NotFound(f"no location {location_id}", said=Phrase("refusal.no_location"))
        location.latitude, location.longitude = latitude, longitude
        uow.locations.update(location)
        uow.commit()
    return location


def list_evaluators(uow: AuditWork, actor: Actor) -> list[EvaluatorProfile]:
    _manager(actor)
    with uow:
        return uow.audits.evaluators()


def _proposals(
    uow: AuditWork, programme: Programme, location_id: str, now: datetime
) -> list[Proposal]:
    location = uow.locations.get(location_id)
    if location is None:
        raise NotFound(f"no location {location_id}", said=Phrase("refusal.no_location"))
    latest = last_audits(uow.audits.audits_at(location_id))
    candidates = []
    for profile in uow.audits.evaluators():
        member = uow.staff.get(profile.staff_id)
        works = bool(member and member.location_ids and location_id in member.location_ids)
        candidates.append(
            Candidate(
                profile=profile,
                known_there=bool(profile.contacts)
                and uow.audits.known_at(location_id, sorted(profile.contacts)),
                works_there=works,
                last_audit_at=latest.get(profile.id),
            )
        )
    return propose(candidates, programme, location_id, location.city, now)


def propose_evaluators(
    uow: AuditWork, clock: Clock, actor: Actor, programme_id: str, location_id: str
) -> list[Proposal]:
    """Every evaluator on the panel with the reasons she may not audit there; fits first."""
    _manager(actor)
    if not actor.may_act_at(location_id):
        raise NotFound(f"no location {location_id}", said=Phrase("refusal.no_location"))
    programme = find_programme(uow, actor, programme_id)
    with uow:
        return _proposals(uow, programme, location_id, clock.now())


def evaluator_fit(
    uow: AuditWork, programme: Programme, location_id: str, evaluator_id: str, now: datetime
) -> None:
    """Refuse an evaluator who does not fit: the matching rules are not advice but a gate."""
    proposal = next(
        (p for p in _proposals(uow, programme, location_id, now) if p.profile.id == evaluator_id),
        None,
    )
    if proposal is None:
        raise InvalidInput("no such evaluator", field="evaluator_id")
    if not proposal.fits:
        reasons = ", ".join(reason.value for reason in proposal.unfit)
        raise Conflict(
            f"this evaluator may not audit this location: {reasons}", field="evaluator_id"
        )


@dataclass(frozen=True)
class NewAssignment:
    programme_id: str
    evaluator_id: str
    location_id: str
    wave: str
    window_start: datetime
    window_end: datetime
    scenario: str = ""


def assign_visit(uow: AuditWork, clock: Clock, actor: Actor, new: NewAssignment) -> Assignment:
    """Assign a visit to an evaluator who fits; the matching rules are not advice but a gate."""
    _manager(actor)
    if not actor.may_act_at(new.location_id):
        raise InvalidInput(
            f"no location {new.location_id}",
            said=Phrase("refusal.no_location"),
            field="location_id",
        )
    if new.window_end <= new.window_start:
        raise InvalidInput("must be after window_start", field="window_end")
    now = clock.now()
    with uow:
        programme = uow.audits.programme(new.programme_id)
        if programme is None:
            raise InvalidInput("no such programme", field="programme_id")
        questionnaire = uow.audits.questionnaire(programme.questionnaire_id)
        assert questionnaire is not None  # a programme names an existing questionnaire
        evaluator_fit(uow, programme, new.location_id, new.evaluator_id, now)
        assignment = Assignment(
            id=new_id("aas_"),
            programme_id=programme.id,
            evaluator_id=new.evaluator_id,
            location_id=new.location_id,
            questionnaire_id=questionnaire.id,
            questionnaire_version=questionnaire.version,
            wave=new.wave,
            window_start=new.window_start,
            window_end=new.window_end,
            scenario=new.scenario,
            created_at=now,
            created_by=actor.label,
        )
        uow.audits.add_assignment(assignment)
        uow.audits.add_visit(
            Visit(
                assignment_id=assignment.id,
                evaluator_id=assignment.evaluator_id,
                location_id=assignment.location_id,
                wave=assignment.wave,
                questionnaire_id=questionnaire.id,
                questionnaire_version=questionnaire.version,
                updated_at=now,
            )
        )
        uow.commit()
    return assignment


def link_promise(uow: AuditWork, actor: Actor, assignment_id: str, promise_id: str) -> Assignment:
    """Bind the promise the scenario drew (recorded in the ledger like any) to the assignment."""
    _manager(actor)
    with uow:
        assignment = uow.audits.assignment(assignment_id)
        if assignment is None or not actor.may_act_at(assignment.location_id):
            raise NotFound(f"no assignment {assignment_id}")
        promise = uow.promises.get(promise_id)
        if promise is None or promise.location_id != assignment.location_id:
            raise InvalidInput("no promise made at this assignment's location", field="promise_id")
        assignment = replace(assignment, promise_id=promise_id)
        uow.audits.update_assignment(assignment)
        uow.commit()
    return assignment


def my_assignments(uow: AuditWork, actor: Actor) -> list[tuple[Assignment, Visit | None]]:
    """The evaluator's own assignments with their visits: nothing of anyone else's, no customer."""
    actor.require(Permission.DO_AUDITS)
    with uow:
        profile = uow.audits.evaluator_of_staff(actor.id)
        if profile is None:
            return []
        assignments = uow.audits.assignments_of(profile.id)
        visits = {v.assignment_id: v for v in uow.audits.visits_of([a.id for a in assignments])}
    return [(a, visits.get(a.id)) for a in assignments]


def programme_locations(programmes: Sequence[Programme]) -> frozenset[str]:
    return frozenset().union(*(p.location_ids for p in programmes))
