"""E-mail through an SMTP server (stdlib smtplib; synchronous, the worker calls it from a thread).

Connections are kept for the next messages for a few seconds (a restock tells many customers in
a row; connecting and greeting again for each costs more than the message), and opened afresh
when the server has closed one meanwhile. A batch goes over up to ``connections`` of them at
once, each in a thread of a small pool: the time goes in waiting for the server's replies, and
a socket waiting releases the interpreter to the others (ADR 52). The Message-ID derives from
Heedful's message id, so if a worker dies between the server's "250" and recording it, the
resent copy carries the same Message-ID and mail systems and people can tell it for the repeat
it is.
"""

from __future__ import annotations

import re
import smtplib
import ssl
import threading
import time
from collections.abc import Callable, Sequence
from email.message import EmailMessage
from email.policy import SMTP as SMTP_POLICY
from email.utils import format_datetime

from heedful.adapters.channels.lanes import Lanes
from heedful.adapters.channels.wire import Wire, written
from heedful.adapters.clock import SystemClock
from heedful.core.outreach.envelope import Envelope, SendFailed, Sent
from heedful.core.shared.clock import Clock

_PERMANENT_FROM = 500
# Servers commonly drop an idle client after a minute or more; well inside that, and short
# enough that a worker between bursts holds no connection.
KEEP_ALIVE_SECONDS = 5.0
# Connections one batch is spread over. A handful hides the server's round trips (four per
# e-mail) without looking like a flood to a provider that limits concurrent sessions.
CONNECTIONS = 4


class SmtpSender:
    def __init__(
        self,
        host: str,
        port: int,
        from_address: str,
        message_id_domain: str,
        starttls: bool = False,
        username: str = "",
        password: str = "",
        timeout: float = 10,
        clock: Clock | None = None,
        connections: int = CONNECTIONS,
    ) -> None:
        self.host, self.port = host, port
        self.from_address = from_address
        self.message_id_domain = message_id_domain
        self.starttls = starttls
        self.username, self._password = username, password
        self.timeout = timeout
        self._clock: Clock = clock or SystemClock()
        self._lock = threading.Lock()
        self._idle: list[tuple[smtplib.SMTP, float]] = []  # (connection, last used), newest last
        self._lanes = Lanes(connections, "smtp")

    def send(self, envelope: Envelope) -> str:
        wire = self._written(envelope)
        self._guarded(wire)
        return wire.message_id

    def send_many(self, envelopes: Sequence[Envelope], go_on: Callable[[], bool]) -> list[Sent]:
        """The batch dealt over the connections in turn; each lane sends its share in order."""
        return self._lanes.send(self.send, envelopes, go_on)

    def _written(self, envelope: Envelope) -> Wire:
        try:
            return written(
                envelope,
                self.from_address,
                f"<{envelope.message_id}@{self.message_id_domain}>",
                format_datetime(self._clock.now()),
                self.compose,
            )
        except (ValueError, TypeError, UnicodeError) as error:
            # A broken address or header never gets better by retrying.
            raise SendFailed(f"cannot write the e-mail: {error}", temporary=False) from error

    def _guarded(self, wire: Wire) -> None:
        try:
            self._deliver(wire)
        except smtplib.SMTPRecipientsRefused as error:
            code, reply = next(iter(error.recipients.values()))
            raise _by_code(code, reply, "refused the recipient") from error
        except smtplib.SMTPAuthenticationError as error:
            # Our credentials, not this message: permanent would kill every message in the queue
            # until someone fixes the password, so it is retried like a server that is down.
            raise SendFailed(
                f"the mail server refused our login: {error.smtp_code} {_text(error.smtp_error)}",
                temporary=True,
            ) from error
        except smtplib.SMTPResponseException as error:  # MAIL FROM, DATA, STARTTLS, HELO
            raise _by_code(error.smtp_code, error.smtp_error, "refused the message") from error
        except smtplib.SMTPNotSupportedError as error:  # e.g. a non-ASCII address, no SMTPUTF8
            raise SendFailed(f"the mail server cannot take it: {error}", temporary=False) from error
        except (smtplib.SMTPException, OSError) as error:  # refused, reset, timed out, TLS
            raise SendFailed(
                f"cannot reach the mail server {self.host}:{self.port}: {error!r}", temporary=True
            ) from error

    def compose(self, envelope: Envelope) -> EmailMessage:
        """The e-mail through the standard library's header registry.

        Public so a preview can show the headers; sending writes the same headers by the
        cheaper path of wire.py, and comes here only for what that path leaves to it (an
        address that needs SMTPUTF8).
        """
        email = EmailMessage(policy=SMTP_POLICY)
        email["Message-ID"] = f"<{envelope.message_id}@{self.message_id_domain}>"
        email["Date"] = format_datetime(self._clock.now())
        email["From"] = self.from_address
        email["To"] = envelope.to
        email["Subject"] = envelope.subject
        if envelope.in_reply_to:
            # A person's reply in a conversation (RFC 5322 3.6.4): threaded under the customer's
            # message, and not marked automatic, since an agent wrote it.
            email["In-Reply-To"] = envelope.in_reply_to
            if envelope.references:
                email["References"] = " ".join(envelope.references)
        else:
            # RFC 3834: auto-responders must not answer, so no vacation-reply ping-pong.
            email["Auto-Submitted"] = "auto-generated"
        if envelope.unsubscribe_url:
            # RFC 8058 one-click: mail clients show "Unsubscribe" and POST to the URL themselves.
            email["List-Unsubscribe"] = f"<{envelope.unsubscribe_url}>"
            email["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        email.set_content(envelope.text, charset="utf-8")
        if envelope.html is not None:
            email.add_alternative(envelope.html, subtype="html", charset="utf-8")
        if envelope.language:
            # After the body: setting content drops every Content-* header set before it.
            email["Content-Language"] = envelope.language
        return email

    def _connect(self) -> smtplib.SMTP:
        server = _Client(self.host, self.port, timeout=self.timeout)
        try:
            if self.starttls:
                server.starttls(context=ssl.create_default_context())
            if self.username:
                server.login(self.username, self._password)
        except BaseException:
            server.close()
            raise
        return server

    def _take(self) -> smtplib.SMTP | None:
        """The most recently used idle connection still worth trying; stale ones are closed."""
        stale: list[smtplib.SMTP] = []
        found: smtplib.SMTP | None = None
        with self._lock:
            now = time.monotonic()
            while self._idle:
                server, last_used = self._idle.pop()
                if now - last_used > KEEP_ALIVE_SECONDS:
                    stale.append(server)
                else:
                    found = server
                    break
        for server in stale:
            _quietly_quit(server)
        return found

    def _keep(self, server: smtplib.SMTP) -> None:
        with self._lock:
            self._idle.append((server, time.monotonic()))

    def _deliver(self, wire: Wire) -> None:
        server = self._take()
        if server is not None:
            try:
                wire.send_over(server)
            except (smtplib.SMTPServerDisconnected, ConnectionError):
                # Closed by the server while idle, before it took anything: start over.
                server.close()
            except BaseException:
                _quietly_quit(server)
                raise
            else:
                self._keep(server)
                return
        server = self._connect()
        try:
            wire.send_over(server)
        except BaseException:
            _quietly_quit(server)
            raise
        self._keep(server)

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        self._lanes.close()
        for server, _ in idle:
            _quietly_quit(server)


# An address smtplib's quoteaddr gives back as "<address>" unchanged: dot-atoms around an "@".
_PLAIN_ADDRESS = re.compile(
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*"
)


class _Client(smtplib.SMTP):
    """smtplib's client, except that MAIL FROM and RCPT TO do not parse a plain address again.

    ``quoteaddr`` runs email.utils.parseaddr on each address of each e-mail (16 us of the
    lane's CPU per notice, ADR 79) to give back "<address>" for every address the relay sends
    to; anything else (a display name, quoting, SMTPUTF8) goes the standard library's way.
    """

    def mail(self, sender: str, options: Sequence[str] = ()) -> tuple[int, bytes]:
        if not _PLAIN_ADDRESS.fullmatch(sender) or any(o.lower() == "smtputf8" for o in options):
            return super().mail(sender, options)
        listed = " " + " ".join(options) if options and self.does_esmtp else ""
        self.putcmd("mail", f"FROM:<{sender}>{listed}")
        return self.getreply()

    def rcpt(self, recip: str, options: Sequence[str] = ()) -> tuple[int, bytes]:
        if not _PLAIN_ADDRESS.fullmatch(recip):
            return super().rcpt(recip, options)
        listed = " " + " ".join(options) if options and self.does_esmtp else ""
        self.putcmd("rcpt", f"TO:<{recip}>{listed}")
        return self.getreply()


def _quietly_quit(server: smtplib.SMTP) -> None:
    try:
        server.quit()
    except (smtplib.SMTPException, OSError):
        server.close()


def _by_code(code: int, reply: bytes | str, what: str) -> SendFailed:
    # 4xx: "not now" (greylisting, a full queue); 5xx: "never" (no such mailbox, bad address).
    # Anything else (a server that says nonsense, or -1 for a dropped line) is worth a retry.
    temporary = not _PERMANENT_FROM <= code < _PERMANENT_FROM + 100
    return SendFailed(f"the mail server {what}: {code} {_text(reply)}", temporary=temporary)


def _text(reply: bytes | str) -> str:
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else reply
