"""The service audits on SQLAlchemy Core: questionnaires, panel, assignments, visits."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, RowMapping

from heedful.adapters.storage.audit_tables import (
    audit_assignments,
    audit_attachments,
    audit_evaluators,
    audit_programmes,
    audit_questionnaires,
    audit_visits,
)
from heedful.adapters.storage.tables import customer_locations, identities
from heedful.core.audits import (
    Assignment,
    Attachment,
    AuditRule,
    CheckIn,
    EvaluatorProfile,
    Flag,
    Programme,
    Questionnaire,
    Visit,
    VisitState,
    read_questionnaire,
)
from heedful.core.audits.answers import answer_from_json


def _questionnaire(row: RowMapping) -> Questionnaire:
    return Questionnaire(
        id=row["id"],
        version=row["version"],
        body=read_questionnaire(row["source"]),
        source=row["source"],
        created_at=row["created_at"],
        created_by=row["created_by"],
    )


def _rule_json(rule: AuditRule) -> dict[str, Any]:
    return {
        "location_ids": sorted(rule.location_ids),
        "segments": sorted(rule.segments),
        "languages": sorted(rule.languages),
        "age_bands": sorted(rule.age_bands),
        "genders": sorted(rule.genders),
        "same_city": rule.same_city,
    }


def _rule(raw: dict[str, Any]) -> AuditRule:
    return AuditRule(
        location_ids=frozenset(raw["location_ids"]),
        segments=frozenset(raw["segments"]),
        languages=frozenset(raw["languages"]),
        age_bands=frozenset(raw["age_bands"]),
        genders=frozenset(raw["genders"]),
        same_city=bool(raw["same_city"]),
    )


def _programme(row: RowMapping) -> Programme:
    return Programme(
        id=row["id"],
        name=row["name"],
        questionnaire_id=row["questionnaire_id"],
        rules=tuple(_rule(r) for r in row["rules"]),
        created_at=row["created_at"],
        created_by=row["created_by"],
        lockout_days=row["lockout_days"],
        check_in_radius_m=row["check_in_radius_m"],
    )


def _evaluator(row: RowMapping) -> EvaluatorProfile:
    return EvaluatorProfile(
        id=row["id"],
        staff_id=row["staff_id"],
        display_name=row["display_name"],
        segments=frozenset(row["segments"]),
        languages=frozenset(row["languages"]),
        cities=frozenset(row["cities"]),
        created_at=row["created_at"],
        age_band=row["age_band"],
        gender=row["gender"],
        contacts=frozenset(row["contacts"]),
        works_at=frozenset(row["works_at"]),
        validated=row["validated"],
        returned=row["returned"],
        active=bool(row["active"]),
    )


def _evaluator_values(p: EvaluatorProfile) -> dict[str, Any]:
    return {
        "display_name": p.display_name,
        "segments": sorted(p.segments),
        "languages": sorted(p.languages),
        "cities": sorted(p.cities),
        "age_band": p.age_band,
        "gender": p.gender,
        "contacts": sorted(p.contacts),
        "works_at": sorted(p.works_at),
        "validated": p.validated,
        "returned": p.returned,
        "active": p.active,
    }


def _assignment(row: RowMapping) -> Assignment:
    return Assignment(
        id=row["id"],
        programme_id=row["programme_id"],
        evaluator_id=row["evaluator_id"],
        location_id=row["location_id"],
        questionnaire_id=row["questionnaire_id"],
        questionnaire_version=row["questionnaire_version"],
        wave=row["wave"],
        window_start=row["window_start"],
        window_end=row["window_end"],
        scenario=row["scenario"],
        created_at=row["created_at"],
        created_by=row["created_by"],
        promise_id=row["promise_id"],
    )


def _visit(row: RowMapping) -> Visit:
    check_in = None
    if row["checked_in_at"] is not None:
        check_in = CheckIn(
            row["checked_in_at"], row["check_in_latitude"], row["check_in_longitude"]
        )
    return Visit(
        assignment_id=row["assignment_id"],
        evaluator_id=row["evaluator_id"],
        location_id=row["location_id"],
        wave=row["wave"],
        questionnaire_id=row["questionnaire_id"],
        questionnaire_version=row["questionnaire_version"],
        updated_at=row["updated_at"],
        state=VisitState(row["state"]),
        answers={k: answer_from_json(v) for k, v in (row["answers"] or {}).items()},
        attachments=tuple(
            Attachment(a["id"], a["sha256"], a.get("kind", "photo")) for a in row["attachments"]
        ),
        check_in=check_in,
        submitted_at=row["submitted_at"],
        reviewed_at=row["reviewed_at"],
        reviewed_by=row["reviewed_by"],
        review_comment=row["review_comment"],
        flags=tuple(Flag(f["code"], dict(f.get("detail") or {})) for f in row["flags"]),
        score=row["score"],
    )


def _visit_values(v: Visit) -> dict[str, Any]:
    return {
        "evaluator_id": v.evaluator_id,
        "location_id": v.location_id,
        "wave": v.wave,
        "questionnaire_id": v.questionnaire_id,
        "questionnaire_version": v.questionnaire_version,
        "state": v.state.value,
        "answers": {k: a.as_json() for k, a in v.answers.items()},
        "attachments": [{"id": a.id, "sha256": a.sha256, "kind": a.kind} for a in v.attachments],
        "checked_in_at": v.check_in.at if v.check_in else None,
        "check_in_latitude": v.check_in.latitude if v.check_in else None,
        "check_in_longitude": v.check_in.longitude if v.check_in else None,
        "submitted_at": v.submitted_at,
        "reviewed_at": v.reviewed_at,
        "reviewed_by": v.reviewed_by,
        "review_comment": v.review_comment,
        "flags": [{"code": f.code, "detail": dict(f.detail)} for f in v.flags],
        "score": v.score,
        "updated_at": v.updated_at,
    }


class SqlAudits:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def _rows(self, query: Any) -> list[RowMapping]:
        return list(self._conn.execute(query).mappings())

    # ---- questionnaires ----
    def add_questionnaire(self, questionnaire: Questionnaire) -> None:
        self._conn.execute(
            audit_questionnaires.insert().values(
                id=questionnaire.id,
                version=questionnaire.version,
                source=dict(questionnaire.source),
                created_at=questionnaire.created_at,
                created_by=questionnaire.created_by,
            )
        )

    def questionnaire(
        self, questionnaire_id: str, version: int | None = None
    ) -> Questionnaire | None:
        t = audit_questionnaires
        query = sa.select(t).where(t.c.id == questionnaire_id)
        if version is None:
            query = query.order_by(t.c.version.desc()).limit(1)
        else:
            query = query.where(t.c.version == version)
        rows = self._rows(query)
        return _questionnaire(rows[0]) if rows else None

    def questionnaires(self) -> list[Questionnaire]:
        t = audit_questionnaires
        newest = (
            sa.select(t.c.id, sa.func.max(t.c.version).label("version")).group_by(t.c.id).subquery()
        )
        query = (
            sa.select(t)
            .join(newest, sa.and_(t.c.id == newest.c.id, t.c.version == newest.c.version))
            .order_by(t.c.created_at, t.c.id)
        )
        return [_questionnaire(r) for r in self._rows(query)]

    # ---- programmes ----
    def add_programme(self, programme: Programme) -> None:
        self._conn.execute(
            audit_programmes.insert().values(
                id=programme.id,
                name=programme.name,
                questionnaire_id=programme.questionnaire_id,
                rules=[_rule_json(r) for r in programme.rules],
                lockout_days=programme.lockout_days,
                check_in_radius_m=programme.check_in_radius_m,
                created_at=programme.created_at,
                created_by=programme.created_by,
            )
        )

    def programme(self, programme_id: str) -> Programme | None:
        t = audit_programmes
        rows = self._rows(sa.select(t).where(t.c.id == programme_id))
        return _programme(rows[0]) if rows else None

    def programmes(self) -> list[Programme]:
        t = audit_programmes
        return [_programme(r) for r in self._rows(sa.select(t).order_by(t.c.name, t.c.id))]

    # ---- the panel ----
    def add_evaluator(self, profile: EvaluatorProfile) -> None:
        self._conn.execute(
            audit_evaluators.insert().values(
                id=profile.id,
                staff_id=profile.staff_id,
                created_at=profile.created_at,
                **_evaluator_values(profile),
            )
        )

    def update_evaluator(self, profile: EvaluatorProfile) -> None:
        t = audit_evaluators
        self._conn.execute(
            t.update().where(t.c.id == profile.id).values(**_evaluator_values(profile))
        )

    def evaluator(self, evaluator_id: str) -> EvaluatorProfile | None:
        t = audit_evaluators
        rows = self._rows(sa.select(t).where(t.c.id == evaluator_id))
        return _evaluator(rows[0]) if rows else None

    def evaluator_of_staff(self, staff_id: str) -> EvaluatorProfile | None:
        t = audit_evaluators
        rows = self._rows(sa.select(t).where(t.c.staff_id == staff_id))
        return _evaluator(rows[0]) if rows else None

    def evaluators(self) -> list[EvaluatorProfile]:
        t = audit_evaluators
        return [_evaluator(r) for r in self._rows(sa.select(t).order_by(t.c.display_name))]

    def known_at(self, location_id: str, contacts: Sequence[str]) -> bool:
        if not contacts:
            return False
        query = (
            sa.select(identities.c.id)
            .join(
                customer_locations,
                customer_locations.c.customer_id == identities.c.customer_id,
            )
            .where(
                customer_locations.c.location_id == location_id,
                identities.c.value.in_(list(contacts)),
            )
            .limit(1)
        )
        return self._conn.execute(query).first() is not None

    def audits_at(self, location_id: str) -> list[tuple[str, datetime]]:
        t = audit_assignments
        query = sa.select(t.c.evaluator_id, t.c.window_start).where(t.c.location_id == location_id)
        return [(r["evaluator_id"], r["window_start"]) for r in self._rows(query)]

    # ---- assignments ----
    def add_assignment(self, assignment: Assignment) -> None:
        self._conn.execute(
            audit_assignments.insert().values(
                id=assignment.id,
                programme_id=assignment.programme_id,
                evaluator_id=assignment.evaluator_id,
                location_id=assignment.location_id,
                questionnaire_id=assignment.questionnaire_id,
                questionnaire_version=assignment.questionnaire_version,
                wave=assignment.wave,
                window_start=assignment.window_start,
                window_end=assignment.window_end,
                scenario=assignment.scenario,
                promise_id=assignment.promise_id,
                created_at=assignment.created_at,
                created_by=assignment.created_by,
            )
        )

    def update_assignment(self, assignment: Assignment) -> None:
        t = audit_assignments
        self._conn.execute(
            t.update()
            .where(t.c.id == assignment.id)
            .values(
                evaluator_id=assignment.evaluator_id,
                promise_id=assignment.promise_id,
                window_start=assignment.window_start,
                window_end=assignment.window_end,
                scenario=assignment.scenario,
            )
        )

    def assignment(self, assignment_id: str) -> Assignment | None:
        t = audit_assignments
        rows = self._rows(sa.select(t).where(t.c.id == assignment_id))
        return _assignment(rows[0]) if rows else None

    def assignments_of(self, evaluator_id: str) -> list[Assignment]:
        t = audit_assignments
        query = sa.select(t).where(t.c.evaluator_id == evaluator_id)
        return [_assignment(r) for r in self._rows(query.order_by(t.c.window_start, t.c.id))]

    # ---- visits ----
    def add_visit(self, visit: Visit) -> None:
        self._conn.execute(
            audit_visits.insert().values(assignment_id=visit.assignment_id, **_visit_values(visit))
        )
        self._attachments(visit)

    def update_visit(self, visit: Visit) -> None:
        t = audit_visits
        self._conn.execute(
            t.update()
            .where(t.c.assignment_id == visit.assignment_id)
            .values(**_visit_values(visit))
        )
        self._attachments(visit)

    def _attachments(self, visit: Visit) -> None:
        t = audit_attachments
        self._conn.execute(t.delete().where(t.c.assignment_id == visit.assignment_id))
        if visit.attachments:
            self._conn.execute(
                t.insert(),
                [
                    {
                        "assignment_id": visit.assignment_id,
                        "attachment_id": a.id,
                        "sha256": a.sha256,
                        "kind": a.kind,
                    }
                    for a in {a.id: a for a in visit.attachments}.values()
                ],
            )

    def visit(self, assignment_id: str, *, for_change: bool = False) -> Visit | None:
        t = audit_visits
        query = sa.select(t).where(t.c.assignment_id == assignment_id)
        if for_change:
            query = query.with_for_update()  # SQLite ignores it; one writer at a time there
        rows = self._rows(query)
        return _visit(rows[0]) if rows else None

    def visits_of(self, assignment_ids: Sequence[str]) -> list[Visit]:
        if not assignment_ids:
            return []
        t = audit_visits
        return [
            _visit(r) for r in self._rows(sa.select(t).where(t.c.assignment_id.in_(assignment_ids)))
        ]

    def earlier_visits(self, evaluator_id: str, before: datetime, limit: int) -> list[Visit]:
        t = audit_visits
        query = (
            sa.select(t)
            .where(
                t.c.evaluator_id == evaluator_id,
                t.c.submitted_at.is_not(None),
                t.c.submitted_at < before,
            )
            .order_by(t.c.submitted_at.desc())
            .limit(limit)
        )
        return [_visit(r) for r in self._rows(query)]

    def hashes_seen(self, hashes: Sequence[str], other_than: str) -> list[str]:
        if not hashes:
            return []
        t = audit_attachments
        query = (
            sa.select(t.c.sha256)
            .where(t.c.sha256.in_(list(hashes)), t.c.assignment_id != other_than)
            .distinct()
        )
        return [r["sha256"] for r in self._rows(query)]

    def attachment_hashes(self) -> set[str]:
        t = audit_attachments
        return {r["sha256"] for r in self._rows(sa.select(t.c.sha256).distinct())}

    def visits(
        self,
        states: frozenset[VisitState],
        waves: Sequence[str] = (),
        location_ids: frozenset[str] | None = None,
        questionnaire_id: str | None = None,
    ) -> list[Visit]:
        t = audit_visits
        query = sa.select(t).where(t.c.state.in_(sorted(s.value for s in states)))
        if waves:
            query = query.where(t.c.wave.in_(list(waves)))
        if location_ids is not None:
            query = query.where(t.c.location_id.in_(sorted(location_ids)))
        if questionnaire_id is not None:
            query = query.where(t.c.questionnaire_id == questionnaire_id)
        return [_visit(r) for r in self._rows(query.order_by(t.c.wave, t.c.assignment_id))]
