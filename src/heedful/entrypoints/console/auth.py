"""Logging in and out, the home page, and the language menu."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import RedirectResponse, Response
from starlette.requests import Request

from heedful.core.access.model import Permission
from heedful.core.customers.model import LANGUAGES
from heedful.core.staff.handlers import authenticate_staff, set_staff_language
from heedful.entrypoints.console.context import (
    SESSION_LANGUAGE,
    SESSION_STAFF,
    ConsoleRoute,
    FormState,
    Staff,
    Visitor,
    blank_form,
)
from heedful.entrypoints.console.forms import Text
from heedful.entrypoints.console.labels import N_

router = APIRouter(route_class=ConsoleRoute, include_in_schema=False)


def safe_next(target: str) -> str:
    """Only a path on this site: a login link must not bounce staff to someone else's page."""
    if target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/customers"


@router.get("/")
def home(console: Staff) -> Response:
    if not console.may(Permission.VIEW_CUSTOMERS):
        # Mystery shoppers log in for their audits; customers are none of their business.
        return console.render("no_access.html")
    return RedirectResponse("/customers", status_code=303)


@router.get("/login")
def login_page(console: Visitor, next: str = "/customers") -> Response:
    if console.staff is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    return console.render("login.html", form=blank_form(next=safe_next(next)))


@router.post("/login")
def log_in(
    request: Request,
    console: Visitor,
    login: Text = "",
    password: Text = "",
    next: Text = "/customers",
) -> Response:
    member = authenticate_staff(login, password, console.container.uow())
    if member is None:
        form = FormState(
            values={"login": login, "next": safe_next(next)},
            errors={"form": console.ui.gettext(N_("Wrong login or password."))},
        )
        return console.render("login.html", status=401, form=form)
    # A new session on login: an id planted before it (session fixation) is worth nothing after.
    request.session.clear()
    request.session[SESSION_STAFF] = member.id
    return RedirectResponse(safe_next(next), status_code=303)


@router.get("/logout")
def logout_page(console: Visitor) -> Response:
    # Logging out changes state, so it is a POST; the GET only offers the button.
    if console.staff is None:
        return RedirectResponse("/login", status_code=303)
    return console.render("logout.html")


@router.post("/logout")
def log_out(request: Request, console: Visitor) -> Response:
    language = console.ui.language
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
