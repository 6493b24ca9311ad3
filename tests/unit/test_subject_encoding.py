"""A subject that is not ASCII is written as email.header writes it, byte for byte.

The relay writes a notice's subject with its own one-pass split into RFC 2047 encoded words
(ADR 79); mail clients and the tests' expected e-mails know email.header's. Any text, any
length, base64 or quoted-printable words, one line or several: the same string.
"""

from __future__ import annotations

from email.header import Header

from hypothesis import given
from hypothesis import strategies as st

from heedful.adapters.channels.wire import _text

_LETTERS = st.sampled_from(
    list("абвгґдеєжзиіїйклмнопрстуфхцчшщьюяЁЖ ÀéüßÆ日本語😀")
    + list(" \tabcdefghijXYZ0123456789_=?-,;:.()\"'")
    + ["\x85", "\u2028", "\x0b", "\x0c", "\x1c"]
)


def _as_email_header_writes_it(value: str, header: str) -> str:
    if value.isascii() and len(value) + len(header) + 2 <= 78:
        return value
    charset = "us-ascii" if value.isascii() else "utf-8"
    return Header(value, charset, header_name=header).encode(linesep="\r\n")


@given(st.text(_LETTERS, max_size=300), st.sampled_from(["Subject", "X-Notice"]))
def test_a_subject_is_encoded_as_email_header_encodes_it(value: str, header: str) -> None:
    _text.cache_clear()  # the text itself, not what an earlier example left
    assert _text(value, header) == _as_email_header_writes_it(value, header)


def test_a_long_cyrillic_subject_is_folded_into_words_as_before() -> None:
    subject = "Знову в наявності: чорна шкіряна сумка Selene з довгим ременем, розмір M"
    _text.cache_clear()
    assert _text(subject, "Subject") == _as_email_header_writes_it(subject, "Subject")
    assert _text(subject, "Subject").count("\r\n ") >= 1
