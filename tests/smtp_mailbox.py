"""Pytest plugin: a real SMTP server on loopback that keeps every e-mail it accepts.

Registered in tests/conftest.py (``pytest_plugins = [..., "smtp_mailbox", ...]``). The module is
not called ``mailbox`` because the standard library has a ``mailbox`` module (aiosmtpd imports
it), and tests/ is first on sys.path: the name would shadow it.

    def test_she_is_told(mailbox: Mailbox) -> None:
        sender = SmtpSender(mailbox.host, mailbox.port, "shop@example.com", "example.com")
        sender.send(envelope)
        [email] = mailbox.wait_for(1)
        assert email["Subject"] == "..."

    mailbox.reply_next(451)            # the next message is refused "try again later"
    mailbox.reply_next(550, times=2)   # the next two: "no such mailbox"

One server serves the whole session (a worker started in another process can be pointed at
``mailbox.host``/``mailbox.port``); the ``mailbox`` fixture empties it before each test.
"""

from __future__ import annotations

import contextlib
import email
import socket
import threading
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import default as default_policy
from typing import Any, Literal

import pytest
from aiosmtpd.controller import Controller

Stage = Literal["rcpt", "data"]

_REPLY_TEXT = {
    421: "4.3.2 Service not available, closing channel",
    450: "4.2.1 Mailbox busy, try again later",
    451: "4.3.0 Local error in processing, try again later",
    452: "4.3.1 Insufficient system storage",
    550: "5.1.1 Mailbox unavailable",
    552: "5.3.4 Message too big",
    553: "5.1.3 Mailbox name not allowed",
    554: "5.7.1 Transaction failed",
}


@dataclass(frozen=True)
class _Reply:
    code: int
    text: str
    stage: Stage

    @property
    def line(self) -> str:
        return f"{self.code} {self.text}"


class Mailbox:
    """What the server has accepted, and what it should answer next."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self._lock = threading.Condition()
        self._messages: list[EmailMessage] = []
        self._recipients: list[list[str]] = []
        self._replies: deque[_Reply] = deque()

    @property
    def messages(self) -> list[EmailMessage]:
        """Accepted e-mails in arrival order, parsed (``email.policy.default``)."""
        with self._lock:
            return list(self._messages)

    @property
    def recipients(self) -> list[list[str]]:
        """The RCPT TO addresses of each accepted e-mail, in the same order as ``messages``."""
        with self._lock:
            return [list(rcpts) for rcpts in self._recipients]

    def message_ids(self) -> list[str]:
        return [str(message["Message-ID"]) for message in self.messages]

    def wait_for(self, count: int, timeout: float = 10.0) -> list[EmailMessage]:
        """Block until at least ``count`` e-mails have arrived; fail the test after ``timeout``.

        This waits for another thread's or process's I/O, not for a deadline, so it returns as
        soon as the e-mail is in.
        """
        deadline = time.monotonic() + timeout
        with self._lock:
            while len(self._messages) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(
                        f"expected {count} e-mail(s) within {timeout}s, "
                        f"got {len(self._messages)}: {[m['Subject'] for m in self._messages]}"
                    )
                self._lock.wait(left)
            return list(self._messages)

    def reply_next(
        self, code: int, *, times: int = 1, text: str | None = None, at: Stage = "rcpt"
    ) -> None:
        """Answer the next ``times`` messages with ``code`` instead of accepting them.

        ``at="rcpt"`` refuses the recipient (where real servers say 550 mailbox unavailable or
        451 greylisted); ``at="data"`` refuses after the whole message was sent.
        """
        reply = _Reply(code, text or _REPLY_TEXT.get(code, "Refused by the test"), at)
        with self._lock:
            self._replies.extend([reply] * times)

    def clear(self) -> None:
        """Forget every e-mail and every planned reply."""
        with self._lock:
            self._messages.clear()
            self._recipients.clear()
            self._replies.clear()

    # aiosmtpd handler hooks (its names), called positionally on the server's thread.

    async def handle_RCPT(  # noqa: N802
        self, _server: Any, _session: Any, envelope: Any, address: str, _options: list[str]
    ) -> str:
        refusal = self._take_reply("rcpt")
        if refusal is not None:
            return refusal.line
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, _server: Any, _session: Any, envelope: Any) -> str:  # noqa: N802
        refusal = self._take_reply("data")
        if refusal is not None:
            return refusal.line
        raw = envelope.original_content or envelope.content
        parsed = email.message_from_bytes(raw, policy=default_policy)
        assert isinstance(parsed, EmailMessage)
        with self._lock:
            self._messages.append(parsed)
            self._recipients.append(list(envelope.rcpt_tos))
            self._lock.notify_all()
        return "250 Message accepted for delivery"

    def _take_reply(self, stage: Stage) -> _Reply | None:
        with self._lock:
            if self._replies and self._replies[0].stage == stage:
                return self._replies.popleft()
            return None


def free_port(host: str = "127.0.0.1") -> int:
    """A port nobody listens on right now (and nothing will, unless a test starts something)."""
    with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="session")
def mailbox_server() -> Iterator[Mailbox]:
    host = "127.0.0.1"
    # aiosmtpd's Controller checks it is up by connecting to its own port, so it needs a real
    # port number up front; another process taking it in between is retried.
    for _attempt in range(5):
        mailbox = Mailbox(host, free_port(host))
        controller = Controller(
            mailbox, hostname=host, port=mailbox.port, enable_SMTPUTF8=True, ready_timeout=10
        )
        try:
            controller.start()
        except OSError:
            continue
        try:
            yield mailbox
        finally:
            controller.stop()
        return
    raise RuntimeError("could not start the test SMTP server")


@pytest.fixture
def mailbox(mailbox_server: Mailbox) -> Iterator[Mailbox]:
    mailbox_server.clear()
    yield mailbox_server
    mailbox_server.clear()
