"""The console's menu: its entries grouped by the job they serve, and each role's home page.

One table, read by the page frame (base.html) and by the browser test that walks every page
(ADR 0033). An entry is shown only to those whose role grants its permission, so the menu never
offers a page that would answer 403. The groups follow a working day rather than the code's
rooms: the front desk, the inbox, promises and tasks, measurement, and administration. Audits
(the evaluator's) join when their pages exist.
"""

from __future__ import annotations

from dataclasses import dataclass

from heedful.core.access.model import Actor, Permission, Role
from heedful.core.conversations.canned_reply_handlers import MANAGE as MANAGE_CANNED_REPLIES
from heedful.entrypoints.console.labels import N_

TODAY = "/console/today"
INBOX = "/console/inbox"
DASHBOARD = "/console/experience"
SETUP = "/admin/setup"
CUSTOMERS = "/customers"


@dataclass(frozen=True)
class Entry:
    label: str
    path: str
    permission: Permission
    element_id: str = ""  # the inbox link carries its badge


@dataclass(frozen=True)
class Group:
    label: str
    entries: tuple[Entry, ...]


@dataclass(frozen=True)
class ShownEntry:
    label: str
    path: str
    element_id: str
    active: bool


@dataclass(frozen=True)
class ShownGroup:
    label: str
    entries: tuple[ShownEntry, ...]


P = Permission
MENU: tuple[Group, ...] = (
    Group(
        N_("Front desk"),
        (
            Entry(N_("Today"), TODAY, P.VIEW_CUSTOMERS),
            Entry(N_("Customers"), CUSTOMERS, P.VIEW_CUSTOMERS),
            Entry(N_("Arrivals and orders"), "/console/bookings", P.VIEW_CUSTOMERS),
            Entry(N_("Tonight's book"), "/console/tonight", P.VIEW_CUSTOMERS),
            Entry(N_("Catalog"), "/console/items", P.VIEW_CUSTOMERS),
        ),
    ),
    Group(
        N_("Inbox"),
        (
            Entry(N_("Inbox"), INBOX, P.ANSWER_CONVERSATIONS, element_id="nav-inbox"),
            Entry(N_("Canned replies"), "/console/canned-replies", MANAGE_CANNED_REPLIES),
        ),
    ),
    Group(
        N_("Promises and tasks"),
        (
            Entry(N_("Promises"), "/console/promises", P.VIEW_CUSTOMERS),
            Entry(N_("Tasks"), "/console/tasks", P.VIEW_CUSTOMERS),
            Entry(N_("Goodwill approvals"), "/console/goodwill/approvals", P.APPROVE_GOODWILL),
            Entry(N_("Dead letters"), "/console/outbox", P.MANAGE_OUTBOX),
        ),
    ),
    Group(
        N_("Measurement"),
        (
            Entry(N_("Customer experience"), DASHBOARD, P.VIEW_REPORTS),
            Entry(N_("Promise report"), "/console/promises/report", P.VIEW_REPORTS),
            Entry(N_("Responsiveness"), "/console/responsiveness", P.VIEW_REPORTS),
            Entry(N_("Goodwill report"), "/console/goodwill/report", P.VIEW_REPORTS),
            Entry(N_("Failure map"), "/console/reports/failure-map", P.VIEW_REPORTS),
            Entry(N_("Surveys"), "/console/surveys", P.VIEW_CUSTOMERS),
            Entry(N_("Recoveries"), "/console/recoveries", P.VIEW_CUSTOMERS),
            Entry(N_("Churn risk"), "/console/churn", P.VIEW_CUSTOMERS),
            Entry(N_("Service audits"), "/console/audits/results", P.MANAGE_AUDITS),
            Entry(N_("Visits to review"), "/console/audits/review", P.MANAGE_AUDITS),
            Entry(N_("Evaluator panel"), "/console/audits/evaluators", P.MANAGE_AUDITS),
        ),
    ),
    Group(
        N_("Administration"),
        (
            Entry(N_("Setup checklist"), SETUP, P.MANAGE_STAFF),
            Entry(N_("Staff accounts"), "/admin/staff", P.MANAGE_STAFF),
            Entry(N_("Locations"), "/admin/locations", P.MANAGE_STAFF),
            Entry(N_("Teams"), "/admin/teams", P.MANAGE_SLA),
            Entry(N_("SLA policies"), "/admin/sla-policies", P.MANAGE_SLA),
            Entry(N_("Quiet hours"), "/admin/contact-rules", P.MANAGE_STAFF),
            Entry(N_("Message templates"), "/admin/templates", P.MANAGE_PLAYBOOKS),
            Entry(N_("API tokens"), "/admin/tokens", P.MANAGE_TOKENS),
            Entry(N_("Playbooks"), "/console/playbooks", P.MANAGE_PLAYBOOKS),
            Entry(N_("Goodwill allowances"), "/console/goodwill/allowances", P.MANAGE_GOODWILL),
            Entry(N_("Failed records"), "/admin/dead-letters", P.MANAGE_DEAD_LETTERS),
            Entry(N_("Event types"), "/admin/event-types", P.MANAGE_EVENT_TYPES),
            Entry(N_("Security events"), "/admin/security-events", P.MANAGE_STAFF),
        ),
    ),
)


def _owns(entry_path: str, path: str) -> bool:
    return path == entry_path or path.startswith(entry_path + "/")


def menu_for(actor: Actor, path: str) -> list[ShownGroup]:
    """The groups and entries this actor may open; the entry owning ``path`` is marked active.

    The longest owning path wins: the promise report (/console/promises/report) is not the
    promise board (/console/promises), and a customer's card belongs to Customers.
    """
    visible = [
        (group, [entry for entry in group.entries if actor.may(entry.permission)]) for group in MENU
    ]
    owners = [entry.path for _, entries in visible for entry in entries if _owns(entry.path, path)]
    active = max(owners, key=len, default="")
    return [
        ShownGroup(
            group.label,
            tuple(
                ShownEntry(entry.label, entry.path, entry.element_id, entry.path == active)
                for entry in entries
            ),
        )
        for group, entries in visible
        if entries
    ]


def home_of(actor: Actor, *, in_a_team: bool) -> str | None:
    """Where a staff member lands after logging in; None: no page of theirs exists yet.

    Agents who answer conversations in a team land on the inbox, the other agents (the front
    desk, the shop floor) on today's page; managers on their dashboard, admins on the setup
    checklist. Evaluators have no pages yet (their audits are to come).
    """
    if actor.role is Role.ADMIN:
        return SETUP
    if actor.role is Role.MANAGER:
        return DASHBOARD
    if actor.role is Role.AGENT:
        return INBOX if in_a_team else TODAY
    return None
