"""The promise ledger, staff tasks and the outbox through the HTTP API, on SQLite and PostgreSQL.

Anna is known at location A (Podil boutique, Kyiv). The API's tokens are not staff records, so a
promise made through the API has no owner and its reminder goes to the location's agents.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any

import pytest
from api_personas import world_for_a_module

from heedful.core.access.model import Role
from heedful.core.customers.consent import Purpose
from heedful.core.engine.timers import fire_due_timers
from heedful.core.outreach.outbox import Message, MessageStatus
from heedful.core.shared.ids import new_id
from heedful.core.tasks.model import Task, TaskKind

if TYPE_CHECKING:
    from api_personas import Api, ApiWorld, Persona

pytest_plugins = ["api_personas"]

START = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)
PROBLEM = "application/problem+json"
KYIV_IN_MARCH = timezone(timedelta(hours=2))


def _at(world: ApiWorld, **delta: float) -> str:
    """A deadline from now, written as a Kyiv till would write it (+02:00 in March)."""
    return (world.clock.now() + timedelta(**delta)).astimezone(KYIV_IN_MARCH).isoformat()


def _anna(world: ApiWorld) -> str:
    return str(
        world.api(world.admin).create_customer("Anna", home_location_id=world.location_a.id)["id"]
    )


def _make(api: Api, customer_id: str, **body: Any) -> dict[str, Any]:
    response = api.post(f"/customers/{customer_id}/promises", json=body)
    assert response.status_code == 201, response.text
    made: dict[str, Any] = response.json()
    return made


def _call_back(world: ApiWorld, customer_id: str, hours: float = 3, **extra: Any) -> dict[str, Any]:
    return _make(
        world.api(world.agent_a),
        customer_id,
        kind="call_back",
        location_id=world.location_a.id,
        text="Call Anna back about the alteration",
        due_at=_at(world, hours=hours),
        **extra,
    )


def _problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    body: dict[str, Any] = response.json()
    return body


def test_each_kind_of_promise_is_made_and_read_back(api_world: ApiWorld) -> None:
    anna, loc = _anna(api_world), api_world.location_a.id
    agent = api_world.api(api_world.agent_a)
    due = _at(api_world, days=2)
    bodies: list[dict[str, Any]] = [
        {"kind": "tell_when_available", "item": {"product": "bag-noir", "variant": "black"}},
        {"kind": "call_back", "due_at": due, "text": "Call about the alteration"},
        {"kind": "reply_by", "due_at": due},
        {"kind": "refund_by", "due_at": due, "reference": "RF-1042"},
        {"kind": "deliver_by", "due_at": due, "reference": "ORD-77"},
        {"kind": "other", "text": "  Keep the  blue scarf aside "},
    ]
    made = [_make(agent, anna, location_id=loc, **body) for body in bodies]

    wait, call, reply, refund, deliver, other = made
    assert wait["item"] == {"product": "bag-noir", "variant": "black", "size": ""}
    assert wait["text"] == "Tell the customer when bag-noir · black is available"
    assert wait["due_at"] is None
    assert call["text"] == "Call about the alteration"
    assert reply["text"] == "Reply to the customer"
    assert refund["reference"] == "RF-1042"
    assert other["text"] == "Keep the blue scarf aside"
    # Given at +02:00, answered in UTC: the same instant.
    assert datetime.fromisoformat(call["due_at"]) == datetime.fromisoformat(due)
    for promise, body in zip(made, bodies, strict=True):
        assert promise["kind"] == body["kind"]
        assert promise["state"] == "open"
        assert promise["customer_id"] == anna
        assert promise["location_id"] == loc
        assert promise["made_by_label"] == "API token agent@A"
        assert promise["late"] is False
        assert [e["kind"] for e in promise["evidence"]] == ["made"]
        assert agent.get(f"/promises/{promise['id']}").json() == promise

    listed = agent.get(f"/customers/{anna}/promises").json()
    assert [p["id"] for p in listed] == [p["id"] for p in reversed(made)]
    assert deliver["item"] is None


@pytest.mark.parametrize(
    ("body", "field"),
    [
        pytest.param({"kind": "call_back"}, "due_at", id="call-back without a deadline"),
        pytest.param(
            {"kind": "tell_when_available", "item": {"variant": "black"}},
            "item.product",
            id="item without a product",
        ),
        pytest.param(
            {"kind": "tell_when_available", "item": {"product": "  "}},
            "item.product",
            id="blank product",
        ),
        pytest.param({"kind": "tell_when_available"}, "item", id="no item"),
        pytest.param({"kind": "refund_by", "due_at": "2026-03-03T15:00:00"}, "due_at", id="naive"),
        pytest.param(
            {"kind": "reply_by", "due_at": "2026-03-01T15:00:00+02:00"}, "due_at", id="past"
        ),
        pytest.param(
            {"kind": "reply_by", "due_at": "9999-12-31T23:00:00-05:00"}, "due_at", id="out of range"
        ),
        pytest.param({"kind": "promise_everything"}, "kind", id="unknown kind"),
        pytest.param({"kind": "other"}, "text", id="other without words"),
    ],
)
def test_a_rejected_promise_names_the_field_and_stores_nothing(
    api_world: ApiWorld, body: dict[str, Any], field: str
) -> None:
    anna = _anna(api_world)
    agent = api_world.api(api_world.agent_a)

    response = agent.post(
        f"/customers/{anna}/promises", json={"location_id": api_world.location_a.id, **body}
    )

    assert _problem(response, 422)["field"] == field
    assert agent.get(f"/customers/{anna}/promises").json() == []


def test_a_retried_promise_with_the_same_key_is_made_once(api_world: ApiWorld) -> None:
    anna = _anna(api_world)
    agent = api_world.api(api_world.agent_a)
    body = {
        "kind": "call_back",
        "location_id": api_world.location_a.id,
        "due_at": _at(api_world, hours=2),
    }
    key = {"Idempotency-Key": "till-3-call-0001"}

    first = agent.post(f"/customers/{anna}/promises", json=body, headers=key)
    api_world.clock.advance(timedelta(minutes=1))
    again = agent.post(f"/customers/{anna}/promises", json=body, headers=key)

    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true"
    assert [p["id"] for p in agent.get(f"/customers/{anna}/promises").json()] == [
        first.json()["id"]
    ]


def test_a_promise_is_closed_once_kept_cancelled_or_withdrawn(api_world: ApiWorld) -> None:
    anna = _anna(api_world)
    agent = api_world.api(api_world.agent_a)
    on_time, late, called_off, unwanted = (
        _call_back(api_world, anna, hours=h) for h in (3, 1, 3, 3)
    )
    api_world.clock.advance(timedelta(minutes=90))

    kept = agent.post(f"/promises/{on_time['id']}/keep", json={"note": "called, all fine"})
    kept_late = agent.post(f"/promises/{late['id']}/keep")
    blank = agent.post(f"/promises/{called_off['id']}/cancel", json={"reason": "   "})
    cancelled = agent.post(f"/promises/{called_off['id']}/cancel", json={"reason": "tailor ill"})
    withdrawn = agent.post(f"/promises/{unwanted['id']}/withdraw", json={"note": "she came in"})

    assert kept.status_code == 200, kept.text
    assert kept.json()["state"] == "kept"
    assert kept.json()["closed_by_label"] == "API token agent@A"
    assert kept.json()["closed_at"] == api_world.clock.now().isoformat().replace("+00:00", "Z")
    assert [e["note"] for e in kept.json()["evidence"]][-2:] == ["called, all fine"] * 2
    assert kept_late.json()["state"] == "kept_late"
    assert _problem(blank, 422)["field"] == "reason"
    assert cancelled.json()["state"] == "cancelled"
    assert cancelled.json()["evidence"][-1]["note"] == "tailor ill"
    assert withdrawn.json()["state"] == "withdrawn"

    for promise, verb, body in (
        (on_time, "cancel", {"reason": "changed our mind"}),
        (late, "keep", {}),
        (called_off, "withdraw", {}),
        (unwanted, "keep", {}),
    ):
        second = agent.post(f"/promises/{promise['id']}/{verb}", json=body)
        assert "already" in _problem(second, 409)["detail"], verb
    assert agent.get(f"/promises/{on_time['id']}").json()["state"] == "kept"


def test_the_board_shows_open_promises_due_soon_the_overdue_one_first(
    api_world: ApiWorld,
) -> None:
    anna = _anna(api_world)
    agent = api_world.api(api_world.agent_a)
    later = _call_back(api_world, anna, hours=3)
    overdue = _call_back(api_world, anna, hours=1)
    _call_back(api_world, anna, hours=72)  # not due yet
    done = _call_back(api_world, anna, hours=2)
    agent.post(f"/promises/{done['id']}/keep")
    api_world.clock.advance(timedelta(minutes=90))

    board = agent.get("/promises", params={"state": "open", "due_before": _at(api_world, hours=4)})

    assert board.status_code == 200, board.text
    assert [(p["id"], p["late"]) for p in board.json()] == [
        (overdue["id"], True),
        (later["id"], False),
    ]
    assert api_world.api(api_world.agent_b).get("/promises", params={"state": "open"}).json() == []
    naive = agent.get("/promises", params={"due_before": "2026-03-02T12:00:00"})
    assert _problem(naive, 422)["field"] == "due_before"


def test_reminders_and_escalations_reach_the_right_queues_and_are_marked_done(
    api_world: ApiWorld,
) -> None:
    anna = _anna(api_world)
    agent_a, agent_b = api_world.api(api_world.agent_a), api_world.api(api_world.agent_b)
    manager_a = api_world.api(api_world.manager_a)
    promise = _call_back(api_world, anna, hours=1)
    assert agent_a.get("/tasks").json() == []

    api_world.clock.advance(timedelta(minutes=50))  # the reminder is due 15 minutes ahead
    assert fire_due_timers(api_world.container.uow, api_world.clock).reminded == 1

    [reminder] = agent_a.get("/tasks").json()
    assert reminder["kind"] == "promise_reminder"
    assert reminder["promise_id"] == promise["id"]
    assert reminder["customer_id"] == anna
    assert reminder["assignee_role"] == "agent"
    assert "alteration" in reminder["title"]
    assert agent_b.get("/tasks").json() == []
    assert manager_a.get("/tasks").json() == []  # the reminder is the agents' to act on

    marked = agent_a.post(f"/tasks/{reminder['id']}/done")
    assert marked.status_code == 200, marked.text
    assert marked.json()["done_by_label"] == "API token agent@A"
    assert _problem(agent_a.post(f"/tasks/{reminder['id']}/done"), 409)["field"] == "task_id"
    assert agent_a.get("/tasks").json() == []

    api_world.clock.advance(timedelta(minutes=11))
    assert fire_due_timers(api_world.container.uow, api_world.clock).broken == 1
    assert agent_a.get(f"/promises/{promise['id']}").json()["state"] == "broken"
    [escalation] = manager_a.get("/tasks").json()
    assert escalation["kind"] == "promise_escalation"
    assert _problem(agent_a.post(f"/tasks/{escalation['id']}/done"), 403)["field"] == "task_id"
    assert _problem(agent_b.post(f"/tasks/{escalation['id']}/done"), 404)
    assert manager_a.post(f"/tasks/{escalation['id']}/done").status_code == 200
    assert manager_a.get("/tasks").json() == []


def _in_outbox(
    world: ApiWorld, customer_id: str, location_id: str, status: MessageStatus, reason: str = ""
) -> str:
    """A message as the engine writes one, already through the relay's hands."""
    now = world.clock.now()
    message = Message(
        id=new_id("msg_"),
        customer_id=customer_id,
        template_key="back_in_stock",
        purpose=Purpose.SERVICE,
        created_at=now,
        ready_at=now,
        location_id=location_id,
        status=status,
        reason=reason,
    )
    with world.container.uow() as uow:
        uow.outbox.add(message)
        uow.commit()
    return message.id


def _fail_for_good(world: ApiWorld, message_id: str, reason: str) -> None:
    """The relay's verdict on a bounced address, written as the relay writes it."""
    with world.container.uow() as uow:
        message = uow.outbox.get(message_id)
        assert message is not None
        message.failed(world.clock.now(), reason, temporary=False)
        uow.outbox.update(message)
        uow.commit()


def test_a_dead_message_is_listed_for_the_manager_and_sent_again(api_world: ApiWorld) -> None:
    anna = _anna(api_world)
    agent_a = api_world.api(api_world.agent_a)
    manager_a, manager_b = api_world.api(api_world.manager_a), api_world.api(api_world.manager_b)
    wait = _make(
        agent_a,
        anna,
        kind="tell_when_available",
        location_id=api_world.location_a.id,
        item={"product": "bag-noir", "size": "M"},
        due_at=_at(api_world, days=14),
    )
    api_world.clock.advance(timedelta(days=15))
    fire_due_timers(api_world.container.uow, api_world.clock)

    [told] = agent_a.get(f"/customers/{anna}/messages").json()
    assert told["template_key"] == "wait_expired"
    assert told["promise_id"] == wait["id"]
    assert told["status"] == "queued"
    assert told["purpose"] == "service"
    assert _problem(api_world.api(api_world.agent_b).get(f"/customers/{anna}/messages"), 404)
    assert manager_a.get("/messages").json() == []
    assert _problem(manager_a.post(f"/messages/{told['id']}/retry"), 409)["field"] == "status"

    _fail_for_good(api_world, told["id"], "550 mailbox unavailable")

    [dead] = manager_a.get("/messages", params={"status": "dead"}).json()
    assert (dead["id"], dead["reason"]) == (told["id"], "550 mailbox unavailable")
    assert manager_b.get("/messages").json() == []
    assert _problem(agent_a.get("/messages"), 403)
    assert _problem(manager_b.post(f"/messages/{told['id']}/retry"), 404)
    retried = manager_a.post(f"/messages/{told['id']}/retry")
    assert retried.status_code == 200, retried.text
    assert (retried.json()["status"], retried.json()["attempts"]) == ("queued", 0)
    assert manager_a.get("/messages").json() == []
    assert manager_a.get("/messages", params={"status": "queued"}).json() == [retried.json()]


def test_staff_see_the_messages_their_own_locations_sent(api_world: ApiWorld) -> None:
    anna = _anna(api_world)
    admin, agent_a = api_world.api(api_world.admin), api_world.api(api_world.agent_a)
    # A promise made in Lviv makes Anna known there too; what Lviv sends is Lviv's business.
    _make(
        admin,
        anna,
        kind="reply_by",
        location_id=api_world.location_b.id,
        due_at=_at(api_world, hours=4),
    )
    from_kyiv = _in_outbox(api_world, anna, api_world.location_a.id, MessageStatus.SENT)
    api_world.clock.advance(timedelta(minutes=1))
    from_lviv = _in_outbox(api_world, anna, api_world.location_b.id, MessageStatus.SENT)

    assert [m["id"] for m in admin.get(f"/customers/{anna}/messages").json()] == [
        from_lviv,
        from_kyiv,
    ]
    assert [m["id"] for m in agent_a.get(f"/customers/{anna}/messages").json()] == [from_kyiv]
    assert [
        m["id"] for m in api_world.api(api_world.agent_b).get(f"/customers/{anna}/messages").json()
    ] == [from_lviv]


# ---- roles x endpoints ----

PERSONAS = ("admin", "manager_a", "agent_a", "agent_b", "manager_b", "evaluator")

# fmt: off
# Placeholders: {anna} (known at A), {promise} (open, at A), {task} (the agents' task at A),
# {dead} (a dead message to Anna from A), {loc_a}, {loc_b}, {due} (tomorrow).
TABLE: list[tuple[str, str, dict[str, Any] | None, tuple[int, int, int, int, int, int]]] = [
    # method, path, body                              admin mgr@A agt@A agt@B mgr@B evaluator
    ("GET", "/customers/{anna}/promises", None,         (200, 200, 200, 404, 404, 403)),
    ("POST", "/customers/{anna}/promises",
     {"kind": "call_back", "location_id": "{loc_a}", "due_at": "{due}"},
                                                        (201, 201, 201, 404, 404, 403)),
    ("POST", "/customers/{anna}/promises",
     {"kind": "call_back", "location_id": "{loc_b}", "due_at": "{due}"},
                                                        (201, 403, 403, 404, 404, 403)),
    ("GET", "/promises?state=open", None,               (200, 200, 200, 200, 200, 403)),
    ("GET", "/promises/{promise}", None,                (200, 200, 200, 404, 404, 403)),
    ("POST", "/promises/{promise}/keep", {},            (200, 200, 200, 404, 404, 403)),
    ("POST", "/promises/{promise}/cancel", {"reason": "closed today"},
                                                        (200, 200, 200, 404, 404, 403)),
    ("POST", "/promises/{promise}/withdraw", None,      (200, 200, 200, 404, 404, 403)),
    ("GET", "/tasks", None,                             (200, 200, 200, 200, 200, 403)),
    ("POST", "/tasks/{task}/done", None,                (200, 403, 200, 404, 404, 403)),
    ("GET", "/customers/{anna}/messages", None,         (200, 200, 200, 404, 404, 403)),
    ("GET", "/messages?status=dead", None,              (200, 200, 403, 403, 200, 403)),
    ("POST", "/messages/{dead}/retry", None,            (200, 200, 403, 403, 404, 403)),
]
# fmt: on

CASES = [
    pytest.param(persona, method, path, body, status, id=f"{persona} {method} {path}")
    for method, path, body, statuses in TABLE
    for persona, status in zip(PERSONAS, statuses, strict=True)
]


class Targets(dict[str, str]):
    """The records a row names, each made the first time it is asked for."""

    def __init__(self, world: ApiWorld) -> None:
        super().__init__(loc_a=world.location_a.id, loc_b=world.location_b.id)
        self.world = world
        self["due"] = _at(world, days=1)

    def __missing__(self, name: str) -> str:
        made: str = getattr(self, f"_{name}")()
        self[name] = made
        return made

    def _anna(self) -> str:
        return _anna(self.world)

    def _promise(self) -> str:
        return str(_call_back(self.world, self["anna"], hours=24)["id"])

    def _task(self) -> str:
        # Written as the timers write one; firing them here would move the shared clock.
        task = Task(
            id=new_id("tsk_"),
            kind=TaskKind.PROMISE_REMINDER,
            title="Due soon: call Anna back",
            location_id=self["loc_a"],
            created_at=self.world.clock.now(),
            created_by_label="Heedful",
            customer_id=self["anna"],
            assignee_role=Role.AGENT,
        )
        with self.world.container.uow() as uow:
            uow.tasks.add(task)
            uow.commit()
        return task.id

    def _dead(self) -> str:
        return _in_outbox(
            self.world, self["anna"], self["loc_a"], MessageStatus.DEAD, "550 mailbox unavailable"
        )


def _filled(value: Any, targets: Targets) -> Any:
    if isinstance(value, str):
        return value.format_map(targets)
    if isinstance(value, dict):
        return {k: _filled(v, targets) for k, v in value.items()}
    return value


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def roles_world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ApiWorld]:
    """One database per backend for the whole table: every row makes its own records."""
    with world_for_a_module(request, tmp_path_factory) as world:
        yield world


@pytest.mark.parametrize(("persona", "method", "path", "body", "status"), CASES)
def test_each_role_may_do_only_what_its_row_says(
    roles_world: ApiWorld,
    persona: str,
    method: str,
    path: str,
    body: dict[str, Any] | None,
    status: int,
) -> None:
    targets = Targets(roles_world)
    url = _filled(path, targets)
    who: Persona = getattr(roles_world, persona)

    response = roles_world.api(who).request(method, url, json=_filled(body, targets))

    assert response.status_code == status, f"{persona} {method} {url}: {response.text}"
    if status >= 400:
        assert response.headers["content-type"] == PROBLEM
