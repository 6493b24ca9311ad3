"""The test bench's lean SMTP server: the part of RFC 5321 a relay's client speaks, in one
``asyncio.Protocol``, for the runs where the mail server shares the engine's cores.

Why it exists (ADR 87): under ``restock_under_load`` the test bench's own mail server (aiosmtpd,
with the handler that notes each arrival) took 0.23 of the machine's two cores, 0.28–0.42 ms of
CPU per e-mail, for 600 e-mails a second. A shop's mail server does not run on Heedful's machine,
and its cost was taken from the relay being measured. This one answers the same dialogue for
about half of that: one read and one write per command, no per-command coroutine.

It speaks over TCP what a real server answers: a 220 greeting, EHLO's extensions (8BITMIME,
SMTPUTF8, PIPELINING), 250 for MAIL, RCPT, RSET and NOOP, 354 then 250 for DATA, 221 for QUIT,
500 for anything else, and 552 (then the connection closed) for a command line beyond
``MOST_LINE`` or a message beyond ``MOST_BYTES``. It keeps nothing; each accepted e-mail goes
to ``arrived(at, recipients, content)``, ``at`` taken as its final dot came in.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

# A message, or a command line, longer than this is refused (a benchmark's e-mails are a few
# kilobytes; RFC 5321 allows a command line 512 octets).
MOST_BYTES = 10 * 1024 * 1024
MOST_LINE = 4096
_EHLO = b"250-heedful-bench\r\n250-8BITMIME\r\n250-SMTPUTF8\r\n250 PIPELINING\r\n"
_OK = b"250 OK\r\n"

Arrived = Callable[[float, list[str], bytes], None]


class LeanSmtp(asyncio.Protocol):
    """One client's connection: commands line by line, a message up to its lone dot."""

    def __init__(self, arrived: Arrived) -> None:
        self.arrived = arrived
        self.transport: asyncio.Transport | None = None
        self.buffer = b""
        self.recipients: list[str] = []
        self.in_data = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        transport.write(b"220 heedful-bench ESMTP\r\n")

    def data_received(self, data: bytes) -> None:
        assert self.transport is not None
        self.buffer += data
        replies: list[bytes] = []
        while self.buffer:
            reply = self._message_end() if self.in_data else self._command()
            if reply is None:
                break
            replies.append(reply)
        if len(self.buffer) > (MOST_BYTES if self.in_data else MOST_LINE):
            replies.append(b"552 Too much\r\n")
            self.buffer = b""
            self.transport.write(b"".join(replies))
            self.transport.close()
            return
        if replies:
            self.transport.write(b"".join(replies))
        if replies and replies[-1].startswith(b"221"):
            self.transport.close()

    def _message_end(self) -> bytes | None:
        # The message's end is a line with a lone dot; a line of its own that began with a dot
        # came doubled (RFC 5321 4.5.2), so this marker cannot occur inside it.
        end = self.buffer.find(b"\r\n.\r\n")
        if end < 0:
            return None
        content, self.buffer = self.buffer[: end + 2], self.buffer[end + 5 :]
        self.in_data = False
        recipients, self.recipients = self.recipients, []
        self.arrived(time.perf_counter(), recipients, content)
        return _OK

    def _command(self) -> bytes | None:
        end = self.buffer.find(b"\r\n")
        if end < 0:
            return None
        line, self.buffer = self.buffer[:end], self.buffer[end + 2 :]
        verb = line[:4].upper()
        if verb == b"EHLO":
            return _EHLO
        if verb == b"HELO":
            return b"250 heedful-bench\r\n"
        if verb in (b"MAIL", b"RSET"):
            self.recipients = []
            return _OK
        if verb == b"RCPT":
            start, close = line.find(b"<"), line.find(b">")
            self.recipients.append(line[start + 1 : close].decode("utf-8", "replace"))
            return _OK
        if verb == b"DATA":
            if not self.recipients:
                return b"503 No recipients\r\n"
            self.in_data = True
            return b"354 End data with <CR><LF>.<CR><LF>\r\n"
        if verb == b"NOOP":
            return _OK
        if verb == b"QUIT":
            return b"221 Bye\r\n"
        return b"500 Command not recognised\r\n"


async def serve(
    port: int, arrived: Arrived, started: Callable[[], None], stop: asyncio.Event
) -> None:
    """Listens on 127.0.0.1:``port`` until ``stop`` is set; ``started`` once it listens."""
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: LeanSmtp(arrived), "127.0.0.1", port)
    started()
    async with server:
        await stop.wait()
