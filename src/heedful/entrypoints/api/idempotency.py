"""Idempotency-Key on every write: a retried request gets the first answer, never a second effect.

The key's record is written in the same transaction as the use case's rows (the unit of work
nests), so a crash leaves either both or neither.

A remembered answer never holds a secret: fields named in ``WITHHELD_FIELDS`` (a new token's
secret, any password) are stored as null, so a replay answers the rest and says the secret was
shown once. Only hashes of secrets are kept anywhere (ADR 0023).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

from fastapi import Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse, Response
from sqlalchemy.exc import IntegrityError

from heedful.core.customers.redaction import customers_named
from heedful.core.shared.ports import ERASED_ANSWER, IdempotencyRecord
from heedful.core.unit_of_work import UnitOfWork
from heedful.entrypoints.api.auth import Context
from heedful.entrypoints.api.problems import problem

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 200
# Answer fields that carry a secret: shown in the first answer, never stored, null on a replay.
WITHHELD_FIELDS = frozenset({"secret", "password", "token_secret", "api_key", "signing_secret"})
WITHHELD_HEADER = "Heedful-Withheld"


def _fingerprint(request: Request, payload: Any) -> str:
    body = json.dumps(jsonable_encoder(payload), sort_keys=True, ensure_ascii=False)
    raw = f"{request.method} {request.url.path}?{request.url.query}\n{body}"
    return hashlib.sha256(raw.encode()).hexdigest()


def write(
    request: Request,
    ctx: Context,
    payload: Any,
    status_code: int,
    action: Callable[[UnitOfWork], Any],
) -> Response:
    """Run ``action`` with a unit of work; remember its answer under the request's key, if any.

    ``action`` returns the response body (a model or plain data), or a (status, body) pair when
    the status depends on the outcome (201 created against 200 already there).
    """
    key = request.headers.get(HEADER)
    uow = ctx.container.uow()
    if key is None:
        status, body = _split(action(uow), status_code)
        return _respond(status, body)
    if not key.strip() or len(key) > MAX_KEY_LENGTH or "\x00" in key:
        return problem(422, f"an idempotency key is 1 to {MAX_KEY_LENGTH} characters", field=HEADER)
    fingerprint = _fingerprint(request, payload)
    try:
        with uow:
            prior = uow.idempotency.get(ctx.actor.id, key)
            if prior is not None:
                return _replay(prior, fingerprint)
            status, body = _split(action(uow), status_code)
            encoded = jsonable_encoder(body)
            uow.idempotency.add(
                IdempotencyRecord(
                    scope=ctx.actor.id,
                    key=key,
                    fingerprint=fingerprint,
                    status_code=status,
                    response=without_secrets(encoded),
                    created_at=ctx.container.clock.now(),
                    customer_ids=customers_named(
                        request.url.path, jsonable_encoder(payload), encoded
                    ),
                )
            )
            uow.commit()
    except IntegrityError:
        # Two requests with one key raced; the loser answers as the winner did.
        with ctx.container.uow() as again:
            prior = again.idempotency.get(ctx.actor.id, key)
        if prior is None:
            raise
        return _replay(prior, fingerprint)
    return _respond(status, encoded)


def without_secrets(body: Any) -> Any:
    """``body`` with every secret-bearing field, at any depth, set to null."""
    if isinstance(body, dict):
        return {
            name: None if name in WITHHELD_FIELDS and value is not None else without_secrets(value)
            for name, value in body.items()
        }
    if isinstance(body, list):
        return [without_secrets(item) for item in body]
    return body


def _withheld(body: Any) -> list[str]:
    if isinstance(body, dict):
        found = [n for n, v in body.items() if n in WITHHELD_FIELDS and v is None]
        return found + [n for v in body.values() for n in _withheld(v)]
    if isinstance(body, list):
        return [n for item in body for n in _withheld(item)]
    return []


def _split(result: Any, default_status: int) -> tuple[int, Any]:
    if isinstance(result, tuple) and len(result) == 2 and isinstance(result[0], int):
        return result[0], result[1]
    return default_status, result


def _respond(status: int, body: Any) -> Response:
    if status == 204:
        return Response(status_code=204)
    return JSONResponse(jsonable_encoder(body), status_code=status)


def _replay(prior: IdempotencyRecord, fingerprint: str) -> Response:
    if prior.fingerprint == ERASED_ANSWER:
        # The answer named a customer since erased (ADR 0026): neither it nor the request's hash
        # is kept, and doing the request again would bring her back.
        return problem(410, "the customer this request concerned was erased", field=HEADER)
    if prior.fingerprint != fingerprint:
        return problem(422, "this idempotency key was used for a different request", field=HEADER)
    response = _respond(prior.status_code, prior.response)
    response.headers["Idempotent-Replayed"] = "true"
    withheld = sorted(set(_withheld(prior.response)))
    if withheld:
        # The secret was in the first answer only; a lost one is replaced by a new token.
        response.headers[WITHHELD_HEADER] = ", ".join(withheld)
    return response
