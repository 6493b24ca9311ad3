"""A manager takes an evaluator off the panel in the console and hands her open visit to another.

On both databases, in-process: the same use cases as the API (ADR 0039's panel, ``Unfit.INACTIVE``).
"""

from __future__ import annotations

from audit_visit_world import audit_visits
from console_world import World, log_in
from fastapi.testclient import TestClient

from heedful.core.access.model import SYSTEM, Role
from heedful.core.audits import NewEvaluator, enrol_evaluator, my_assignments, show_visit


def test_a_manager_deactivates_an_evaluator_and_hands_her_open_visit_to_one_who_fits(
    console_client: TestClient, world: World
) -> None:
    visits = audit_visits(world)
    uow, clock = world.container.uow, world.container.clock
    oksana = world.staff("oksana", "Oksana", Role.EVALUATOR, language="uk")
    enrol_evaluator(
        uow(),
        clock,
        SYSTEM,
        NewEvaluator(
            oksana.id, "Oksana", frozenset({"vip"}), frozenset({"uk"}), frozenset({"Kyiv"})
        ),
    )
    world.staff("olena", "Olena Koval", Role.MANAGER, language="uk", at=[visits.boutique])
    halyna = show_visit(uow(), SYSTEM, visits.hers).assignment.evaluator_id
    csrf = log_in(console_client, "olena")

    page = console_client.get("/console/audits/evaluators")
    assert page.status_code == 200
    assert 'href="/console/audits/evaluators"' in page.text  # in her menu
    for name in ("Iryna", "Halyna", "Oksana"):
        assert name in page.text
    off = console_client.post(
        f"/console/audits/evaluators/{halyna}/deactivate",
        data={"csrf_token": csrf},
        follow_redirects=False,
    )
    assert off.status_code == 303
    listed = console_client.get(off.headers["location"])
    assert "Аудитора виведено з панелі" in listed.text
    assert "Відкриті завдання: Halyna" in listed.text
    assert f'id="open-{visits.hers}"' in listed.text
    assert "Atelier Lypky" in listed.text
    assert "Неактивний" in listed.text
    # Iryna audited the boutique lately: only Oksana fits to take it on.
    assert f'<option value="{oksana_profile(world)}">Oksana</option>' in listed.text
    assert ">Iryna</option>" not in listed.text

    moved = console_client.post(
        f"/console/audits/assignments/{visits.hers}/reassign",
        data={"csrf_token": csrf, "evaluator_id": oksana_profile(world), "previous": halyna},
        follow_redirects=False,
    )
    assert moved.status_code == 303
    after = console_client.get(moved.headers["location"])
    assert "Завдання передано" in after.text
    assert "Відкритих завдань у ваших точках немає." in after.text
    with uow() as unit:
        member = unit.staff.get_by_login("oksana")
    assert member is not None
    assert [a.id for a, _ in my_assignments(uow(), member.as_actor())] == [visits.hers]

    log_in(console_client, "oksana")
    assert console_client.get(f"/audits/{visits.hers}").status_code == 200
    assert console_client.get("/console/audits/evaluators").status_code == 403


def oksana_profile(world: World) -> str:
    with world.container.uow() as unit:
        member = unit.staff.get_by_login("oksana")
        assert member is not None
        profile = unit.audits.evaluator_of_staff(member.id)
    assert profile is not None
    return profile.id
