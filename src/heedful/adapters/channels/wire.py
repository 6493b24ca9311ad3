"""An e-mail written straight to the bytes SMTP carries, without the header registry.

``EmailMessage`` with the SMTP policy parses and folds every header through the standard
library's header registry; for the relay's e-mails that was a quarter of its CPU (ADR 52). Here
the same headers are written by hand: ASCII values as they are, others as RFC 2047 encoded words
(``email.header.Header``, the compat32 path), the bodies in base64, the parts of an HTML e-mail
as multipart/alternative. An address that is not ASCII needs SMTPUTF8, which only the
registry's path (``SmtpSender.compose`` and ``send_message``) negotiates, so such an e-mail goes
that way.
"""

from __future__ import annotations

import base64
import functools
import smtplib
from collections.abc import Callable
from dataclasses import dataclass
from email import base64mime, quoprimime
from email.charset import RFC2047_CHROME_LEN
from email.header import Header
from email.message import EmailMessage
from email.utils import formataddr, parseaddr

from heedful.core.outreach.envelope import Envelope

_CRLF = "\r\n"


@dataclass(frozen=True)
class Wire:
    message_id: str  # "<msg_...@domain>", what the receiver keys a repeat on
    sender: str
    recipient: str
    raw: bytes | None  # None: ``email`` goes through the registry's path
    email: EmailMessage | None = None

    def send_over(self, server: smtplib.SMTP) -> None:
        if self.raw is not None:
            server.sendmail(self.sender, [self.recipient], self.raw)
        elif self.email is not None:
            server.send_message(self.email)


def written(
    envelope: Envelope,
    from_address: str,
    message_id: str,
    date: str,
    compose: Callable[[Envelope], EmailMessage],
) -> Wire:
    """The e-mail ready for the wire; raises ValueError for what no server should be sent."""
    sender, from_header = _from(from_address)
    recipient = envelope.to
    for value in (from_address, recipient, envelope.subject, envelope.in_reply_to):
        if "\r" in value or "\n" in value:
            raise ValueError(f"a header cannot hold a line break: {value!r}")
    if not (sender.isascii() and recipient.isascii()):
        email = compose(envelope)
        return Wire(message_id, sender, recipient, None, email)
    headers = [
        ("Message-ID", message_id),
        ("Date", date),
        ("From", from_header),
        ("To", recipient),
        ("Subject", _text(envelope.subject, "Subject")),
    ]
    if envelope.in_reply_to:
        # A person's reply in a conversation (RFC 5322 3.6.4): threaded under the customer's
        # message, and not marked automatic, since an agent wrote it.
        headers.append(("In-Reply-To", envelope.in_reply_to))
        if envelope.references:
            headers.append(("References", " ".join(envelope.references)))
    else:
        # RFC 3834: auto-responders must not answer, so no vacation-reply ping-pong.
        headers.append(("Auto-Submitted", "auto-generated"))
    if envelope.unsubscribe_url:
        # RFC 8058 one-click: mail clients show "Unsubscribe" and POST to the URL themselves.
        headers.append(("List-Unsubscribe", f"<{envelope.unsubscribe_url}>"))
        headers.append(("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"))
    headers.append(("MIME-Version", "1.0"))
    if envelope.language:
        headers.append(("Content-Language", envelope.language))
    head = "".join(f"{key}: {value}{_CRLF}" for key, value in headers)
    if envelope.html is None:
        body = _part("plain", envelope.text)
    else:
        # Base64 lines never hold a "-", so no body line can be taken for the boundary.
        boundary = f"=_heedful-{envelope.message_id}"
        body = (
            f'Content-Type: multipart/alternative; boundary="{boundary}"{_CRLF}{_CRLF}'
            f"--{boundary}{_CRLF}{_part('plain', envelope.text)}{_CRLF}"
            f"--{boundary}{_CRLF}{_part('html', envelope.html)}{_CRLF}"
            f"--{boundary}--{_CRLF}"
        )
    raw = (head + body).encode("ascii")
    return Wire(message_id, sender, recipient, raw)


def _part(subtype: str, content: str) -> str:
    encoded = base64.encodebytes(content.encode("utf-8")).decode("ascii")
    return (
        f'Content-Type: text/{subtype}; charset="utf-8"{_CRLF}'
        f"Content-Transfer-Encoding: base64{_CRLF}{_CRLF}"
        f"{encoded.replace(chr(10), _CRLF)}"
    )


@functools.lru_cache(maxsize=16)
def _from(from_address: str) -> tuple[str, str]:
    """The sender's address and its From header: one per sender, parsed once, not per e-mail."""
    name, sender = parseaddr(from_address)
    return sender, _address(name, sender)


def _address(name: str, address: str) -> str:
    if not name:
        return address
    if name.isascii():
        return formataddr((name, address))
    return formataddr((name, address), charset="utf-8")


# A restock tells everyone waiting for the bag the same subject in her language: encoding a
# Cyrillic subject through email.header was half of writing such an e-mail (ADR 79).
@functools.lru_cache(maxsize=1024)
def _text(value: str, header: str) -> str:
    """A header's text: as it is when short ASCII, else encoded and folded (RFC 2047, 5322)."""
    if value.isascii() and len(value) + len(header) + 2 <= 78:
        return value
    # One line (email.header drops what a line break like U+2028 ends) of a short header name.
    if value.isascii() or value.splitlines() != [value] or len(header) > 30:
        charset = "us-ascii" if value.isascii() else "utf-8"
        return Header(value, charset, header_name=header).encode(linesep=_CRLF)
    return (_CRLF + " ").join(_encoded_words(value, 78 - len(header) - 2))


# email.header's chrome around an encoded word: "=?utf-8?b?" and "?=".
_CHROME = len("utf-8") + RFC2047_CHROME_LEN


def _encoded_words(value: str, first: int) -> list[str]:
    """``value``'s RFC 2047 encoded words, as ``email.header`` splits them, in one pass.

    The standard library measures every prefix of the text anew to find where a word must end
    (quadratic in its length: 25 us of the 37 us a Cyrillic notice took to write, ADR 79); the
    lengths only add up, so they are counted here as the characters go. Its choice and its
    encoders are used as they are: the bytes written are the same (a property test compares).
    """
    whole = value.encode("utf-8")
    base64 = base64mime.header_length(whole) < quoprimime.header_length(whole)
    encoder = base64mime if base64 else quoprimime
    words: list[str] = []
    start, size, room = 0, 0, first - _CHROME
    for position, character in enumerate(value):
        octets = character.encode("utf-8")
        if base64:
            grown = size + len(octets)
            length = (grown + 2) // 3 * 4
        else:
            grown = size + quoprimime.header_length(octets)
            length = grown
        if length > room:
            words.append(encoder.header_encode(value[start:position].encode("utf-8"), "utf-8"))
            start, room = position, 78 - 1 - _CHROME
            grown = len(octets) if base64 else quoprimime.header_length(octets)
        size = grown
    words.append(encoder.header_encode(value[start:].encode("utf-8"), "utf-8"))
    return words
