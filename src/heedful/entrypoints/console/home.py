"""Each role's first page: "/" sends staff where their day starts (menu.home_of, ADR 0033).

Today's page is the front desk's: the tasks waiting for this person and the search box. The setup
checklist is the admin's: what is not configured yet, each item saying where it is done.
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import APIRouter
from fastapi.responses import RedirectResponse, Response

from heedful.core.access.model import Permission
from heedful.core.audits import my_assignments
from heedful.core.shared.errors import Forbidden
from heedful.core.staff.queries import all_locations
from heedful.entrypoints.console.context import Console, ConsoleRoute, Staff
from heedful.entrypoints.console.labels import N_
from heedful.entrypoints.console.menu import TODAY, home_of
from heedful.entrypoints.console.promises import task_queue

router = APIRouter(route_class=ConsoleRoute, include_in_schema=False)
RECENT_CHANGES = 10  # the setup's latest changes under the checklist; the rest in the audit log


def _in_a_team(console: Console) -> bool:
    staff_id = console.actor.id
    with console.container.uow(read_only=True) as uow:
        return any(staff_id in team.member_ids for team in uow.teams.list())


@router.get("/")
def home(console: Staff) -> Response:
    target = home_of(console.actor, in_a_team=_in_a_team(console))
    if target is None:
        # Evaluators (mystery shoppers): their own assignments only, never a customer (ADR 39).
        return _evaluator_home(console)
    return RedirectResponse(target, status_code=303)


VISIT_STATES = {
    "draft": N_("Draft"),
    "submitted": N_("Submitted"),
    "validated": N_("Validated"),
    "returned": N_("Returned to you"),
}


def _evaluator_home(console: Console) -> Response:
    mine = []
    if console.actor.may(Permission.DO_AUDITS):
        mine = my_assignments(console.container.uow(read_only=True), console.actor)
    return console.render(
        "home/evaluator.html",
        assignments=mine,
        locations=all_locations(console.container.uow(read_only=True)),
        visit_states=VISIT_STATES,
    )


@router.get(TODAY)
def today(console: Staff) -> Response:
    console.actor.require(Permission.VIEW_CUSTOMERS)
    return console.render("home/today.html", q="", results=[], **task_queue(console))


@dataclass(frozen=True)
class SetupItem:
    """One thing a business sets up; ``done`` or not, with where (or how) it is done."""

    title: str
    done: bool
    detail: str = ""  # what is missing, or what is there
    link: str = ""  # the console page where it is done
    command: str = ""  # when no console page exists yet: the CLI or API call that does it


def setup_items(console: Console) -> list[SetupItem]:
    ui = console.ui
    with console.container.uow(read_only=True) as uow:
        locations = uow.locations.list()
        staff = [m for m in uow.staff.list() if m.active and m.id != console.actor.id]
        policies = uow.sla_policies.list(active_only=True)
        teams = uow.teams.list()
        canned = uow.canned_replies.list()
        surveys = uow.feedback.surveys.list()
        playbooks = uow.playbooks.enabled()
        tokens = [t for t in uow.tokens.list() if t.works_at(console.now())]
        own_templates = uow.message_templates.every()
        contact_rules = uow.contact_rules.business()
        dated = [x.name for x in locations if uow.calendar_days.for_location(x.id)]
    without_hours = [location.name for location in locations if not location.opening_hours]
    without_address = [location.name for location in locations if not location.address]
    return [
        SetupItem(
            ui.gettext(N_("Locations")),
            bool(locations),
            ui.gettext(N_("None yet.")) if not locations else ", ".join(x.name for x in locations),
            link="/admin/locations",
        ),
        SetupItem(
            ui.gettext(N_("Addresses")),
            bool(locations) and not without_address,
            (ui.gettext(N_("No address: %(names)s")) % {"names": ", ".join(without_address)})
            if without_address
            else "",
            link="/admin/locations",
        ),
        SetupItem(
            ui.gettext(N_("Opening hours")),
            bool(locations) and not without_hours,
            (ui.gettext(N_("No opening hours: %(names)s")) % {"names": ", ".join(without_hours)})
            if without_hours
            else "",
            link="/admin/locations",
        ),
        SetupItem(
            ui.gettext(N_("Closures and own dates")),
            bool(dated),
            ui.gettext(N_("No location has its own dates yet (closures, extra working days)."))
            if not dated
            else ", ".join(dated),
            link="/admin/locations",
        ),
        SetupItem(
            ui.gettext(N_("Staff besides you")),
            bool(staff),
            ui.gettext(N_("Nobody yet.")) if not staff else str(len(staff)),
            link="/admin/staff",
        ),
        SetupItem(
            ui.gettext(N_("SLA policies")),
            bool(policies),
            ui.gettext(N_("None yet.")) if not policies else str(len(policies)),
            link="/admin/sla-policies",
        ),
        SetupItem(
            ui.gettext(N_("Teams")),
            bool(teams),
            ui.gettext(N_("None yet.")) if not teams else ", ".join(t.name for t in teams),
            link="/admin/teams",
        ),
        SetupItem(
            ui.gettext(N_("Quiet hours and caps")),
            bool(contact_rules),
            ui.gettext(N_("The built-in ones: quiet 21:00-09:00, two marketing messages a week."))
            if not contact_rules
            else "",
            link="/admin/contact-rules",
        ),
        SetupItem(
            ui.gettext(N_("Message templates")),
            bool(own_templates),
            ui.gettext(N_("Heedful sends its built-in texts; none is in your own words yet."))
            if not own_templates
            else str(len(own_templates)),
            link="/admin/templates",
        ),
        SetupItem(
            ui.gettext(N_("Canned replies")),
            bool(canned),
            ui.gettext(N_("None yet.")) if not canned else str(len(canned)),
            link="/console/canned-replies",
        ),
        SetupItem(
            ui.gettext(N_("Surveys")),
            bool(surveys),
            ui.gettext(N_("None yet.")) if not surveys else str(len(surveys)),
            link="/console/surveys",
        ),
        SetupItem(
            ui.gettext(N_("Playbooks switched on")),
            bool(playbooks),
            ui.gettext(N_("None yet.")) if not playbooks else str(len(playbooks)),
            link="/console/playbooks",
        ),
        SetupItem(
            ui.gettext(N_("API tokens for your systems' events")),
            bool(tokens),
            ui.gettext(N_("None yet.")) if not tokens else str(len(tokens)),
            link="/admin/tokens",
        ),
    ]


@router.get("/admin/setup")
def setup(console: Staff) -> Response:
    if not console.may(Permission.MANAGE_STAFF):
        raise Forbidden("only admins set the business up")
    items = setup_items(console)
    with console.container.uow(read_only=True) as uow:
        changes = uow.audit.list_for(None, RECENT_CHANGES)
    return console.render(
        "home/setup.html",
        items=items,
        missing=sum(1 for item in items if not item.done),
        changes=changes,
    )
