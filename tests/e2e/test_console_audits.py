"""An evaluator's console home lists her own audits, in her language, and nothing of a customer."""

from __future__ import annotations

from datetime import timedelta

from console_world import World, log_in
from fastapi.testclient import TestClient

from heedful.core.access.model import SYSTEM, Role
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

FORM = {
    "titles": {"en": "Visit"},
    "sections": [
        {
            "key": "welcome",
            "titles": {"en": "Welcome"},
            "items": [{"key": "greeted", "kind": "yes_no", "titles": {"en": "Greeted?"}}],
        }
    ],
}


def test_an_evaluator_sees_her_own_assignments_in_ukrainian_and_no_customer(
    console_client: TestClient, world: World
) -> None:
    boutique = world.location("Atelier Lypky", city="Kyiv", country="UA", time_zone="Europe/Kyiv")
    guest = world.customer("Анна Петрова", at=boutique, phone="+380671234567")
    uow, clock = world.container.uow, world.container.clock
    form = save_questionnaire(uow(), clock, SYSTEM, FORM)
    programme = create_programme(
        uow(),
        clock,
        SYSTEM,
        NewProgramme("Boutiques", form.id, (AuditRule(frozenset({boutique.id})),)),
    )
    profiles = {}
    for login, name in (("iryna", "Iryna"), ("halyna", "Halyna")):
        member = world.staff(login, name, Role.EVALUATOR, language="uk")
        profiles[login] = enrol_evaluator(
            uow(),
            clock,
            SYSTEM,
            NewEvaluator(
                member.id, name, frozenset({"vip"}), frozenset({"uk"}), frozenset({"Kyiv"})
            ),
        )
    for login, scenario in (("iryna", "Попросіть повідомити про сумку"), ("halyna", "Інше")):
        start = clock.now() + timedelta(days=1)
        assign_visit(
            uow(),
            clock,
            SYSTEM,
            NewAssignment(
                programme.id,
                profiles[login].id,
                boutique.id,
                "2026-03",
                start,
                start + timedelta(days=2),
                scenario,
            ),
        )

    log_in(console_client, "iryna")
    home = console_client.get("/")

    assert home.status_code == 200
    assert "Atelier Lypky" in home.text
    assert "Попросіть повідомити про сумку" in home.text
    assert "Інше" not in home.text  # Halyna's assignment
    assert "Чернетка" in home.text
    assert "Вікно візиту" in home.text
    assert guest.full_name not in home.text
    assert "+380671234567" not in home.text
