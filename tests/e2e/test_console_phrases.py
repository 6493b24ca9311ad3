"""Sentences Heedful writes are said in the reader's language, also those written before (ADR 0047).

A Kyiv boutique: a reminder the timers make while the clock runs reads in Ukrainian for Iryna and
in Russian for Maria; a task stored before phrases existed still shows its words; the API gives
the key, the values and the sentence in the caller's Accept-Language.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import TYPE_CHECKING

from console_world import World, log_in
from fastapi.testclient import TestClient

from heedful.core.access.model import SYSTEM, Role
from heedful.core.customers.consent import Purpose
from heedful.core.engine.timers import fire_due_timers
from heedful.core.outreach.outbox import Message
from heedful.core.promises.handlers import MakePromise, make_promise
from heedful.core.promises.model import Evidence, EvidenceKind, PromiseKind
from heedful.core.shared.clock import FrozenClock
from heedful.core.shared.errors import Conflict
from heedful.core.shared.ids import new_id
from heedful.core.shared.phrases import Phrase
from heedful.core.staff.model import Location, LocationKind
from heedful.core.tasks.model import Task, TaskKind
from heedful.entrypoints.console.i18n import build_uis

if TYPE_CHECKING:
    from api_personas import ApiWorld

pytest_plugins = ["api_personas"]


def _boutique(world: World) -> Location:
    return world.location(
        "Podil boutique",
        city="Kyiv",
        country="UA",
        time_zone="Europe/Kyiv",
        kind=LocationKind.BOUTIQUE,
    )


def _call_back_due_in_two_hours(world: World, clock: FrozenClock, shop: Location) -> None:
    """A promise to call back with no words of its own: the system's default says it."""
    anna = world.customer("Анна Петренко", at=shop)
    make_promise(
        MakePromise(
            customer_id=anna.id,
            kind=PromiseKind.CALL_BACK,
            location_id=shop.id,
            due_at=clock.now() + timedelta(hours=2),
        ),
        world.container.uow(),
        clock,
        SYSTEM,
    )


def test_a_reminder_made_while_the_clock_runs_reads_in_ukrainian_and_in_russian(
    console_client: TestClient, world: World, clock: FrozenClock
) -> None:
    shop = _boutique(world)
    world.staff("iryna", "Ірина Коваль", Role.AGENT, language="uk", at=[shop])
    world.staff("maria", "Мария Иванова", Role.AGENT, language="ru", at=[shop])
    _call_back_due_in_two_hours(world, clock, shop)
    clock.advance(timedelta(hours=1, minutes=50))  # the reminder fires 15 minutes ahead
    assert fire_due_timers(world.container.uow, clock).reminded == 1

    log_in(console_client, "iryna")
    in_ukrainian = console_client.get("/console/tasks").text
    console_client.cookies.clear()
    log_in(console_client, "maria")
    in_russian = console_client.get("/console/tasks").text

    assert "Незабаром термін: Передзвонити клієнту" in in_ukrainian
    assert "Скоро срок: Перезвонить клиенту" in in_russian
    for page in (in_ukrainian, in_russian):
        assert "Due soon" not in page
        assert "Call the customer back" not in page


def test_marking_the_reminder_done_says_it_in_her_language(
    console_client: TestClient, world: World, clock: FrozenClock
) -> None:
    shop = _boutique(world)
    world.staff("iryna", "Ірина Коваль", Role.AGENT, language="uk", at=[shop])
    _call_back_due_in_two_hours(world, clock, shop)
    clock.advance(timedelta(hours=1, minutes=50))
    fire_due_timers(world.container.uow, clock)
    csrf = log_in(console_client, "iryna")
    task_id = re.search(r'id="task-(tsk_[^"]+)"', console_client.get("/console/tasks").text)
    assert task_id

    done = console_client.post(
        f"/console/tasks/{task_id.group(1)}/done",
        data={"csrf_token": csrf},
        headers={"HX-Request": "true"},
    )

    assert done.status_code == 200
    assert "Незабаром термін: Передзвонити клієнту" in done.text
    assert "Due soon" not in done.text


def test_why_a_message_waits_reads_in_russian_on_the_card(
    console_client: TestClient, world: World, clock: FrozenClock
) -> None:
    shop = _boutique(world)
    world.staff("maria", "Мария Иванова", Role.AGENT, language="ru", at=[shop])
    anna = world.customer("Анна Петренко", at=shop)
    message = Message(
        id=new_id("msg_"),
        customer_id=anna.id,
        template_key="back_in_stock",
        purpose=Purpose.SERVICE,
        created_at=clock.now(),
        ready_at=clock.now(),
        location_id=shop.id,
        subject="Ваша сумка снова в наличии",
    )
    message.hold_until(clock.now() + timedelta(hours=9), Phrase("reason.quiet_hours"))
    with world.container.uow() as uow:
        uow.outbox.add(message)
        uow.commit()
    log_in(console_client, "maria")

    card = console_client.get(f"/customers/{anna.id}").text

    assert "тихие часы в часовом поясе клиента" in card
    assert "quiet hours" not in card


def test_a_task_stored_before_phrases_still_shows_its_words(
    console_client: TestClient, world: World, clock: FrozenClock
) -> None:
    shop = _boutique(world)
    iryna = world.staff("iryna", "Ірина Коваль", Role.AGENT, language="uk", at=[shop])
    old = Task(
        id=new_id("tsk_"),
        kind=TaskKind.PROMISE_REMINDER,
        title="Due soon: call Anna about the dress",  # an English row, no key: as it was kept
        location_id=shop.id,
        created_at=clock.now(),
        created_by_label=SYSTEM.label,
        assignee_id=iryna.id,
        note="made by Iryna",
    )
    with world.container.uow() as uow:
        uow.tasks.add(old)
        uow.commit()

    log_in(console_client, "iryna")
    page = console_client.get("/console/tasks")

    assert page.status_code == 200
    assert "Due soon: call Anna about the dress" in page.text
    assert "made by Iryna" in page.text


def test_the_api_gives_the_key_the_values_and_the_words_in_the_callers_language(
    api_world: ApiWorld,
) -> None:
    agent = api_world.api(api_world.agent_a)
    anna = agent.as_(api_world.admin).create_customer(
        "Anna", home_location_id=api_world.location_a.id
    )
    due = (api_world.clock.now() + timedelta(hours=1)).isoformat()
    made = agent.post(
        f"/customers/{anna['id']}/promises",
        json={"kind": "call_back", "location_id": api_world.location_a.id, "due_at": due},
    )
    assert made.status_code == 201, made.text
    api_world.clock.advance(timedelta(minutes=50))
    assert fire_due_timers(api_world.container.uow, api_world.clock).reminded == 1

    [in_ukrainian] = agent.get("/tasks", headers={"Accept-Language": "uk-UA,uk;q=0.9"}).json()
    [in_english] = agent.get("/tasks").json()

    assert in_ukrainian["title"] == "Due soon: Call the customer back"  # as kept, for old clients
    assert in_ukrainian["title_phrase"] == {
        "key": "task.due_soon",
        "params": {"promise": {"": "promise.call_back"}},
        "text": "Незабаром термін: Передзвонити клієнту",
    }
    assert in_english["title_phrase"]["text"] == "Due soon: Call the customer back"
    assert made.json()["text_phrase"]["key"] == "promise.call_back"


def test_a_timeline_entry_the_system_worded_reads_in_ukrainian_and_an_old_one_as_kept(
    console_client: TestClient, world: World, clock: FrozenClock
) -> None:
    shop = _boutique(world)
    world.staff("iryna", "Ірина Коваль", Role.AGENT, language="uk", at=[shop])
    anna = world.customer("Анна Петренко", at=shop)
    made = make_promise(
        MakePromise(
            customer_id=anna.id,
            kind=PromiseKind.CALL_BACK,
            location_id=shop.id,
            due_at=clock.now() + timedelta(hours=2),
        ),
        world.container.uow(),
        clock,
        SYSTEM,
    )
    with world.container.uow() as uow:
        promise = uow.promises.get(made.id, for_change=True)
        assert promise is not None
        linked = Phrase("evidence.linked_to", {"code": "BAG-1"})
        promise.note(Evidence.said(clock.now(), EvidenceKind.STAFF_ACTION, linked, "Ірина"))
        promise.note(Evidence(clock.now(), EvidenceKind.STAFF_ACTION, "linked to BAG-2", "Ірина"))
        uow.promises.update(promise)
        uow.commit()
    log_in(console_client, "iryna")

    card = console_client.get(f"/customers/{anna.id}").text

    assert "пов’язано з BAG-1" in card
    assert "linked to BAG-2" in card  # written before phrases: shown as it was kept


def test_a_refusal_with_words_for_staff_is_said_in_their_language_and_english_for_programs() -> (
    None
):
    refused = Conflict(
        "this task is already done", field="task_id", said=Phrase("refusal.task_done")
    )

    assert refused.message == "this task is already done"
    assert build_uis()["uk"].error(refused) == "Це завдання вже виконано."
    assert build_uis()["ru"].error(refused) == "Эта задача уже выполнена."
    assert build_uis()["en"].error(refused) == "This task is already done."
