"""The staff console: server-rendered pages with HTMX fragments, on the same core as the API."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from heedful.bootstrap import Container
from heedful.entrypoints.console import (
    admin,
    audit_panel,
    audit_results,
    audit_review,
    audit_visits,
    auth,
    bookings,
    canned_replies,
    churn,
    contact,
    contact_rules_admin,
    conversation_setup,
    customers,
    dashboard,
    dashboard_answers,
    dead_letters,
    event_types,
    failure_map,
    goodwill,
    goodwill_report,
    home,
    inbox,
    locations_admin,
    message_templates,
    playbook_form,
    playbooks,
    preferences,
    profile,
    promise_report,
    promises,
    responsiveness,
    security_log,
    staff_admin,
    stewardship,
    tonight,
)
from heedful.entrypoints.console import catalog as catalog_pages
from heedful.entrypoints.console import feedback as feedback_pages
from heedful.entrypoints.console.context import ConsoleState
from heedful.entrypoints.console.i18n import build_uis

STATIC_DIR = Path(__file__).parent / "static"


def install_console(app: FastAPI, container: Container) -> None:
    """Mount the console's pages and its static files (htmx is vendored: no CDN, ever)."""
    app.state.console = ConsoleState(container=container, uis=build_uis())
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    for module in (auth, customers, preferences, contact, profile, promises, stewardship, admin):
        app.include_router(module.router)
    app.include_router(promise_report.router)
    app.include_router(catalog_pages.router)
    app.include_router(feedback_pages.router)
    app.include_router(churn.router)
    app.include_router(playbook_form.router)  # before playbooks': /form is no playbook id
    app.include_router(playbooks.router)
    app.include_router(inbox.router)
    app.include_router(canned_replies.router)
    app.include_router(responsiveness.router)
    app.include_router(staff_admin.router)
    app.include_router(dashboard.router)
    app.include_router(dashboard_answers.router)
    app.include_router(dead_letters.router)
    app.include_router(event_types.router)
    app.include_router(security_log.router)
    app.include_router(home.router)
    app.include_router(bookings.router)
    app.include_router(tonight.router)
    for setup_pages in (
        locations_admin,
        conversation_setup,
        contact_rules_admin,
        message_templates,
    ):
        app.include_router(setup_pages.router)
    app.include_router(goodwill_report.router)
    app.include_router(failure_map.router)
    app.include_router(goodwill.router)
    app.include_router(audit_visits.router)
    app.include_router(audit_results.router)
    app.include_router(audit_review.router)
    app.include_router(audit_panel.router)
