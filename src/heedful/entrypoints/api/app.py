"""Mounts the versioned API and makes its OpenAPI document tell the truth about errors."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.openapi.utils import get_openapi

from heedful.adapters.channels.webhook import SIGNATURE_HEADER
from heedful.bootstrap import Container
from heedful.entrypoints.api import (
    admin,
    customers,
    events,
    experience,
    playbooks,
    promises,
    records,
    responsiveness,
)
from heedful.entrypoints.api import audits as audits_api
from heedful.entrypoints.api import catalog as catalog_api
from heedful.entrypoints.api import chat as chat_api
from heedful.entrypoints.api import conversations as conversations_api
from heedful.entrypoints.api import dead_letters as dead_letters_api
from heedful.entrypoints.api import dealings as dealings_api
from heedful.entrypoints.api import event_types as event_types_api
from heedful.entrypoints.api import failure_map as failure_map_api
from heedful.entrypoints.api import feedback as feedback_api
from heedful.entrypoints.api import goodwill as goodwill_api
from heedful.entrypoints.api import holds as holds_api
from heedful.entrypoints.api import owners as owners_api
from heedful.entrypoints.api import sla_policies as sla_policies_api
from heedful.entrypoints.api import staff as staff_api
from heedful.entrypoints.api.idempotency import HEADER, MAX_KEY_LENGTH
from heedful.entrypoints.api.problems import (
    PROBLEM_JSON,
    PROBLEM_RESPONSES,
    install_problem_handlers,
)
from heedful.entrypoints.body_limits import limit_for

API_PREFIX = "/api/v1"
BEARER = "HTTPBearer"  # the scheme FastAPI names after ``HTTPBearer`` in api/auth.py
WEBHOOK_SIGNATURE = "WebhookSignature"
# Operations that read their credentials by hand (so FastAPI cannot see them) or take none. Every
# other operation declares its security through its dependencies; a test walks the document and
# fails on any operation declaring none, so a new public route must be written down here.
SECURITY_BY_HAND: dict[tuple[str, str], list[dict[str, list[str]]]] = {
    # The lean ingest path and its routed twin read the bearer token from the raw headers.
    ("post", f"{API_PREFIX}/events"): [{BEARER: []}],
    # A website visitor starts a chat and reads its answers: the visitor token in the path is
    # the only credential, and the chat page has no other.
    ("post", f"{API_PREFIX}/conversations/chat"): [],
    ("get", f"{API_PREFIX}/conversations/chat/{{visitor_token}}/messages"): [],
    # Mail gateways sign the request with the shared webhook secret (HMAC, with a timestamp).
    ("post", f"{API_PREFIX}/inbound/email"): [{WEBHOOK_SIGNATURE: []}],
}


def install_api(app: FastAPI, container: Container) -> None:
    del container  # routes reach it through app.state; kept for a uniform install signature
    install_problem_handlers(app)
    api = APIRouter(prefix=API_PREFIX, responses=PROBLEM_RESPONSES)
    api.include_router(customers.router)
    api.include_router(records.router)
    api.include_router(admin.router)
    api.include_router(events.router)
    api.include_router(event_types_api.router)
    api.include_router(promises.router)
    api.include_router(catalog_api.router)
    api.include_router(playbooks.router)
    api.include_router(conversations_api.router)
    api.include_router(chat_api.router)
    api.include_router(sla_policies_api.router)
    api.include_router(responsiveness.router)
    api.include_router(feedback_api.router)
    api.include_router(experience.router)
    api.include_router(dead_letters_api.router)
    api.include_router(dealings_api.router)
    api.include_router(owners_api.router)
    api.include_router(holds_api.router)
    api.include_router(goodwill_api.router)
    api.include_router(failure_map_api.router)
    api.include_router(audits_api.router)

    api.include_router(staff_api.router)
    app.include_router(api)

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = get_openapi(
            title=app.title, version=app.version, description=app.description, routes=app.routes
        )
        _errors_are_problems(schema)
        _writes_take_an_idempotency_key(schema)
        _security_is_declared(schema)

        _bodies_are_capped(schema)
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


def _security_is_declared(schema: dict[str, Any]) -> None:
    """Every operation says how it is authenticated, even when it reads credentials by hand."""
    schemes = schema.setdefault("components", {}).setdefault("securitySchemes", {})
    schemes.setdefault(
        BEARER,
        {"type": "http", "scheme": "bearer", "description": "An API token"},
    )
    schemes[WEBHOOK_SIGNATURE] = {
        "type": "apiKey",
        "in": "header",
        "name": SIGNATURE_HEADER,
        "description": "HMAC-SHA256 of the timestamp and body with HEEDFUL_WEBHOOK_SECRET",
    }
    for path, operations in schema.get("paths", {}).items():
        for method, operation in operations.items():
            declared = SECURITY_BY_HAND.get((method, path))
            if declared is not None:
                operation["security"] = declared


def _writes_take_an_idempotency_key(schema: dict[str, Any]) -> None:
    """Document the header every write reads (``idempotency.write``) for generated clients."""
    header = {
        "name": HEADER,
        "in": "header",
        "required": False,
        "description": (
            "Retry-safe writes: a repeat with the same key and body gets the first answer again "
            "(with `Idempotent-Replayed: true`); the same key with another request is refused. "
            "Keys belong to the token that sent them."
        ),
        # JSON Schema patterns are not anchored: this one asks for a character that is not a space.
        "schema": {"type": "string", "minLength": 1, "maxLength": MAX_KEY_LENGTH, "pattern": r"\S"},
    }
    for path in schema.get("paths", {}).values():
        for method, operation in path.items():
            if method in ("post", "patch", "put", "delete"):
                operation.setdefault("parameters", []).append(header)


def _errors_are_problems(schema: dict[str, Any]) -> None:
    """FastAPI documents 422 as its own JSON shape; ours is problem+json for every error."""
    problem_ref = {"$ref": "#/components/schemas/Problem"}
    for path in schema.get("paths", {}).values():
        for operation in path.values():
            for status, response in operation.get("responses", {}).items():
                if status.startswith(("4", "5")):
                    response["content"] = {PROBLEM_JSON: {"schema": problem_ref}}
    for name in ("HTTPValidationError", "ValidationError"):
        schema.get("components", {}).get("schemas", {}).pop(name, None)


def _bodies_are_capped(schema: dict[str, Any]) -> None:
    """Each request body's limit (``body_limits.py``) as ``x-body-limit`` in bytes, and its 413."""
    problem_ref = {"$ref": "#/components/schemas/Problem"}
    for path, operations in schema.get("paths", {}).items():
        rule = limit_for(path)
        for operation in operations.values():
            if "requestBody" not in operation:
                continue
            operation["x-body-limit"] = rule.limit
            operation["description"] = (
                operation.get("description", "")
                + f"\n\nThe body may be at most {rule.limit:,} bytes ({rule.why}); a larger "
                "one is refused with 413 before it is read."
            ).strip()
            operation.setdefault("responses", {})["413"] = {
                "description": "Content too large",
                "content": {PROBLEM_JSON: {"schema": problem_ref}},
            }
