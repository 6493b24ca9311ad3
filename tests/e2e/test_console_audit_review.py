"""A reviewer works through submitted visits in the console: flags, validate, return with a comment.

On both databases, in-process; the same use case as the API's validate and return (ADR 0039).
"""

from __future__ import annotations

from audit_visit_world import audit_visits
from console_world import World, log_in
from fastapi.testclient import TestClient

from heedful.core.access.model import SYSTEM, Role
from heedful.core.audits import VisitState, save_draft, show_visit, submit_visit

ANSWERS = {
    "greeted": {"value": True},
    "warmth": {"value": 4},
    "offer": {"value": "water"},
    "asked": {"not_applicable": True},
    "wait": {"value": 2},
}


def _submitted(world: World) -> tuple[str, str]:
    """Iryna's visit submitted without a check-in; Olena reviews the boutique."""
    visits = audit_visits(world)
    uow, clock = world.container.uow, world.container.clock
    with uow() as unit:
        iryna = unit.staff.get_by_login("iryna")
    assert iryna is not None
    save_draft(uow(), clock, iryna.as_actor(), visits.mine, ANSWERS)
    submit_visit(uow(), clock, iryna.as_actor(), visits.mine)
    world.staff("olena", "Olena Koval", Role.MANAGER, language="uk", at=[visits.boutique])
    return visits.mine, visits.guest_name


def test_a_reviewer_sees_the_flags_and_returns_a_visit_with_a_comment_then_validates_it(
    console_client: TestClient, world: World
) -> None:
    visit_id, guest = _submitted(world)
    uow, clock = world.container.uow, world.container.clock
    csrf = log_in(console_client, "olena")

    queue = console_client.get("/console/audits/review")
    assert queue.status_code == 200
    assert 'href="/console/audits/review"' in queue.text  # in her menu
    assert f'href="/audits/{visit_id}"' in queue.text
    assert "Atelier Lypky" in queue.text
    assert "Iryna" in queue.text
    assert "Немає відмітки про прихід" in queue.text  # the machine's flag, in her language
    assert guest not in queue.text

    page = console_client.get(f"/audits/{visit_id}")
    assert "Автоматичні перевірки" in page.text
    assert "Немає відмітки про прихід" in page.text
    assert "Підтвердити" in page.text

    blank = console_client.post(
        f"/audits/{visit_id}/review", data={"csrf_token": csrf, "action": "return", "comment": " "}
    )
    assert blank.status_code == 422
    assert show_visit(uow(), SYSTEM, visit_id).visit.state is VisitState.SUBMITTED

    returned = console_client.post(
        f"/audits/{visit_id}/review",
        data={"csrf_token": csrf, "action": "return", "comment": "Відмітьтеся на місці"},
        follow_redirects=False,
    )
    assert returned.status_code == 303
    assert returned.headers["location"] == "/console/audits/review?done=returned"
    done = console_client.get(returned.headers["location"])
    assert "Візит повернуто аудиторові з вашим коментарем." in done.text
    assert "Немає візитів, що чекають на перевірку." in done.text
    assert show_visit(uow(), SYSTEM, visit_id).visit.review_comment == "Відмітьтеся на місці"
    again = console_client.post(
        f"/audits/{visit_id}/review", data={"csrf_token": csrf, "action": "validate"}
    )
    assert again.status_code == 409  # reviewed already: back with the evaluator

    with uow() as unit:
        iryna = unit.staff.get_by_login("iryna")
    assert iryna is not None
    submit_visit(uow(), clock, iryna.as_actor(), visit_id)
    validated = console_client.post(
        f"/audits/{visit_id}/review",
        data={"csrf_token": csrf, "action": "validate"},
        follow_redirects=False,
    )
    assert validated.status_code == 303
    assert show_visit(uow(), SYSTEM, visit_id).visit.state is VisitState.VALIDATED


def test_an_evaluator_neither_sees_the_queue_nor_reviews_nor_reads_flags(
    console_client: TestClient, world: World
) -> None:
    visit_id, _ = _submitted(world)
    csrf = log_in(console_client, "iryna")
    assert console_client.get("/console/audits/review").status_code == 403
    page = console_client.get(f"/audits/{visit_id}")
    assert "Автоматичні перевірки" not in page.text
    assert "Немає відмітки про прихід" not in page.text
    verdict = console_client.post(
        f"/audits/{visit_id}/review", data={"csrf_token": csrf, "action": "validate"}
    )
    assert verdict.status_code == 403
    world.staff("taras", "Taras", Role.MANAGER, language="uk", at=[world.location("Elsewhere")])
    csrf = log_in(console_client, "taras")
    assert f"/audits/{visit_id}" not in console_client.get("/console/audits/review").text
    other = console_client.post(
        f"/audits/{visit_id}/review", data={"csrf_token": csrf, "action": "validate"}
    )
    assert other.status_code == 404
