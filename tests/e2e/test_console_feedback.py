"""The console's surveys, recoveries and churn pages, in-process, on SQLite and PostgreSQL."""

from __future__ import annotations

import re
from datetime import timedelta

from console_world import World, log_in
from fastapi.testclient import TestClient
from test_console_promises import boutique

from heedful.bootstrap import Container
from heedful.core.access.model import SYSTEM, Role
from heedful.core.customers.channels import Channel
from heedful.core.customers.commands import NewIdentity, RecordConsent
from heedful.core.customers.consent import Purpose
from heedful.core.customers.handlers import add_identity, record_consent
from heedful.core.customers.identities import IdentityKind
from heedful.core.feedback.handlers import AnswerForm, Invite, answer_survey, invite
from heedful.core.feedback.surveys import list_surveys
from heedful.core.history.handlers import RecordHistory, record_history
from heedful.core.history.model import HistoryKind
from heedful.core.shared.clock import FrozenClock


def test_a_manager_defines_a_survey_closes_a_recovery_and_sees_who_may_leave(
    console_client: TestClient, world: World, container: Container, clock: FrozenClock
) -> None:
    shop = boutique(world)
    world.staff("taras", "Тарас Бондар", Role.MANAGER, language="uk", at=[shop])
    csrf = log_in(console_client, "taras")

    refused = console_client.post(
        "/console/surveys",
        data={
            "csrf_token": csrf,
            "name": "Після візиту",
            "kind": "nps",
            "touchpoint": "visit",
            "location_id": shop.id,
        },
    )
    assert refused.status_code == 422
    assert "Опитування" in refused.text or "Surveys" in refused.text
    saved = console_client.post(
        "/console/surveys",
        data={
            "csrf_token": csrf,
            "name": "Після візиту",
            "kind": "nps",
            "touchpoint": "visit",
            "location_id": shop.id,
            "question_uk": "Чи порадили б ви нас?",
            "comment_uk": "Чому?",
        },
    )
    assert saved.status_code == 200, saved.text
    assert "Після візиту" in console_client.get("/console/surveys").text
    [survey] = list_surveys(container.uow(), SYSTEM)

    guest = world.customer("Марта Лис", at=shop, language="uk")
    add_identity(
        guest.id,
        NewIdentity(IdentityKind.EMAIL, "marta@example.com"),
        container.uow(),
        clock,
        SYSTEM,
    )
    record_consent(
        RecordConsent(guest.id, Channel.EMAIL, Purpose.SURVEYS, True, "form"),
        container.uow(),
        clock,
        SYSTEM,
    )
    made = invite(Invite(survey.id, guest.id, location_id=shop.id), container.uow(), clock, SYSTEM)
    assert made.invitation is not None
    answer_survey(made.invitation.id, AnswerForm(2, "Довго чекали"), container.uow(), clock)

    board = console_client.get("/console/recoveries")
    assert "Марта Лис" in board.text
    # The board says both ways a recovery opens: an unhappy answer, and the churn list (ADR 53).
    assert "відповідь на опитування незадоволена" in board.text
    assert "зі списку ризику відтоку" in board.text
    # The deadline in the shop's own clock and the staff's words, not a raw UTC stamp.
    assert " UTC</time>" not in board.text
    assert f"({shop.time_zone})" in board.text
    loop_id = board.text.split('id="recovery-')[1].split('"')[0]
    no_cause = console_client.post(
        f"/console/recoveries/{loop_id}/close", data={"csrf_token": csrf, "action_taken": "дзвінок"}
    )
    assert no_cause.status_code == 422
    closed = console_client.post(
        f"/console/recoveries/{loop_id}/close",
        data={"csrf_token": csrf, "root_cause": "waiting_time", "action_taken": "подзвонили"},
    )
    assert closed.status_code == 200
    assert 'id="no-recoveries"' in closed.text

    record_history(
        RecordHistory(guest.id, HistoryKind.VISIT, clock.now(), location_id=shop.id),
        container.uow(),
        clock,
        SYSTEM,
    )
    clock.advance(timedelta(days=120))
    listed = console_client.post("/console/churn", data={"csrf_token": csrf})
    assert listed.status_code == 200
    assert "Марта Лис" in listed.text
    # The score reads on its scale, the list narrows and downloads, and a row opens a call.
    assert "/100 · " in listed.text
    row = listed.text.split('href="/customers/' + guest.id)[1].split("</tr>")[0]
    assert re.search(r"<strong>\d+</strong>/100 · (Високий|Середній|Низький)", row)
    assert "Марта Лис" not in console_client.get("/console/churn?min_score=101").text
    assert "Марта Лис" not in console_client.get("/console/churn?segment=vip").text
    exported = console_client.get("/console/churn?format=csv")
    assert exported.headers["content-type"].startswith("text/csv")
    assert f"Марта Лис,{guest.id}," in exported.text
    opened = console_client.post(
        f"/console/churn/{guest.id}/recover", data={"csrf_token": csrf}, follow_redirects=False
    )
    assert opened.headers["location"] == "/console/recoveries"


def test_a_row_of_the_churn_list_opens_a_recovery_on_the_closed_loop_board(
    console_client: TestClient, world: World, container: Container, clock: FrozenClock
) -> None:
    shop = boutique(world)
    world.staff("elena", "Елена Воронцова", Role.MANAGER, language="ru", at=[shop])
    guest = world.customer("Вера Орлова", at=shop)
    record_history(
        RecordHistory(guest.id, HistoryKind.VISIT, clock.now(), location_id=shop.id),
        container.uow(),
        clock,
        SYSTEM,
    )
    clock.advance(timedelta(days=120))
    csrf = log_in(console_client, "elena")
    listed = console_client.post("/console/churn", data={"csrf_token": csrf}).text
    row = listed.split(f'href="/customers/{guest.id}"')[1].split("</tr>")[0]
    score = re.search(r"<strong>(\d+)</strong>/100", row)
    assert score is not None
    assert "Открыть возврат клиента" in row

    for _ in range(2):  # a second click finds the one already open
        opened = console_client.post(
            f"/console/churn/{guest.id}/recover", data={"csrf_token": csrf}, follow_redirects=False
        )
        assert opened.headers["location"] == "/console/recoveries"
    board = console_client.get("/console/recoveries").text
    assert board.count('id="recovery-') == 1
    item = board.split('id="recovery-')[1].split("</section>")[0]
    assert "Вера Орлова" in item
    assert "Риск ухода" in item  # the reason, beside those of unhappy answers
    assert f"Вернуть клиента: риск ухода {score[1]}/100" in item
    assert "Ответственный: Елена Воронцова" in item
    # Due in a business day, in the shop's own time.
    assert f"({shop.time_zone})" in item

    # On her card, a promise to win her back; closed from the board like any recovery.
    card = console_client.get(f"/customers/{guest.id}").text
    assert f"Вернуть клиента: риск ухода {score[1]}/100" in card
    loop_id = item.split('"')[0]
    closed = console_client.post(
        f"/console/recoveries/{loop_id}/close",
        data={"csrf_token": csrf, "root_cause": "price", "action_taken": "позвонили, скидка"},
    )
    assert 'id="no-recoveries"' in closed.text
