"""RFC 9457 problem details: every API error is application/problem+json naming the field."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from heedful.core.shared.errors import Conflict, Forbidden, HeedfulError, InvalidInput, NotFound

PROBLEM_JSON = "application/problem+json"

_STATUS = {InvalidInput: 422, NotFound: 404, Conflict: 409, Forbidden: 403}
_TITLES = {
    400: "Bad request",
    401: "Not authenticated",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    410: "Gone",
    413: "Content too large",
    415: "Unsupported media type",
    422: "Invalid input",
    429: "Too many requests",
    500: "Internal error",
}


class FieldProblem(BaseModel):
    field: str
    message: str


class Problem(BaseModel):
    """An error, as RFC 9457 describes it, with the field at fault."""

    type: str = Field("about:blank", description="A URI naming the kind of problem")
    title: str
    status: int
    detail: str
    field: str | None = Field(
        None, description="The request field at fault, e.g. `identities[0].value`"
    )
    errors: list[FieldProblem] = Field(default_factory=list, description="Every field at fault")
    existing_id: str | None = Field(
        None, description="On a conflict, the record that is in the way"
    )


def _slug(status: int) -> str:
    return _TITLES.get(status, "error").lower().replace(" ", "-")


def problem(
    status: int,
    detail: str,
    *,
    field: str | None = None,
    errors: list[FieldProblem] | None = None,
    existing_id: str | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body = Problem(
        type=f"https://heedful.dev/problems/{_slug(status)}",
        title=_TITLES.get(status, "Error"),
        status=status,
        detail=detail,
        field=field,
        errors=errors or ([FieldProblem(field=field, message=detail)] if field else []),
        existing_id=existing_id,
    )
    return JSONResponse(
        body.model_dump(), status_code=status, media_type=PROBLEM_JSON, headers=headers
    )


def _field_path(loc: tuple[Any, ...] | list[Any]) -> str:
    """('body', 'identities', 0, 'value') -> 'identities[0].value'; headers and query by name."""
    parts = list(loc[1:]) if loc and loc[0] in ("body", "query", "path", "header") else list(loc)
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part and not str(part).startswith(("function-", "constrained-")):
            out += ("." if out else "") + str(part)
    return out or (str(loc[0]) if loc else "body")


def domain_problem(exc: HeedfulError) -> JSONResponse:
    """The answer to a refusal of the core: 422, 404, 409 or 403, naming the field."""
    return problem(
        _STATUS.get(type(exc), 400),
        exc.message,
        field=exc.field,
        existing_id=getattr(exc, "existing_id", None),
    )


def install_problem_handlers(app: FastAPI) -> None:
    @app.exception_handler(HeedfulError)
    async def _domain(_request: Request, exc: HeedfulError) -> JSONResponse:
        return domain_problem(exc)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            FieldProblem(field=_field_path(e.get("loc", ())), message=str(e.get("msg", "invalid")))
            for e in exc.errors()
        ]
        first = errors[0] if errors else FieldProblem(field="body", message="invalid request")
        if first.message.startswith("JSON decode error"):
            return problem(400, "the body is not valid JSON", field="body")
        return problem(422, f"{first.field}: {first.message}", field=first.field, errors=errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        if request.url.path.startswith("/api/"):
            return problem(exc.status_code, str(exc.detail), headers=getattr(exc, "headers", None))
        return JSONResponse(
            {"detail": exc.detail},
            status_code=exc.status_code,
            headers=getattr(exc, "headers", None),
        )


PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": Problem, "description": _TITLES[status], "content": {PROBLEM_JSON: {}}}
    for status in (400, 401, 403, 404, 409, 422)
}
# A write replayed under an Idempotency-Key whose customer has since been erased (ADR 0026).
PROBLEM_RESPONSES[410] = {
    "model": Problem,
    "description": "Gone: this Idempotency-Key's answer named a customer who has been erased",
    "content": {PROBLEM_JSON: {}},
}
# The public chat's rate limits (ADR 0025): the answer says when to try again.
TOO_MANY_RESPONSES: dict[int | str, dict[str, Any]] = {
    429: {
        "model": Problem,
        "description": "Too many requests; Retry-After says how many seconds to wait",
        "content": {PROBLEM_JSON: {}},
    }
}
