"""Who is at the console, in which language, and how every console route answers.

Every console route is a ``ConsoleRoute``: it refuses a POST without the session's CSRF token,
sends a visitor without a session to the login page, turns a core error into a page (or, for an
HTMX request, a message in the page's notice area) and adds the headers every page needs. Routes
themselves only parse a form, call a core handler and render.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.routing import APIRoute
from starlette.concurrency import run_in_threadpool

from heedful.bootstrap import Container
from heedful.core.access.model import Actor, Permission
from heedful.core.customers.model import LANGUAGES
from heedful.core.shared.errors import Conflict, Forbidden, HeedfulError, InvalidInput, NotFound
from heedful.core.staff.model import StaffMember
from heedful.core.staff.queries import active_staff_member
from heedful.entrypoints.console.i18n import Ui, negotiate
from heedful.entrypoints.console.labels import N_
from heedful.entrypoints.console.menu import ShownGroup, menu_for

SESSION_STAFF = "staff_id"
SESSION_EPOCH = "epoch"
SESSION_CSRF = "csrf"
SESSION_LANGUAGE = "lang"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
_STATUS = {InvalidInput: 422, NotFound: 404, Conflict: 409, Forbidden: 403}
# Pages carry customer data: no caching, no framing, scripts and styles only from this server.
_HEADERS = {
    "Cache-Control": "private, no-store",
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Vary": "HX-Request, Cookie",
}


class LoginRequired(Exception):
    """Nobody is logged in: the console answers with the login page."""


@dataclass(frozen=True)
class ConsoleState:
    container: Container
    uis: dict[str, Ui]


@dataclass(frozen=True)
class FormState:
    """What a staff member typed, and what the core said about it, field by field."""

    values: dict[str, str]
    errors: dict[str, str]

    def value(self, name: str, default: str = "") -> str:
        return self.values.get(name, default)


def blank_form(**values: str) -> FormState:
    return FormState(values=dict(values), errors={})


@dataclass(frozen=True)
class Console:
    request: Request
    container: Container
    ui: Ui
    staff: StaffMember | None

    @property
    def actor(self) -> Actor:
        if self.staff is None:
            raise LoginRequired
        return self.staff.as_actor()

    def may(self, permission: Permission) -> bool:
        return self.staff is not None and self.actor.may(permission)

    def menu(self) -> list[ShownGroup]:
        """The menu entries this staff member may open, the current page's marked."""
        return menu_for(self.actor, self.request.url.path) if self.staff is not None else []

    @property
    def is_htmx(self) -> bool:
        # A history restore after a cache miss wants the whole page, not a fragment.
        headers = self.request.headers
        return (
            headers.get("HX-Request") == "true"
            and headers.get("HX-History-Restore-Request") != "true"
        )

    @property
    def csrf_token(self) -> str:
        return csrf_token(self.request)

    def now(self) -> datetime:
        return self.container.clock.now()

    def render(self, template: str, status: int = 200, **context: Any) -> HTMLResponse:
        page = self.ui.env.get_template(template).render(
            console=self,
            staff=self.staff,
            csrf_token=self.csrf_token,
            now=self.now(),
            Permission=Permission,
            **context,
        )
        return HTMLResponse(page, status_code=status)

    def failed(
        self, exc: HeedfulError, form: FormState, rename: dict[str, str] | None = None
    ) -> FormState:
        """The form again, with the core's complaint next to the field it names.

        ``rename`` maps the core's field names to the form's ("identities[0].value" -> "phone");
        a complaint about a field the form does not show goes at the top of the form.
        """
        field = (rename or {}).get(exc.field or "", exc.field or "")
        return FormState(
            values=form.values,
            errors={field if field in form.values else "form": self.ui.error(exc)},
        )

    def redirect(self, url: str) -> Response:
        if self.is_htmx:
            return Response(status_code=200, headers={"HX-Redirect": url})
        return RedirectResponse(url, status_code=303)


def csrf_token(request: Request) -> str:
    token = request.session.get(SESSION_CSRF)
    if not isinstance(token, str) or not token:
        token = secrets.token_urlsafe(32)
        request.session[SESSION_CSRF] = token
    return token


async def _csrf_ok(request: Request) -> bool:
    expected = request.session.get(SESSION_CSRF)
    if not isinstance(expected, str) or not expected:
        return False
    sent = request.headers.get(CSRF_HEADER)
    if sent is None:
        value = (await request.form()).get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    return sent is not None and hmac.compare_digest(sent.encode(), expected.encode())


def _language(request: Request, staff: StaffMember | None, default: str) -> str:
    if staff is not None:
        return staff.language
    asked = request.query_params.get("lang", "")
    if asked in LANGUAGES:
        request.session[SESSION_LANGUAGE] = asked
        return asked
    remembered = request.session.get(SESSION_LANGUAGE)
    if isinstance(remembered, str) and remembered in LANGUAGES:
        return remembered
    return negotiate(request.headers.get("Accept-Language"), default)


def visitor(request: Request) -> Console:
    """Whoever is at the console, logged in or not."""
    state: ConsoleState = request.app.state.console
    staff_id = request.session.get(SESSION_STAFF)
    staff = (
        active_staff_member(staff_id, state.container.uow(read_only=True))
        if isinstance(staff_id, str)
        else None
    )
    if staff is not None and request.session.get(SESSION_EPOCH) != staff.session_epoch:
        staff = None  # logged out or deactivated since this session began
    if staff is None and SESSION_STAFF in request.session:
        request.session.pop(SESSION_STAFF, None)
        request.session.pop(SESSION_EPOCH, None)
    language = _language(request, staff, state.container.settings.default_language)
    return Console(request=request, container=state.container, ui=state.uis[language], staff=staff)


def client_address(request: Request) -> str:
    return request.client.host if request.client is not None else "unknown"


def logged_in(request: Request) -> Console:
    console = visitor(request)
    if console.staff is None:
        raise LoginRequired
    return console


Visitor = Annotated[Console, Depends(visitor)]
Staff = Annotated[Console, Depends(logged_in)]


def _to_login(request: Request) -> Response:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    url = "/login" + (f"?next={quote(target)}" if request.method == "GET" and target != "/" else "")
    if request.headers.get("HX-Request") == "true":
        return Response(status_code=200, headers={"HX-Redirect": url})
    return RedirectResponse(url, status_code=303)


def _refusal(console: Console, status: int, message: str, *, no_access: bool = False) -> Response:
    if console.is_htmx:
        # The notice area, not the form's target: a 403 or 404 is about the page, not a field.
        response = console.render("_notice.html", status=status, message=message)
        response.headers["HX-Retarget"] = "#notice"
        response.headers["HX-Reswap"] = "innerHTML"
        return response
    template = "no_access.html" if no_access else "error.html"
    return console.render(template, status=status, message=message)


async def _failure(request: Request, exc: HeedfulError) -> Response:
    console = await run_in_threadpool(visitor, request)
    status = _STATUS.get(type(exc), 400)
    no_access = isinstance(exc, Forbidden) and not console.may(Permission.VIEW_CUSTOMERS)
    return _refusal(console, status, console.ui.error(exc), no_access=no_access)


async def _csrf_refusal(request: Request) -> Response:
    console = await run_in_threadpool(visitor, request)
    message = console.ui.gettext(N_("This form has expired. Reload the page and try again."))
    return _refusal(console, 403, message)


class ConsoleRoute(APIRoute):
    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def guarded(request: Request) -> Response:
            if request.method == "POST" and not await _csrf_ok(request):
                # The refusal leaves the session as it found it: a forged cross-site POST
                # (which arrives without the cookie) must not answer with a fresh cookie that
                # would replace the victim's and log them out.
                kept = dict(request.session)
                response = await _csrf_refusal(request)
                request.session.clear()
                request.session.update(kept)
            else:
                try:
                    response = await handler(request)
                except LoginRequired:
                    response = _to_login(request)
                except HeedfulError as exc:
                    response = await _failure(request, exc)
            for name, value in _HEADERS.items():
                response.headers.setdefault(name, value)
            return response

        return guarded
