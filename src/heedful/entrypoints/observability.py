"""Structured logs and Prometheus metrics, shared by every entry point."""

from __future__ import annotations

import logging
import sys
import time
import uuid
from dataclasses import dataclass

import structlog
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

REGISTRY = CollectorRegistry(auto_describe=True)
REQUESTS = Counter(
    "heedful_http_requests_total",
    "HTTP requests answered",
    ["method", "route", "status"],
    registry=REGISTRY,
)
LATENCY = Histogram(
    "heedful_http_request_duration_seconds",
    "Time to answer an HTTP request",
    ["method", "route"],
    registry=REGISTRY,
    buckets=(0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
)
# A record set aside after its tries ran out (or at once, on a permanent error), by kind:
# event, message, timer, job. The gauge is how many wait for an operator now.
DEAD_LETTERS = Counter(
    "heedful_dead_letters_total",
    "Records set aside as dead letters",
    ["kind"],
    registry=REGISTRY,
)
DEAD_LETTERS_WAITING = Gauge(
    "heedful_dead_letters_waiting",
    "Dead letters waiting for an operator to retry or discard them",
    ["kind"],
    registry=REGISTRY,
)


def configure_logging(level: str = "INFO", fmt: str = "json") -> None:
    renderer: structlog.types.Processor = (
        structlog.processors.JSONRenderer(ensure_ascii=False)
        if fmt == "json"
        else structlog.dev.ConsoleRenderer()
    )
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.processors.format_exc_info,
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level.upper())),
        logger_factory=structlog.PrintLoggerFactory(file=sys.stderr),
        cache_logger_on_first_use=True,
    )


log = structlog.get_logger("heedful")


class ObserveRequests:
    """Log each request as one JSON line with its id, and count it for /metrics.

    Plain ASGI rather than ``@app.middleware("http")``: Starlette's BaseHTTPMiddleware wraps every
    response in a stream of its own, which costs about a millisecond per request here.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or ())
        request_id = headers.get(b"x-request-id", b"").decode("latin-1")[:100] or uuid.uuid4().hex
        structlog.contextvars.bind_contextvars(request_id=request_id)
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message.setdefault("headers", [])
                message["headers"] = [
                    *message["headers"],
                    (b"x-request-id", request_id.encode("latin-1")),
                ]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            self._record(scope, status, time.perf_counter() - started)
            structlog.contextvars.clear_contextvars()

    @staticmethod
    def _record(scope: Scope, status: int, elapsed: float) -> None:
        method = scope.get("method", "")
        # The route's template, never the raw path: ids in paths would explode the label set.
        route_name = route_template(scope)
        REQUESTS.labels(method, route_name, str(status)).inc()
        LATENCY.labels(method, route_name).observe(elapsed)
        if route_name not in ("/metrics", "/healthz"):
            log.info(
                "request",
                method=method,
                path=route_name,
                status=status,
                ms=round(elapsed * 1000, 2),
            )


@dataclass(frozen=True)
class FixedRoute:
    """The route a lean path (``fast_paths.py``) puts in the scope for ``route_template`` to read,
    so its requests are logged and counted under their template like the routes'."""

    path: str
    path_format: str

    @classmethod
    def at(cls, path: str) -> FixedRoute:
        return cls(path, path)


def route_template(scope: Scope) -> str:
    """The matched route's full template, e.g. ``/api/v1/customers/{customer_id}``.

    FastAPI 0.165 matches routers included with a prefix lazily, and the route in the scope then
    knows only its own part (``/customers/{customer_id}``), which the console's routes share. The
    prefix is what the request path holds before that part.
    """
    route = scope.get("route")
    template = getattr(route, "path", None)
    path_format = getattr(route, "path_format", None)
    if not isinstance(template, str) or not isinstance(path_format, str):
        return "unmatched"
    try:
        matched = path_format.format(**scope.get("path_params", {}))
    except (KeyError, IndexError, ValueError):
        return template
    path: str = scope.get("path", "")
    if matched and path.endswith(matched):
        return path[: len(path) - len(matched)] + template
    return template


def metrics_response() -> Response:
    return Response(generate_latest(REGISTRY), media_type=CONTENT_TYPE_LATEST)
