"""The demo's service audits: three questionnaires, the boutique's programme, Marta on the panel."""

from __future__ import annotations

from heedful.core.access.model import SYSTEM
from heedful.core.audits import (
    AuditRule,
    NewEvaluator,
    NewProgramme,
    create_programme,
    enrol_evaluator,
    save_questionnaire,
)
from heedful.core.shared.clock import FrozenClock
from heedful.core.unit_of_work import UnitOfWork

from .audit_questionnaires import DEMO_QUESTIONNAIRES
from .data import BOUTIQUE

EVALUATOR_LOGIN = "marta.lang"


def play_audits(uow: UnitOfWork, clock: FrozenClock, locations: dict[str, str]) -> None:
    boutique_form, *_ = [save_questionnaire(uow, clock, SYSTEM, q) for q in DEMO_QUESTIONNAIRES]
    # Only the boutique's own clients' peers judge it (the seed): VIP guests who live in Kyiv.
    create_programme(
        uow,
        clock,
        SYSTEM,
        NewProgramme(
            "Atelier Lypky: luxury service",
            boutique_form.id,
            (AuditRule(frozenset({locations[BOUTIQUE]}), segments=frozenset({"vip"})),),
            lockout_days=90,
        ),
    )
    marta = uow.staff.get_by_login(EVALUATOR_LOGIN)
    assert marta is not None  # hired with the demo's staff
    enrol_evaluator(
        uow,
        clock,
        SYSTEM,
        NewEvaluator(
            staff_id=marta.id,
            display_name=marta.full_name,
            segments=frozenset({"vip"}),
            languages=frozenset({"en", "uk"}),
            cities=frozenset({"Kyiv"}),
            age_band="35-44",
            gender="female",
        ),
    )
