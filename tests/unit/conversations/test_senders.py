"""What the receiving mail server said of an e-mail's sender, read from Authentication-Results."""

from __future__ import annotations

import pytest

from heedful.adapters.channels.inbound_mail import parse_email
from heedful.core.conversations.senders import SenderProof, check_mail

MX = "mx.shop.example"


@pytest.mark.parametrize(
    ("header", "proof"),
    [
        (f"{MX}; dkim=pass header.d=example.com header.s=sel", SenderProof.DKIM),
        (f"{MX}; dkim=pass header.d=mail.example.com", None),  # signed for a narrower domain
        (f"{MX}; dkim=pass header.d=Example.COM", SenderProof.DKIM),
        ("MX.SHOP.EXAMPLE 1; spf=pass smtp.mailfrom=bounces+x@example.com", SenderProof.SPF),
        (f"{MX}; spf=pass smtp.mailfrom=example.com", SenderProof.SPF),
        (f"{MX}; spf=neutral smtp.mailfrom=example.com", None),
        (
            f"{MX}; dkim=fail header.d=example.com; spf=pass smtp.mailfrom=x@evil.example",
            None,
        ),
        (f"{MX}; dkim=pass (good) header.d=evil.example; dmarc=pass header.from=example.com", None),
        (f"{MX}; none", None),
        ("mx.evil.example; dkim=pass header.d=example.com", None),
        (f"{MX} (comment; with a semicolon) ; dkim=pass header.d=example.com", SenderProof.DKIM),
    ],
)
def test_only_a_pass_for_the_from_domain_said_by_our_server_counts(
    header: str, proof: SenderProof | None
) -> None:
    assert check_mail("anna@example.com", (header,), MX).proof is proof


def test_a_subdomain_sender_is_covered_by_its_organisations_signature() -> None:
    header = f"{MX}; dkim=pass header.d=example.com"

    assert check_mail("news@shop.example.com", (header,), MX).proof is SenderProof.DKIM
    assert check_mail("anna@notexample.com", (header,), MX).proof is None


def test_nothing_is_believed_when_no_server_is_configured() -> None:
    header = f"{MX}; dkim=pass header.d=example.com"

    check = check_mail("anna@example.com", (header,), "")

    assert check.proof is None
    assert check.authentication == ""


def test_the_smtp_reader_hands_every_authentication_results_header_over() -> None:
    raw = (
        b"Authentication-Results: mx.evil.example; dkim=pass header.d=example.com\r\n"
        b"Authentication-Results: mx.shop.example; dkim=pass header.d=example.com\r\n"
        b"From: Anna <anna@example.com>\r\nTo: berlin@shop.example\r\n"
        b"Subject: hi\r\nMessage-ID: <a@example.com>\r\n\r\nHello\r\n"
    )

    mail = parse_email(raw)
    check = check_mail(mail.from_address, mail.authentication_results, MX)

    assert len(mail.authentication_results) == 2
    assert check.proof is SenderProof.DKIM
    assert check.authentication == "mx.shop.example; dkim=pass header.d=example.com"
