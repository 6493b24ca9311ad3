"""A boutique, a questionnaire with every kind of item, two evaluators with an assignment each."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from console_world import World

from heedful.core.access.model import SYSTEM, Role
from heedful.core.audits import (
    AuditRule,
    NewAssignment,
    NewEvaluator,
    NewProgramme,
    assign_visit,
    create_programme,
    enrol_evaluator,
    review_visit,
    save_draft,
    save_questionnaire,
    submit_visit,
)
from heedful.core.staff.model import Location

FORM = {
    "titles": {"en": "Boutique visit", "uk": "Візит до бутика"},
    "sections": [
        {
            "key": "welcome",
            "titles": {"en": "Welcome", "uk": "Зустріч"},
            "items": [
                {
                    "key": "greeted",
                    "kind": "yes_no",
                    "titles": {"en": "Greeted?", "uk": "Привітали?"},
                },
                {
                    "key": "warmth",
                    "kind": "scale",
                    "titles": {"en": "How warm?", "uk": "Наскільки тепло?"},
                },
                {
                    "key": "offer",
                    "kind": "single_choice",
                    "titles": {"en": "Offered", "uk": "Запропонували"},
                    "choices": [
                        {"key": "water", "titles": {"en": "Water", "uk": "Воду"}, "points": 1},
                        {"key": "nothing", "titles": {"en": "Nothing", "uk": "Нічого"}},
                    ],
                },
                {
                    "key": "asked",
                    "kind": "multiple_choice",
                    "titles": {"en": "Asked about", "uk": "Запитали про"},
                    "may_be_not_applicable": True,
                    "choices": [
                        {"key": "size", "titles": {"en": "Size", "uk": "Розмір"}, "points": 0.5},
                        {"key": "colour", "titles": {"en": "Colour", "uk": "Колір"}, "points": 0.5},
                    ],
                },
            ],
        },
        {
            "key": "after",
            "titles": {"en": "After the visit", "uk": "Після візиту"},
            "items": [
                {
                    "key": "wait",
                    "kind": "number",
                    "titles": {"en": "Minutes waited", "uk": "Хвилин очікування"},
                    "good_from": 0,
                    "good_to": 5,
                },
                {"key": "notes", "kind": "free_text", "titles": {"en": "Notes", "uk": "Нотатки"}},
                {"key": "shelf", "kind": "photo", "titles": {"en": "The shelf", "uk": "Полиця"}},
                {
                    "key": "callback",
                    "kind": "promise_kept",
                    "titles": {"en": "Called back?", "uk": "Передзвонили?"},
                },
            ],
        },
    ],
}

# The smallest PNG there is: a real image by its first bytes.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


@dataclass(frozen=True)
class AuditVisits:
    mine: str  # Iryna's assignment
    hers: str  # Halyna's assignment
    guest_name: str
    guest_phone: str
    boutique: Location


def audit_visits(world: World, language: str = "uk") -> AuditVisits:
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
    ids = {}
    for login, name, scenario in (
        ("iryna", "Iryna", "Попросіть повідомити про сумку"),
        ("halyna", "Halyna", "Інше завдання"),
    ):
        member = world.staff(login, name, Role.EVALUATOR, language=language)
        profile = enrol_evaluator(
            uow(),
            clock,
            SYSTEM,
            NewEvaluator(
                member.id, name, frozenset({"vip"}), frozenset({"uk"}), frozenset({"Kyiv"})
            ),
        )
        start = clock.now() - timedelta(hours=1)
        ids[login] = assign_visit(
            uow(),
            clock,
            SYSTEM,
            NewAssignment(
                programme.id,
                profile.id,
                boutique.id,
                "2026-12",
                start,
                start + timedelta(days=2),
                scenario,
            ),
        ).id
    return AuditVisits(ids["iryna"], ids["halyna"], guest.full_name, "+380671234567", boutique)


def validated_visit(world: World, visits: AuditVisits, answers: dict[str, Any]) -> None:
    """Iryna answers her visit, sends it, and a reviewer validates it: the wave has a score."""
    uow, clock = world.container.uow, world.container.clock
    with uow() as unit:
        iryna = unit.staff.get_by_login("iryna")
    assert iryna is not None
    save_draft(uow(), clock, iryna.as_actor(), visits.mine, answers)
    submit_visit(uow(), clock, iryna.as_actor(), visits.mine)
    review_visit(uow(), clock, SYSTEM, visits.mine, validated=True, comment="")
