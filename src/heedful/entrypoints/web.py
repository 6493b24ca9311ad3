"""The one ASGI application: API under /api/v1, the staff console under /, health and metrics."""

from __future__ import annotations

import hmac
from typing import Any

import sqlalchemy as sa
from fastapi import Depends, FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse
from starlette.middleware.sessions import SessionMiddleware

from heedful import __version__
from heedful.bootstrap import Container
from heedful.entrypoints.api.app import install_api
from heedful.entrypoints.api.auth import Context, get_context
from heedful.entrypoints.api.problems import problem
from heedful.entrypoints.console.app import install_console
from heedful.entrypoints.fast_paths import HeedfulApp
from heedful.entrypoints.observability import ObserveRequests, metrics_response
from heedful.entrypoints.public.chat import install_chat
from heedful.entrypoints.public.survey import install_survey_pages
from heedful.entrypoints.public.unsubscribe import install_public
from heedful.entrypoints.token_cache import TokenCache

OPENAPI_URL = "/api/v1/openapi.json"
DOCS_URL = "/api/v1/docs"


def create_app(container: Container) -> FastAPI:
    settings = container.settings
    # Outside development the API's document and /metrics are not for passers-by (settings
    # HEEDFUL_PUBLIC_DOCS, HEEDFUL_PUBLIC_METRICS, HEEDFUL_METRICS_TOKEN; ADR 0023).
    public_docs = settings.docs_public
    # HeedfulApp is FastAPI with the event ingest and the identity look-up answered ahead of it.
    app = HeedfulApp(
        title="Heedful API",
        version=__version__,
        description=(
            "Customer memory for shops, hotels, restaurants and banks: customers and their "
            "identities, preferences, consent, purchases and visits. Authenticate with "
            "`Authorization: Bearer <token>` (create one with `heedful token create`). Every write "
            "takes an `Idempotency-Key` header; errors are `application/problem+json` (RFC 9457) "
            "naming the field at fault."
        ),
        openapi_url=OPENAPI_URL if public_docs else None,
        docs_url=DOCS_URL if public_docs else None,
        redoc_url=None,
    )
    app.state.container = container
    app.state.token_cache = TokenCache(clock=container.clock)
    app.add_middleware(
        SessionMiddleware,
        secret_key=container.settings.secret_key,
        session_cookie="heedful_session",
        max_age=container.settings.session_max_age_seconds,
        same_site="lax",
        https_only=container.settings.cookies_secure,
    )

    # Added last, so it is the outermost layer and times everything, sessions included.
    app.add_middleware(ObserveRequests)

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> JSONResponse:
        try:
            with container.engine.connect() as conn:
                conn.execute(sa.text("SELECT 1"))
        except sa.exc.SQLAlchemyError as exc:
            return JSONResponse(
                {"status": "unavailable", "database": str(exc.__class__.__name__)}, 503
            )
        return JSONResponse({"status": "ok", "version": __version__})

    @app.get("/metrics", include_in_schema=False)
    def metrics(request: Request) -> object:
        if not settings.metrics_public and not _metrics_token_sent(request, settings.metrics_token):
            return problem(
                401,
                "send the metrics token: Authorization: Bearer <HEEDFUL_METRICS_TOKEN>",
                headers={"WWW-Authenticate": "Bearer"},
            )
        return metrics_response()

    if not public_docs:
        # Integrators holding a token may still read the document their clients are made from;
        # the browsable docs page is not served (it could not send the token).
        @app.get(OPENAPI_URL, include_in_schema=False)
        def openapi_for_token_holders(
            _: Context = Depends(get_context),  # noqa: B008 - FastAPI idiom
        ) -> dict[str, Any]:
            return app.openapi()

    @app.get("/api", include_in_schema=False)
    def api_root() -> RedirectResponse:
        return RedirectResponse("/api/v1/docs")

    install_api(app, container)
    install_console(app, container)
    install_public(app, container)
    install_survey_pages(app, container)
    install_chat(app, container)
    return app


def _metrics_token_sent(request: Request, expected: str) -> bool:
    scheme, _, sent = request.headers.get("authorization", "").partition(" ")
    # No token set: /metrics is closed outside development until an operator sets one.
    return (
        bool(expected)
        and scheme.lower() == "bearer"
        and hmac.compare_digest(sent.strip().encode(), expected.encode())
    )
