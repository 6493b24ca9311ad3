"""The relay's SMTP client says MAIL FROM and RCPT TO exactly as smtplib says them.

It skips smtplib's address parsing for plain addresses (ADR 79); the server must see the same
command lines whatever the address (plain, with a display name, quoted, not ASCII) and options.
"""

from __future__ import annotations

import smtplib
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from heedful.adapters.channels.smtp import _PLAIN_ADDRESS, _Client

_ADDRESSES = st.one_of(
    st.from_regex(_PLAIN_ADDRESS, fullmatch=True),
    st.text(st.sampled_from(list('ab.@<> "(),;:олена+-_=')), max_size=30),
    st.sampled_from(["Olena <olena@example.com>", "olena@example.com", "клієнт@example.test"]),
)
_OPTIONS = st.lists(st.sampled_from(["size=1024", "BODY=8BITMIME", "SMTPUTF8"]), max_size=2)


def _said(client_class: type[smtplib.SMTP], esmtp: bool, command: str, *args: Any) -> Any:
    client = client_class()  # no host: nothing is connected
    client.does_esmtp = esmtp
    lines: list[tuple[str, str]] = []

    def put(cmd: str, args: str = "") -> None:
        lines.append((cmd, args))

    client.putcmd = put  # type: ignore[method-assign]
    client.getreply = lambda: (250, b"OK")  # type: ignore[method-assign]
    try:
        reply = getattr(client, command)(*args)
    except smtplib.SMTPException as refused:  # SMTPUTF8 asked of a server without it
        reply = type(refused).__name__
    return lines, reply


@given(_ADDRESSES, _OPTIONS, st.booleans())
def test_mail_from_and_rcpt_to_are_the_lines_smtplib_sends(
    address: str, options: list[str], esmtp: bool
) -> None:
    for command in ("mail", "rcpt"):
        assert _said(_Client, esmtp, command, address, options) == _said(
            smtplib.SMTP, esmtp, command, address, options
        )
