"""The promise ledger at the console: the card's promises, the board, tasks and dead letters.

Making, keeping, cancelling and withdrawing a promise swap the card's Promises section in place,
as the preference form does; the board, the task list and the dead letters are pages of their own.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from fastapi import APIRouter
from fastapi.responses import Response

from heedful.core.access.model import SYSTEM, Actor, Role
from heedful.core.calendar import LocationBusinessHours
from heedful.core.outreach.handlers import retry_message
from heedful.core.promises.handlers import (
    MakePromise,
    cancel_promise,
    keep_promise,
    make_promise,
    withdraw_promise,
)
from heedful.core.promises.model import PromiseKind, WantedItem
from heedful.core.promises.queries import (
    TaskLine,
    dead_letters,
    open_tasks,
    own_words,
    promise_board,
)
from heedful.core.shared.errors import Conflict, Forbidden, InvalidInput
from heedful.core.shared.phrases import Phrase
from heedful.core.staff.model import Location
from heedful.core.staff.queries import all_locations, locations_of
from heedful.core.tasks.handlers import (
    NewTask,
    complete_task,
    create_task,
    list_done_tasks,
    reassign_task,
)
from heedful.core.tasks.model import Task
from heedful.core.unit_of_work import UnitOfWork
from heedful.entrypoints.console.card_view import card_section
from heedful.entrypoints.console.context import (
    Console,
    ConsoleRoute,
    FormState,
    Staff,
    blank_form,
)
from heedful.entrypoints.console.forms import Text, choice
from heedful.entrypoints.console.labels import N_

router = APIRouter(route_class=ConsoleRoute, include_in_schema=False)

# The core names the item's fields as the API does; the card's form has them flat.
DAY_AT_MOST = timedelta(hours=26)
SETTLED_BY = f"{SYSTEM.label} ("  # promises.settle_tasks: "Heedful (kept)"
_RENAME = {
    "item": "product",
    "item.product": "product",
    "item.variant": "variant",
    "item.size": "size",
    "due_in_business_minutes": "due_at",
}


def _deadline(console: Console, value: str, location_id: str) -> datetime | None:
    """A datetime-local value ("2026-03-04T18:00") read on the location's wall clock.

    Staff say "by six tomorrow" meaning six at the shop, whatever zone their browser is in.
    An unknown location falls back to UTC: the core then refuses the location itself.
    """
    if not value.strip():
        return None
    try:
        local = datetime.fromisoformat(value.strip())
    except ValueError as exc:
        raise InvalidInput(
            "give the deadline as a date and time",
            said=Phrase("refusal.deadline_format"),
            field="due_at",
        ) from exc
    if local.tzinfo is not None:
        return local
    location = all_locations(console.container.uow(read_only=True)).get(location_id)
    try:
        zone = ZoneInfo(location.time_zone) if location else UTC
    except ZoneInfoNotFoundError:
        zone = UTC
    return local.replace(tzinfo=zone)


@router.post("/customers/{customer_id}/promises")
def make(
    console: Staff,
    customer_id: str,
    kind: Text = "",
    text: Text = "",
    due_at: Text = "",
    product: Text = "",
    variant: Text = "",
    size: Text = "",
    location_id: Text = "",
) -> Response:
    form = blank_form(
        kind=kind,
        text=text,
        due_at=due_at,
        product=product,
        variant=variant,
        size=size,
        location_id=location_id,
    )
    try:
        chosen = choice(PromiseKind, kind, "kind")
        # The item fields are always on the form; only a "tell when available" promise reads them.
        item = (
            WantedItem(
                product=product.strip(),
                location_id=location_id,
                variant=variant.strip(),
                size=size.strip(),
            )
            if chosen is PromiseKind.TELL_WHEN_AVAILABLE
            else None
        )
        make_promise(
            MakePromise(
                customer_id=customer_id,
                kind=chosen,
                location_id=location_id,
                text=text,
                due_at=_deadline(console, due_at, location_id),
                item=item,
            ),
            console.container.uow(),
            console.container.clock,
            console.actor,
        )
    except (InvalidInput, Conflict) as exc:
        failed = console.failed(exc, form, _RENAME)
        return card_section(console, customer_id, "promises", status=422, promise=failed)
    return card_section(console, customer_id, "promises")


def _closing(
    console: Console, customer_id: str, promise_id: str, note: str, reason: str, act: str
) -> Response:
    uow, clock, actor = console.container.uow(), console.container.clock, console.actor
    try:
        if act == "keep":
            keep_promise(promise_id, note, uow, clock, actor)
        elif act == "cancel":
            cancel_promise(promise_id, reason, uow, clock, actor)
        else:
            withdraw_promise(promise_id, note, uow, clock, actor)
    except (InvalidInput, Conflict) as exc:
        # Closed meanwhile in another tab, or no reason given: said next to that promise.
        form = blank_form(promise_id=promise_id, note=note, reason=reason)
        status = 409 if isinstance(exc, Conflict) else 422
        failed = console.failed(exc, form)
        return card_section(console, customer_id, "promises", status=status, promise_action=failed)
    return card_section(console, customer_id, "promises")


@router.post("/customers/{customer_id}/promises/{promise_id}/keep")
def keep(console: Staff, customer_id: str, promise_id: str, note: Text = "") -> Response:
    return _closing(console, customer_id, promise_id, note, "", "keep")


@router.post("/customers/{customer_id}/promises/{promise_id}/cancel")
def cancel(console: Staff, customer_id: str, promise_id: str, reason: Text = "") -> Response:
    return _closing(console, customer_id, promise_id, "", reason, "cancel")


@router.post("/customers/{customer_id}/promises/{promise_id}/withdraw")
def withdraw(console: Staff, customer_id: str, promise_id: str) -> Response:
    return _closing(console, customer_id, promise_id, "", "", "withdraw")


@router.get("/console/promises")
def board(console: Staff) -> Response:
    view = promise_board(
        console.container.uow(read_only=True), console.container.clock, console.actor
    )
    return console.render(
        "promises/board.html",
        board=view,
        locations=all_locations(console.container.uow(read_only=True)),
        own_words=own_words,
    )


def task_groups(
    lines: Sequence[TaskLine], locations: Mapping[str, Location], now: datetime
) -> list[tuple[str, list[TaskLine]]]:
    """Open tasks as a desk reads them: overdue first, then due today (the location's day),
    later, and those with no deadline. Empty groups are left out."""
    overdue: list[TaskLine] = []
    today: list[TaskLine] = []
    later: list[TaskLine] = []
    undated: list[TaskLine] = []
    for line in lines:
        due = line.task.due_at
        location = locations.get(line.task.location_id)
        zone = ZoneInfo(location.time_zone if location else "UTC")
        if due is None:
            undated.append(line)
        elif due < now:
            overdue.append(line)
        elif due.astimezone(zone).date() == now.astimezone(zone).date():
            today.append(line)
        else:
            later.append(line)
    groups = [
        (N_("Overdue"), overdue),
        (N_("Due today"), today),
        (N_("Later"), later),
        (N_("No deadline"), undated),
    ]
    return [(title, found) for title, found in groups if found]


def done_today(
    uow: UnitOfWork, actor: Actor, locations: Mapping[str, Location], now: datetime
) -> list[Task]:
    """Tasks of the reader's queue done today, each on its location's calendar."""

    def today(task: Task) -> bool:
        location = locations.get(task.location_id)
        zone = ZoneInfo(location.time_zone if location else "UTC")
        done = task.done_at
        return done is not None and done.astimezone(zone).date() == now.astimezone(zone).date()

    # A day is at most 26 hours long on any calendar, however far east or west.
    return [task for task in list_done_tasks(uow, actor, now - DAY_AT_MOST) if today(task)]


def _tasks_page(
    console: Console, notice: str = "", form: FormState | None = None, status: int = 200
) -> Response:
    template = "promises/_tasks.html" if console.is_htmx else "promises/tasks.html"
    return console.render(template, status=status, **task_queue(console, notice, form))


def task_queue(console: Console, notice: str = "", form: FormState | None = None) -> dict[str, Any]:
    """What the task list needs, here and on today's page: the groups, and the forms' choices."""
    container = console.container
    # Tasks about promises that ended another way are closed by the worker (close_stale_tasks).
    lines = open_tasks(container.uow(read_only=True), console.actor)
    locations = all_locations(container.uow(read_only=True))
    now = container.clock.now()
    done = done_today(container.uow(read_only=True), console.actor, locations, now)
    mine = locations_of(console.actor, console.container.uow(read_only=True))
    with console.container.uow(read_only=True) as uow:
        # Teams of the reader's locations (or of every location) may take a task too (ADR 0051).
        teams = sorted(
            (
                t
                for t in uow.teams.list()
                if t.location_id is None or any(t.location_id == loc.id for loc in mine)
            ),
            key=lambda t: t.name.casefold(),
        )
        # Whom a task can be handed to: the active people of the reader's locations.
        people = [
            member
            for member in uow.staff.list()
            if member.active
            and member.role is not Role.EVALUATOR
            and (member.location_ids is None or any(loc.id in member.location_ids for loc in mine))
        ]
    return {
        "lines": lines,
        "groups": task_groups(lines, locations, now),
        "done": done,
        # Closed by settle_tasks when their promise ended, not by a person.
        "settled": {t.id for t in done if t.promise_id and t.done_by_label.startswith(SETTLED_BY)},
        "locations": locations,
        "my_locations": mine,
        "people": sorted(people, key=lambda m: m.full_name.casefold()),
        "teams": teams,
        "task_form": form or blank_form(holder="role:agent", due_in=""),
        "Role": Role,
        "notice": notice,
    }


@router.get("/console/tasks")
def tasks(console: Staff) -> Response:
    return _tasks_page(console)


def _holder(holder: str) -> tuple[str | None, Role | None]:
    who, _, whom = holder.partition(":")
    if who == "staff" and whom:
        return whom, None
    return None, choice(Role, whom, "holder")


@router.post("/console/tasks")
def task_new(
    console: Staff,
    title: Text = "",
    location_id: Text = "",
    holder: Text = "",
    due_in: Text = "",
    note: Text = "",
) -> Response:
    form = blank_form(title=title, location_id=location_id, holder=holder, due_in=due_in, note=note)
    uow = console.container.uow()
    try:
        who, _, whom = holder.partition(":")
        team_id = whom if who == "team" and whom else None
        assignee_id, role = (None, None) if team_id else _holder(holder)
        minutes = int(due_in) if due_in.strip().isdigit() else None
        create_task(
            NewTask(
                title=title,
                location_id=location_id,
                note=note,
                assignee_id=assignee_id,
                assignee_role=role,
                team_id=team_id,
                due_in_business_minutes=minutes,
            ),
            uow,
            console.container.clock,
            console.actor,
            LocationBusinessHours(uow),
        )
    except (InvalidInput, Forbidden) as exc:
        renamed = {
            "assignee_id": "holder",
            "team_id": "holder",
            "due_in_business_minutes": "due_in",
        }
        return _tasks_page(console, form=console.failed(exc, form, renamed), status=422)
    if console.is_htmx:
        return _tasks_page(console, console.ui.gettext(N_("Task added.")))
    return console.redirect("/console/tasks")


@router.post("/console/tasks/{task_id}/assignment")
def task_assignment(console: Staff, task_id: str, holder: Text = "") -> Response:
    c = console.container
    try:
        who, _, whom = holder.partition(":")
        if who == "team" and whom:
            reassign_task(task_id, c.uow(), c.clock, console.actor, team_id=whom)
        elif holder == "owner":
            reassign_task(task_id, c.uow(), c.clock, console.actor, to_owner=True)
        else:
            assignee_id, role = _holder(holder)
            reassign_task(
                task_id,
                c.uow(),
                c.clock,
                console.actor,
                assignee_id=assignee_id,
                assignee_role=role,
            )
    except (InvalidInput, Conflict) as exc:
        return _tasks_page(console, console.ui.error(exc), status=422)
    if console.is_htmx:
        return _tasks_page(console, console.ui.gettext(N_("Handed over.")))
    return console.redirect("/console/tasks")


@router.post("/console/tasks/{task_id}/done")
def task_done(console: Staff, task_id: str, outcome: Text = "") -> Response:
    task = complete_task(
        task_id, console.container.uow(), console.container.clock, console.actor, outcome
    )
    notice = console.ui.gettext(N_("Done: %(title)s")) % {
        "title": console.ui.say(task.title_phrase, task.title)
    }
    if console.is_htmx:
        return _tasks_page(console, notice)
    return console.redirect("/console/tasks")


def _dead_page(console: Console, notice: str = "") -> Response:
    letters = dead_letters(console.container.uow(read_only=True), console.actor)
    locations = all_locations(console.container.uow(read_only=True))
    template = "promises/_dead.html" if console.is_htmx else "promises/dead.html"
    return console.render(template, letters=letters, locations=locations, notice=notice)


@router.get("/console/outbox")
def outbox(console: Staff) -> Response:
    return _dead_page(console)


@router.post("/console/outbox/{message_id}/send-again")
def resend(console: Staff, message_id: str) -> Response:
    message = retry_message(
        message_id, console.container.uow(), console.container.clock, console.actor
    )
    notice = console.ui.gettext(N_("Queued again: %(subject)s")) % {
        "subject": message.subject or message.template_key
    }
    if console.is_htmx:
        return _dead_page(console, notice)
    return console.redirect("/console/outbox")
