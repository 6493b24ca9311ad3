"""The demo's service audits: three questionnaires, the boutique's programme, Marta on the panel.

Marta has one visit to make at the boutique this week, so logging in as her shows a visit to fill:
the seed's scenario, asking to be told when a sold-out bag is back (the promise the staff then
record is what the questionnaire's follow-up item reads from the ledger).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from heedful.core.access.model import SYSTEM
from heedful.core.audits import (
    AuditRule,
    NewAssignment,
    NewEvaluator,
    NewProgramme,
    assign_visit,
    create_programme,
    enrol_evaluator,
    save_questionnaire,
)
from heedful.core.shared.clock import FrozenClock
from heedful.core.unit_of_work import UnitOfWork

from .audit_questionnaires import DEMO_QUESTIONNAIRES
from .data import BOUTIQUE

EVALUATOR_LOGIN = "marta.lang"
SCENARIO = (
    "Ask for the sold-out black bag in the window, and ask to be told when it is back: "
    "note who promised to tell you, how, and by when."
)
VISIT_DAYS = 7  # the window runs from the demo's start for a week


def play_audits(
    uow: UnitOfWork, clock: FrozenClock, locations: dict[str, str], now: datetime
) -> None:
    boutique_form, *_ = [save_questionnaire(uow, clock, SYSTEM, q) for q in DEMO_QUESTIONNAIRES]
    # Only the boutique's own clients' peers judge it (the seed): VIP guests who live in Kyiv.
    programme = create_programme(
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
    profile = enrol_evaluator(
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
    start = now - timedelta(hours=1)
    assign_visit(
        uow,
        FrozenClock(now),
        SYSTEM,
        NewAssignment(
            programme_id=programme.id,
            evaluator_id=profile.id,
            location_id=locations[BOUTIQUE],
            wave=f"{now:%Y-%m}",
            window_start=start,
            window_end=start + timedelta(days=VISIT_DAYS),
            scenario=SCENARIO,
        ),
    )
