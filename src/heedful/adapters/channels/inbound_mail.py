"""Reading an inbound e-mail (RFC 5322 bytes, or a webhook's JSON) into what the core receives.

Stdlib only: the ``email`` package decodes headers, charsets and transfer encodings; HTML-only
mail is turned into text with ``html.parser`` (scripts and styles dropped, block tags as lines).
"""

from __future__ import annotations

import email
import html
import re
from collections.abc import Iterable, Mapping
from email.message import EmailMessage, Message
from email.policy import default as default_policy
from email.utils import getaddresses, parseaddr
from html.parser import HTMLParser

from heedful.core.conversations.inbound import InboundEmail
from heedful.core.shared.errors import InvalidInput

_BLOCKS = frozenset({"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "blockquote", "hr"})


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        del attrs
        if tag in ("script", "style", "head"):
            self._skipping += 1
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "head"):
            self._skipping = max(self._skipping - 1, 0)
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def html_to_text(markup: str) -> str:
    parser = _Text()
    parser.feed(markup)
    parser.close()
    text = html.unescape("".join(parser.parts))
    lines = (" ".join(line.split()) for line in text.splitlines())
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def parse_email(raw: bytes, envelope_to: Iterable[str] = ()) -> InboundEmail:
    """The e-mail as the core takes it; the SMTP envelope's recipients stand in for a missing To."""
    message = email.message_from_bytes(raw, policy=default_policy)
    assert isinstance(message, EmailMessage)
    name, address = parseaddr(str(message.get("From", "")))
    if not address:
        raise InvalidInput("the e-mail has no From address", field="from")
    to = tuple(
        addr for _, addr in getaddresses([str(v) for v in message.get_all("To", [])]) if addr
    )
    return InboundEmail(
        from_address=address,
        from_name=name,
        to_addresses=to or tuple(envelope_to),
        subject=str(message.get("Subject", "")),
        text=_text_of(message),
        message_id=str(message.get("Message-ID", "")),
        in_reply_to=str(message.get("In-Reply-To", "")),
        references=tuple(str(v) for v in message.get_all("References", [])),
        authentication_results=tuple(str(v) for v in message.get_all("Authentication-Results", [])),
    )


def _text_of(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    content = _content(part)
    return html_to_text(content) if part.get_content_type() == "text/html" else content


def _content(part: Message) -> str:
    try:
        content = part.get_content()  # type: ignore[attr-defined]
    except (LookupError, ValueError):
        # An unknown or lying charset: the bytes as Latin-1 rather than nothing at all.
        payload = part.get_payload(decode=True)
        return payload.decode("latin-1") if isinstance(payload, bytes) else ""
    return content if isinstance(content, str) else ""


def from_webhook(payload: Mapping[str, object]) -> InboundEmail:
    """The common JSON of inbound-mail webhooks: from, to, subject, text, html, headers."""
    headers = payload.get("headers") or {}
    if not isinstance(headers, Mapping):
        raise InvalidInput("headers is an object of header names and values", field="headers")
    by_name = {str(k).lower(): str(v) for k, v in headers.items()}
    name, address = parseaddr(str(payload.get("from") or ""))
    if not address:
        raise InvalidInput("say who the e-mail is from", field="from")
    raw_to = payload.get("to") or ()
    to_values = [raw_to] if isinstance(raw_to, str) else [str(v) for v in raw_to]  # type: ignore[attr-defined]
    text = str(payload.get("text") or "")
    if not text.strip() and payload.get("html"):
        text = html_to_text(str(payload.get("html")))
    return InboundEmail(
        from_address=address,
        from_name=name,
        to_addresses=tuple(addr for _, addr in getaddresses(to_values) if addr),
        subject=str(payload.get("subject") or ""),
        text=text,
        message_id=by_name.get("message-id", ""),
        in_reply_to=by_name.get("in-reply-to", ""),
        references=(by_name["references"],) if by_name.get("references") else (),
        authentication_results=(
            (by_name["authentication-results"],) if by_name.get("authentication-results") else ()
        ),
    )
