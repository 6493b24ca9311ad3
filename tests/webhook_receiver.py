"""Pytest plugin: a real HTTP server on loopback that keeps every request it receives.

Registered in tests/conftest.py (``pytest_plugins = [..., "webhook_receiver"]``).

    def test_sms_goes_out(webhook_receiver: WebhookReceiver) -> None:
        sender = WebhookSender(webhook_receiver.url("/sms"), "secret", clock)
        sender.send(envelope)
        [request] = webhook_receiver.wait_for(1)
        assert request.json()["to"] == "+380501234567"

    webhook_receiver.reply_next(503)               # the next request gets a 503
    webhook_receiver.reply_next(429, times=3)      # the next three: rate limited
    webhook_receiver.reply_next(200, body={"id": "SM123"})
    webhook_receiver.stall_next()                  # the next request hangs until the test ends

Every request is recorded, whatever it was answered. By default the server answers
200 {"id": "rcv-<n>"}. One server serves the session; the fixture empties it before each test.
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest


@dataclass(frozen=True)
class ReceivedRequest:
    method: str
    path: str
    headers: Mapping[str, str]  # names lower-cased
    body: bytes
    answered: int  # the status code the receiver sent back (0 if it stalled)

    def json(self) -> Any:
        return json.loads(self.body)

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


@dataclass(frozen=True)
class _Answer:
    status: int
    body: bytes
    stall: bool = False


class WebhookReceiver:
    def __init__(self) -> None:
        self.host = "127.0.0.1"
        self.port = 0
        self._lock = threading.Condition()
        self._requests: list[ReceivedRequest] = []
        self._answers: deque[_Answer] = deque()
        self._release = threading.Event()

    def url(self, path: str = "/webhook") -> str:
        return f"http://{self.host}:{self.port}{path}"

    @property
    def requests(self) -> list[ReceivedRequest]:
        with self._lock:
            return list(self._requests)

    def wait_for(self, count: int, timeout: float = 10.0) -> list[ReceivedRequest]:
        """Block until at least ``count`` requests have arrived; fail the test after ``timeout``."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while len(self._requests) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(
                        f"expected {count} request(s) within {timeout}s, got {len(self._requests)}"
                    )
                self._lock.wait(left)
            return list(self._requests)

    def reply_next(
        self, status: int, *, times: int = 1, body: bytes | Mapping[str, Any] | str = b""
    ) -> None:
        """Answer the next ``times`` requests with ``status`` and ``body`` (JSON if a mapping)."""
        if isinstance(body, Mapping):
            raw = json.dumps(body).encode()
        elif isinstance(body, str):
            raw = body.encode()
        else:
            raw = body
        with self._lock:
            self._answers.extend([_Answer(status, raw)] * times)

    def stall_next(self, *, times: int = 1) -> None:
        """Never answer the next ``times`` requests (until ``clear()``): a sender must time out."""
        with self._lock:
            self._answers.extend([_Answer(0, b"", stall=True)] * times)

    def clear(self) -> None:
        """Forget every request and planned answer, and let stalled requests go."""
        self._release.set()
        with self._lock:
            self._requests.clear()
            self._answers.clear()
            self._release = threading.Event()

    def _answer(self, method: str, path: str, headers: Mapping[str, str], body: bytes) -> _Answer:
        with self._lock:
            number = len(self._requests) + 1
            default = _Answer(200, json.dumps({"id": f"rcv-{number}"}).encode())
            answer = self._answers.popleft() if self._answers else default
            self._requests.append(ReceivedRequest(method, path, dict(headers), body, answer.status))
            self._lock.notify_all()
            release = self._release
        if answer.stall:
            release.wait(timeout=60)
        return answer


def _handler_for(receiver: WebhookReceiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # Headers and body leave in two writes; with Nagle on, keep-alive clients would wait
        # for a delayed ACK (40 ms a request on Linux) and tests of many messages would crawl.
        disable_nagle_algorithm = True

        def do_POST(self) -> None:
            self._record()

        def do_PUT(self) -> None:
            self._record()

        def do_GET(self) -> None:
            self._record()

        def _record(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            headers = {name.lower(): value for name, value in self.headers.items()}
            answer = receiver._answer(self.command, self.path, headers, body)
            if answer.stall:
                self.close_connection = True
                return
            self.send_response(answer.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer.body)))
            self.end_headers()
            self.wfile.write(answer.body)

        def log_message(self, format: str, *args: Any) -> None:
            pass  # keep test output quiet

    return Handler


@pytest.fixture(scope="session")
def webhook_receiver_server() -> Iterator[WebhookReceiver]:
    receiver = WebhookReceiver()
    server = ThreadingHTTPServer((receiver.host, 0), _handler_for(receiver))
    server.daemon_threads = True
    receiver.port = int(server.server_address[1])
    thread = threading.Thread(target=server.serve_forever, name="webhook-receiver", daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        receiver.clear()
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture
def webhook_receiver(webhook_receiver_server: WebhookReceiver) -> Iterator[WebhookReceiver]:
    webhook_receiver_server.clear()
    yield webhook_receiver_server
    webhook_receiver_server.clear()
