"""Heedful's own SMTP listener: customers' e-mail arrives over real SMTP and lands in its thread.

aiosmtpd runs the protocol in its own thread and loop (a Controller); each message is parsed and
handed to the core's ``receive_email`` on a worker thread, and the sender hears "250" only after
the thread message is committed: durable before acknowledged. A message the core refuses (no
From, no text) gets a permanent 550; a storage failure a 451, so the sending server tries again.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Callable

import structlog
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from heedful.adapters.channels.inbound_mail import parse_email
from heedful.core.conversations.inbound import Received, receive_email
from heedful.core.shared.clock import Clock
from heedful.core.shared.errors import HeedfulError
from heedful.core.unit_of_work import UnitOfWork

log = structlog.get_logger("heedful.inbound_smtp")
MAX_MESSAGE_BYTES = 10 * 1024 * 1024


class InboundHandler:
    def __init__(
        self,
        uow_factory: Callable[[], UnitOfWork],
        clock: Clock,
        default_location_id: str | None = None,
        on_received: Callable[[Received], None] | None = None,
        trusted_authserv_id: str = "",
    ) -> None:
        self._uow_factory, self._clock = uow_factory, clock
        # The mail server in front whose Authentication-Results are believed (senders.py).
        self._trusted_authserv_id = trusted_authserv_id
        self._default_location_id = default_location_id
        self._on_received = on_received

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:  # noqa: N802 - aiosmtpd's hook name
        del server, session
        raw = envelope.original_content or envelope.content or b""
        if isinstance(raw, str):
            raw = raw.encode("utf-8", "surrogateescape")
        recipients = tuple(str(r) for r in envelope.rcpt_tos)
        try:
            received = await asyncio.to_thread(self.receive, raw, recipients)
        except HeedfulError as refused:
            log.info("inbound e-mail refused", reason=refused.message)
            return f"550 5.6.0 {refused.message}"
        except Exception:  # storage down, a bug: the sender keeps it and tries again later
            log.exception("inbound e-mail not stored")
            return "451 4.3.0 Could not store the message, try again later"
        if self._on_received is not None:
            self._on_received(received)
        return "250 2.0.0 OK"

    def receive(self, raw: bytes, recipients: tuple[str, ...]) -> Received:
        return receive_email(
            parse_email(raw, recipients),
            self._uow_factory(),
            self._clock,
            default_location_id=self._default_location_id,
            trusted_authserv_id=self._trusted_authserv_id,
        )


class _Controller(Controller):
    def factory(self) -> SMTP:
        return SMTP(self.handler, enable_SMTPUTF8=True, data_size_limit=MAX_MESSAGE_BYTES)


def start_inbound_smtp(handler: InboundHandler, host: str, port: int) -> Controller:
    """Listening on host:port until ``.stop()``; port 0 picks a free one (see ``.port``)."""
    if port == 0:
        # aiosmtpd checks readiness by connecting to the port it was given: find one first.
        with socket.socket() as probe:
            probe.bind((host, 0))
            port = probe.getsockname()[1]
    controller = _Controller(handler, hostname=host, port=port)
    controller.start()
    return controller
