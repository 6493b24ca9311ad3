"""Fakes for the service audits' storage, answering as ``audit_rows.py`` does."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from fakes._base import Repository, copy
from heedful.core.audits import (
    Assignment,
    EvaluatorProfile,
    Programme,
    Questionnaire,
    Visit,
    VisitState,
)


@dataclass
class AuditState:
    questionnaires: dict[tuple[str, int], Questionnaire] = field(default_factory=dict)
    programmes: dict[str, Programme] = field(default_factory=dict)
    evaluators: dict[str, EvaluatorProfile] = field(default_factory=dict)
    assignments: dict[str, Assignment] = field(default_factory=dict)
    visits: dict[str, Visit] = field(default_factory=dict)
    # contact -> locations where a customer with it is known
    known: dict[str, set[str]] = field(default_factory=dict)


class FakeAudits(Repository):
    def add_questionnaire(self, questionnaire: Questionnaire) -> None:
        key = (questionnaire.id, questionnaire.version)
        self._writing().audits.questionnaires[key] = questionnaire

    def questionnaire(
        self, questionnaire_id: str, version: int | None = None
    ) -> Questionnaire | None:
        found = [
            q for (i, _), q in self._state.audits.questionnaires.items() if i == questionnaire_id
        ]
        if version is not None:
            found = [q for q in found if q.version == version]
        return max(found, key=lambda q: q.version, default=None)

    def questionnaires(self) -> list[Questionnaire]:
        ids = sorted({i for i, _ in self._state.audits.questionnaires})
        return [q for i in ids if (q := self.questionnaire(i)) is not None]

    def add_programme(self, programme: Programme) -> None:
        self._writing().audits.programmes[programme.id] = copy(programme)

    def programme(self, programme_id: str) -> Programme | None:
        return copy(self._state.audits.programmes.get(programme_id))

    def programmes(self) -> list[Programme]:
        return [copy(p) for p in self._state.audits.programmes.values()]

    def add_evaluator(self, profile: EvaluatorProfile) -> None:
        self._writing().audits.evaluators[profile.id] = copy(profile)

    def update_evaluator(self, profile: EvaluatorProfile) -> None:
        self.add_evaluator(profile)

    def evaluator(self, evaluator_id: str) -> EvaluatorProfile | None:
        return copy(self._state.audits.evaluators.get(evaluator_id))

    def evaluator_of_staff(self, staff_id: str) -> EvaluatorProfile | None:
        return next((copy(p) for p in self.evaluators() if p.staff_id == staff_id), None)

    def evaluators(self) -> list[EvaluatorProfile]:
        found = sorted(self._state.audits.evaluators.values(), key=lambda p: p.display_name)
        return [copy(p) for p in found]

    def known_at(self, location_id: str, contacts: Sequence[str]) -> bool:
        known = self._state.audits.known
        return any(location_id in known.get(c, set()) for c in contacts)

    def audits_at(self, location_id: str) -> list[tuple[str, datetime]]:
        return [
            (a.evaluator_id, a.window_start)
            for a in self._state.audits.assignments.values()
            if a.location_id == location_id
        ]

    def add_assignment(self, assignment: Assignment) -> None:
        self._writing().audits.assignments[assignment.id] = copy(assignment)

    def update_assignment(self, assignment: Assignment) -> None:
        self.add_assignment(assignment)

    def assignment(self, assignment_id: str) -> Assignment | None:
        return copy(self._state.audits.assignments.get(assignment_id))

    def assignments_of(self, evaluator_id: str) -> list[Assignment]:
        found = [
            a for a in self._state.audits.assignments.values() if a.evaluator_id == evaluator_id
        ]
        return [copy(a) for a in sorted(found, key=lambda a: (a.window_start, a.id))]

    def add_visit(self, visit: Visit) -> None:
        self._writing().audits.visits[visit.assignment_id] = copy(visit)

    def update_visit(self, visit: Visit) -> None:
        self.add_visit(visit)

    def visit(self, assignment_id: str, *, for_change: bool = False) -> Visit | None:  # noqa: ARG002 - one writer in a fake
        return copy(self._state.audits.visits.get(assignment_id))

    def visits_of(self, assignment_ids: Sequence[str]) -> list[Visit]:
        return [v for i in assignment_ids if (v := self.visit(i)) is not None]

    def earlier_visits(self, evaluator_id: str, before: datetime, limit: int) -> list[Visit]:
        found = [
            v
            for v in self._state.audits.visits.values()
            if v.evaluator_id == evaluator_id and v.submitted_at and v.submitted_at < before
        ]
        found.sort(key=lambda v: v.submitted_at or before, reverse=True)
        return [copy(v) for v in found[:limit]]

    def hashes_seen(self, hashes: Sequence[str], other_than: str) -> list[str]:
        seen = {
            a.sha256
            for v in self._state.audits.visits.values()
            if v.assignment_id != other_than
            for a in v.attachments
        }
        return sorted(seen.intersection(hashes))

    def attachment_hashes(self) -> set[str]:
        return {a.sha256 for v in self._state.audits.visits.values() for a in v.attachments}

    def visits(
        self,
        states: frozenset[VisitState],
        waves: Sequence[str] = (),
        location_ids: frozenset[str] | None = None,
        questionnaire_id: str | None = None,
    ) -> list[Visit]:
        return [
            copy(v)
            for v in self._state.audits.visits.values()
            if v.state in states
            and (not waves or v.wave in waves)
            and (location_ids is None or v.location_id in location_ids)
            and (questionnaire_id is None or v.questionnaire_id == questionnaire_id)
        ]
