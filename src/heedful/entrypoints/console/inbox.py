"""The inbox at the console: open threads by what breaches first, and the thread page.

The list's filters live in the query string (a filtered inbox can be bookmarked); its pages are
keyset pages, so "next" follows the cursor the core gave. On the thread page a reply, a note, an
assignment or a status change swaps the thread's body in place (HTMX), else the page reloads.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter
from fastapi.responses import Response

from heedful.core.access.model import Permission
from heedful.core.conversations.canned_reply_handlers import list_canned_replies
from heedful.core.conversations.handlers import (
    accept_sender,
    add_note,
    assign,
    list_customer_threads,
    reply,
    set_priority,
    set_status,
)
from heedful.core.conversations.inbox_queries import (
    clock_is_late,
    clock_is_warned,
    inbox_counts,
    inbox_page,
    my_teams,
    near_breach_count,
    thread_page,
)
from heedful.core.conversations.model import Channel, Direction, Priority, Team, ThreadStatus
from heedful.core.conversations.ports import InboxFilter
from heedful.core.promises.queries import own_words
from heedful.core.shared.errors import Conflict, Forbidden, InvalidInput
from heedful.core.staff.queries import all_locations, locations_of
from heedful.entrypoints.console.card_view import POLARITIES, load_card
from heedful.entrypoints.console.context import Console, ConsoleRoute, FormState, Staff, blank_form
from heedful.entrypoints.console.forms import Text, choice
from heedful.entrypoints.console.inbox_labels import say

router = APIRouter(route_class=ConsoleRoute, include_in_schema=False)
# Views of the inbox: open threads by who holds them, then those waiting on the customer and the
# resolved ones (the statuses an agent otherwise loses sight of), each shown with its count.
SCOPES = ("all", "mine", "team", "unassigned", "waiting", "resolved")
_STATUSES = {
    "waiting": frozenset({ThreadStatus.WAITING_ON_CUSTOMER}),
    "resolved": frozenset({ThreadStatus.RESOLVED}),
}
BADGE_MAX = 99
QUERY_LIMIT = 200  # a search longer than a subject line is not a search


def render(console: Console, template: str, status: int = 200, **context: Any) -> Response:
    """``console.render`` with the room's own words (``say``) at hand."""
    return console.render(
        template, status=status, say=lambda value, kept="": say(console.ui, value, kept), **context
    )


def _may_answer(console: Console) -> None:
    if not console.may(Permission.ANSWER_CONVERSATIONS):
        raise Forbidden(f"the {console.actor.role.value} role may not answer conversations")


def _filter(
    console: Console, scope: str, channel: str, location_id: str, team: Team | None, q: str = ""
) -> InboxFilter:
    where: dict[str, Any] = {"text": q or None}
    if scope == "mine":
        where["assignee_id"] = console.actor.id
    elif scope == "unassigned":
        where["unassigned"] = True
    elif scope == "team":
        # Nobody's team: a team id that matches no thread, rather than every thread.
        where["team_id"] = team.id if team is not None else "-"
    elif scope in _STATUSES:
        where["statuses"] = _STATUSES[scope]
    if channel:
        where["channel"] = choice(Channel, channel, "channel")
    if location_id:
        where["location_id"] = location_id
    return InboxFilter(**where)


@router.get("/console/inbox")
def inbox(
    console: Staff,
    scope: str = "all",
    channel: str = "",
    location_id: str = "",
    team_id: str = "",
    cursor: str = "",
    q: str = "",
) -> Response:
    _may_answer(console)
    scope = scope if scope in SCOPES else "all"
    q = " ".join(q.split())[:QUERY_LIMIT]
    teams = my_teams(console.container.uow(read_only=True), console.actor)
    # One of her teams, the first by default; a team she is not in is not hers to filter on.
    team = next((t for t in teams if t.id == team_id), teams[0] if teams else None)
    where = _filter(console, scope, channel, location_id, team, q)
    page = inbox_page(console.container.uow(read_only=True), console.actor, where, cursor or None)
    counts = inbox_counts(
        console.container.uow(read_only=True),
        console.actor,
        {name: _filter(console, name, channel, location_id, team, q) for name in SCOPES},
    )
    filters = {
        "q": q,
        "scope": scope,
        "channel": channel,
        "location_id": location_id,
        "team_id": team.id if team is not None and scope == "team" else "",
    }
    kept = {name: value for name, value in filters.items() if value and value != "all"}
    next_url = ""
    if page.next_cursor:
        next_url = "/console/inbox?" + urlencode({**kept, "cursor": page.next_cursor})
    template = "inbox/_threads.html" if console.is_htmx else "inbox/list.html"
    return render(
        console,
        template,
        page=page,
        form=blank_form(**filters),
        scopes=SCOPES,
        counts=counts,
        oob_counts=console.is_htmx,
        channels=list(Channel),
        locations=locations_of(console.actor, console.container.uow(read_only=True)),
        all_locations=all_locations(console.container.uow(read_only=True)),
        next_url=next_url,
        first_url="/console/inbox?" + urlencode(kept) if cursor else "",
        teams=teams,
        # The list refreshes itself: a new e-mail or a coming breach shows without a click.
        refresh_url=str(console.request.url.replace(scheme="", netloc="")),
    )


@router.get("/console/inbox/badge")
def badge(console: Staff) -> Response:
    """The nav's count of threads about to breach, loaded after the page."""
    count = 0
    if console.may(Permission.ANSWER_CONVERSATIONS):
        count = near_breach_count(console.container.uow(read_only=True), console.actor)
    return render(console, "inbox/_badge.html", count=count, more=count > BADGE_MAX, most=BADGE_MAX)


def _thread_context(console: Console, thread_id: str, **forms: FormState) -> dict[str, Any]:
    page = thread_page(thread_id, console.container.uow(read_only=True), console.actor)
    thread = page.thread
    canned = list_canned_replies(
        console.container.uow(read_only=True), console.actor, location_id=thread.location_id
    )
    blank = {
        "reply": blank_form(body="", canned=""),
        "note": blank_form(body=""),
        "assign": blank_form(assignee_id=thread.assignee_id or "", team_id=thread.team_id or ""),
        "state": blank_form(status=thread.status.value),
        "priority": blank_form(priority=thread.priority.value),
    }
    return {
        "page": page,
        "thread": thread,
        "card": load_card(console, thread.customer_id),
        "canned": canned,
        "forms": {**blank, **forms},
        "location": all_locations(console.container.uow(read_only=True)).get(thread.location_id),
        "Direction": Direction,
        "ThreadStatus": ThreadStatus,
        "Priority": Priority,
        "Channel": Channel,
        "clock_is_warned": clock_is_warned,
        "clock_is_late": clock_is_late,
        "card_polarities": POLARITIES,
        "own_words": own_words,
    }


def _thread(console: Console, thread_id: str, status: int = 200, **forms: FormState) -> Response:
    context = _thread_context(console, thread_id, **forms)
    template = "inbox/_after_change.html" if console.is_htmx else "inbox/thread.html"
    return render(console, template, status=status, **context)


@router.get("/console/inbox/{thread_id}")
def thread(console: Staff, thread_id: str, canned: str = "") -> Response:
    """The thread; ``canned`` fills the reply box with that canned reply in her language."""
    _may_answer(console)
    context = _thread_context(console, thread_id)
    chosen = next((r for r in context["canned"] if r.id == canned), None)
    if chosen is not None:
        _, text = chosen.text_for(context["thread"].language)
        context["forms"]["reply"] = blank_form(body=text, canned=canned)
    if console.is_htmx and canned:
        return render(console, "inbox/_reply_form.html", **context)
    return render(console, "inbox/thread.html", **context)


@router.get("/console/inbox/{thread_id}/timeline")
def timeline(console: Staff, thread_id: str) -> Response:
    """The timeline alone: a chat thread's page polls it to show the customer's new messages."""
    _may_answer(console)
    page = thread_page(thread_id, console.container.uow(read_only=True), console.actor)
    location = all_locations(console.container.uow(read_only=True)).get(page.thread.location_id)
    return render(console, "inbox/_timeline.html", page=page, thread=page.thread, location=location)


def _after_change(console: Console, thread_id: str) -> Response:
    if console.is_htmx:
        return _thread(console, thread_id)
    return console.redirect(f"/console/inbox/{thread_id}")


@router.post("/console/inbox/{thread_id}/reply")
def send_reply(console: Staff, thread_id: str, body: Text = "", canned: Text = "") -> Response:
    domain = console.container.settings.mail_domain
    try:
        reply(
            thread_id,
            body,
            console.container.uow(),
            console.container.clock,
            console.actor,
            message_id_domain=domain,
        )
    except (InvalidInput, Conflict) as exc:
        failed = console.failed(exc, blank_form(body=body, canned=canned))
        return _thread(console, thread_id, status=422, reply=failed)
    return _after_change(console, thread_id)


@router.post("/console/inbox/{thread_id}/note")
def write_note(console: Staff, thread_id: str, body: Text = "") -> Response:
    try:
        add_note(thread_id, body, console.container.uow(), console.container.clock, console.actor)
    except InvalidInput as exc:
        failed = console.failed(exc, blank_form(body=body))
        return _thread(console, thread_id, status=422, note=failed)
    return _after_change(console, thread_id)


@router.post("/console/inbox/{thread_id}/assign")
def assign_thread(
    console: Staff, thread_id: str, assignee_id: Text = "", team_id: Text = ""
) -> Response:
    try:
        assign(
            thread_id,
            console.container.uow(),
            console.container.clock,
            console.actor,
            assignee_id=assignee_id or None,
            team_id=team_id or None,
        )
    except InvalidInput as exc:
        failed = console.failed(exc, blank_form(assignee_id=assignee_id, team_id=team_id))
        return _thread(console, thread_id, status=422, assign=failed)
    return _after_change(console, thread_id)


@router.post("/console/inbox/{thread_id}/status")
def change_status(console: Staff, thread_id: str, status: Text = "") -> Response:
    try:
        chosen = choice(ThreadStatus, status, "status")
        set_status(
            thread_id, chosen, console.container.uow(), console.container.clock, console.actor
        )
    except (InvalidInput, Conflict) as exc:
        failed = console.failed(exc, blank_form(status=status))
        return _thread(console, thread_id, status=422, state=failed)
    return _after_change(console, thread_id)


@router.post("/console/inbox/{thread_id}/priority")
def change_priority(console: Staff, thread_id: str, priority: Text = "") -> Response:
    """Another priority may bring another SLA policy: it counts from now, time spent kept."""
    try:
        chosen = choice(Priority, priority, "priority")
        set_priority(
            thread_id, chosen, console.container.uow(), console.container.clock, console.actor
        )
    except InvalidInput as exc:
        failed = console.failed(exc, blank_form(priority=priority))
        return _thread(console, thread_id, status=422, priority=failed)
    return _after_change(console, thread_id)


@router.post("/console/inbox/{thread_id}/accept-sender")
def accept_thread_sender(console: Staff, thread_id: str) -> Response:
    """Vouching for the sender (audited): the reply still owed becomes a counted promise."""
    accept_sender(thread_id, console.container.uow(), console.container.clock, console.actor)
    return _after_change(console, thread_id)


@router.get("/console/customers/{customer_id}/conversations")
def customer_threads(console: Staff, customer_id: str) -> Response:
    """The card's Conversations section, loaded after the card (the card never waits for it)."""
    threads = list_customer_threads(
        customer_id, console.container.uow(read_only=True), console.actor
    )
    return render(
        console,
        "inbox/_card_threads.html",
        threads=threads,
        all_locations=all_locations(console.container.uow(read_only=True)),
        may_answer=console.may(Permission.ANSWER_CONVERSATIONS),
    )
