"""The promise ledger at the console: the card's promises, the board, tasks and dead letters.

Making, keeping, cancelling and withdrawing a promise swap the card's Promises section in place,
as the preference form does; the board, the task list and the dead letters are pages of their own.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from fastapi import APIRouter
from fastapi.responses import Response

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
from heedful.core.shared.errors import Conflict, InvalidInput
from heedful.core.staff.model import Location
from heedful.core.staff.queries import all_locations
from heedful.core.tasks.handlers import complete_task
from heedful.entrypoints.console.card_view import card_section
from heedful.entrypoints.console.context import Console, ConsoleRoute, Staff, blank_form
from heedful.entrypoints.console.forms import Text, choice
from heedful.entrypoints.console.labels import N_

router = APIRouter(route_class=ConsoleRoute, include_in_schema=False)

# The core names the item's fields as the API does; the card's form has them flat.
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
        raise InvalidInput("give the deadline as a date and time", field="due_at") from exc
    if local.tzinfo is not None:
        return local
    location = all_locations(console.container.uow()).get(location_id)
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
    view = promise_board(console.container.uow(), console.container.clock, console.actor)
    return console.render(
        "promises/board.html",
        board=view,
        locations=all_locations(console.container.uow()),
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


def _tasks_page(console: Console, notice: str = "") -> Response:
    lines = open_tasks(console.container.uow(), console.actor)
    locations = all_locations(console.container.uow())
    template = "promises/_tasks.html" if console.is_htmx else "promises/tasks.html"
    return console.render(
        template,
        lines=lines,
        groups=task_groups(lines, locations, console.container.clock.now()),
        locations=locations,
        notice=notice,
    )


@router.get("/console/tasks")
def tasks(console: Staff) -> Response:
    return _tasks_page(console)


@router.post("/console/tasks/{task_id}/done")
def task_done(console: Staff, task_id: str) -> Response:
    task = complete_task(task_id, console.container.uow(), console.container.clock, console.actor)
    notice = console.ui.gettext(N_("Done: %(title)s")) % {"title": task.title}
    if console.is_htmx:
        return _tasks_page(console, notice)
    return console.redirect("/console/tasks")


def _dead_page(console: Console, notice: str = "") -> Response:
    letters = dead_letters(console.container.uow(), console.actor)
    locations = all_locations(console.container.uow())
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
