"""A local mail server for the demo: e-mail Heedful sends is received here and written to the log.

Without it the demo's e-mail would have nowhere to go and end in the dead-letter list. It only
listens on the loopback interface, and only when nothing else already serves that port.
"""

from __future__ import annotations

import socket
from email import message_from_bytes
from email.header import decode_header, make_header
from typing import Any

import structlog
from aiosmtpd.controller import Controller

log = structlog.get_logger("heedful.demo_mailbox")


class _Handler:
    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        del server, session
        email = message_from_bytes(envelope.content)
        subject = str(make_header(decode_header(email.get("Subject", ""))))
        log.info("demo mailbox received", to=email.get("To"), subject=subject)
        return "250 OK"


def _port_taken(host: str, port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.2)
        return probe.connect_ex((host, port)) == 0


def start_demo_mailbox(host: str, port: int) -> Controller | None:
    if host not in ("127.0.0.1", "localhost", "::1") or _port_taken(host, port):
        return None
    controller = Controller(_Handler(), hostname=host, port=port, ready_timeout=10)
    controller.start()
    log.info("demo mailbox listening", host=host, port=port)
    return controller
