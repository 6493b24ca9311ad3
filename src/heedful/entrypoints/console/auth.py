"""Logging in and out, and the language menu."""

from __future__ import annotations

import structlog
from fastapi import APIRouter
from fastapi.responses import RedirectResponse, Response
from starlette.requests import Request

from heedful.config import Settings
from heedful.core.customers.model import LANGUAGES
from heedful.core.staff import logins
from heedful.core.staff.handlers import set_staff_language
from heedful.core.staff.logins import LoginOutcome, LoginPolicy, LoginResult, end_sessions
from heedful.entrypoints.console.context import (
    SESSION_EPOCH,
    SESSION_LANGUAGE,
    SESSION_STAFF,
    Console,
    ConsoleRoute,
    FormState,
    Visitor,
    blank_form,
    client_address,
)
from heedful.entrypoints.console.forms import Text
from heedful.entrypoints.console.labels import N_

router = APIRouter(route_class=ConsoleRoute, include_in_schema=False)
log = structlog.get_logger("heedful.security")
_REFUSED = {LoginOutcome.WRONG: 401, LoginOutcome.WAIT: 429, LoginOutcome.LOCKED: 403}


def login_policy(settings: Settings) -> LoginPolicy:
    return LoginPolicy(
        delay_after_failures=settings.login_delay_after_failures,
        max_delay_seconds=settings.login_max_delay_seconds,
        lockout_failures=settings.login_lockout_failures,
    )


def safe_next(target: str) -> str:
    """Only a path on this site: a login link must not bounce staff to someone else's page."""
    if target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"  # each role's home page (home.py)


@router.get("/login")
def login_page(console: Visitor, next: str = "/") -> Response:
    if console.staff is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    return console.render("login.html", form=blank_form(next=safe_next(next)))


@router.post("/login")
def log_in(
    request: Request,
    console: Visitor,
    login: Text = "",
    password: Text = "",
    next: Text = "/",
) -> Response:
    container = console.container
    address = client_address(request)
    result = logins.log_in(
        login, password, address, container.uow(), container.clock, login_policy(container.settings)
    )
    # The login name and the outcome, never the password; the same lands in security_events.
    log.info(
        "console login",
        login=login.strip().lower()[:100],
        address=address,
        outcome=result.outcome.value,
    )
    if result.member is None:
        form = FormState(
            values={"login": login, "next": safe_next(next)},
            errors={"form": _refusal_message(console, result)},
        )
        return console.render("login.html", status=_REFUSED[result.outcome], form=form)
    # A new session on login: an id planted before it (session fixation) is worth nothing after.
    request.session.clear()
    request.session[SESSION_STAFF] = result.member.id
    request.session[SESSION_EPOCH] = result.member.session_epoch
    return RedirectResponse(safe_next(next), status_code=303)


def _refusal_message(console: Console, result: LoginResult) -> str:
    if result.outcome is LoginOutcome.LOCKED:
        return console.ui.gettext(
            N_(
                "This account is locked after too many failed logins. "
                "Ask an administrator to unlock it."
            )
        )
    if result.outcome is LoginOutcome.WAIT:
        return console.ui.ngettext(
            "Too many failed logins. Try again in %(num)d second.",
            "Too many failed logins. Try again in %(num)d seconds.",
            result.wait_seconds,
        ) % {"num": result.wait_seconds}
    return console.ui.gettext(N_("Wrong login or password."))


@router.get("/logout")
def logout_page(console: Visitor) -> Response:
    # Logging out changes state, so it is a POST; the GET only offers the button.
    if console.staff is None:
        return RedirectResponse("/login", status_code=303)
    return console.render("logout.html")


@router.post("/logout")
def log_out(request: Request, console: Visitor) -> Response:
    language = console.ui.language
    if console.staff is not None:
        # Every session of this member ends, not only this cookie: a copy of it is worthless now.
        end_sessions(
            console.staff.id,
            client_address(request),
            console.container.uow(),
            console.container.clock,
        )
    request.session.clear()
    # The login page stays in the language the staff member was reading.
    request.session[SESSION_LANGUAGE] = language
    return RedirectResponse("/login", status_code=303)


@router.post("/language")
def switch_language(
    request: Request, console: Visitor, language: Text = "", next: Text = "/"
) -> Response:
    if console.staff is not None:
        set_staff_language(console.staff.id, language, console.container.uow())
    elif language in LANGUAGES:
        request.session[SESSION_LANGUAGE] = language
    return console.redirect(safe_next(next))
