"""E-mail through a real SMTP server on loopback (aiosmtpd), as a customer's mailbox sees it."""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import pytest
from smtp_mailbox import Mailbox, free_port

from heedful.adapters.channels.smtp import SmtpSender
from heedful.core.customers.channels import Channel
from heedful.core.outreach.envelope import Envelope, SendFailed
from heedful.core.shared.clock import FrozenClock

SENT_AT = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def an_email(**changes: object) -> Envelope:
    values: dict[str, object] = {
        "message_id": "msg_01back",
        "channel": Channel.EMAIL,
        "to": "olena@example.com",
        "language": "uk",
        "subject": "Ваша чорна сумка знову в наявності",
        "text": "Вітаємо, Олено!\n\nДобра новина: чорна сумка знову в наявності.",
        "html": None,
        "unsubscribe_url": None,
        "customer_id": "cus_olena",
        "purpose": "service",
    }
    values.update(changes)
    return Envelope(**values)  # type: ignore[arg-type]


def sender_for(mailbox: Mailbox) -> SmtpSender:
    return SmtpSender(
        mailbox.host,
        mailbox.port,
        from_address="Сумки на Подолі <shop@bags.example>",
        message_id_domain="bags.example",
        clock=FrozenClock(SENT_AT),
    )


def test_the_email_arrives_with_a_message_id_made_from_heedfuls_id(mailbox: Mailbox) -> None:
    reference = sender_for(mailbox).send(an_email())

    [email] = mailbox.wait_for(1)
    assert email["Message-ID"] == "<msg_01back@bags.example>"
    assert reference == "<msg_01back@bags.example>"
    assert mailbox.recipients == [["olena@example.com"]]
    assert email["To"] == "olena@example.com"
    assert email["From"].addresses[0].display_name == "Сумки на Подолі"
    assert parsedate_to_datetime(email["Date"]) == SENT_AT
    assert email["Content-Language"] == "uk"
    assert email["Auto-Submitted"] == "auto-generated"


def test_a_cyrillic_subject_and_text_arrive_readable(mailbox: Mailbox) -> None:
    sender_for(mailbox).send(an_email())

    [email] = mailbox.wait_for(1)
    assert email["Subject"] == "Ваша чорна сумка знову в наявності"
    assert not email.is_multipart()
    assert email.get_content_type() == "text/plain"
    assert email.get_content().strip().endswith("чорна сумка знову в наявності.")


def test_a_resend_carries_the_same_message_id(mailbox: Mailbox) -> None:
    sender = sender_for(mailbox)
    sender.send(an_email())
    sender.send(an_email())

    mailbox.wait_for(2)
    assert mailbox.message_ids() == ["<msg_01back@bags.example>"] * 2


def test_an_unsubscribe_link_becomes_one_click_headers(mailbox: Mailbox) -> None:
    url = "https://bags.example/u/tok_123"
    sender_for(mailbox).send(an_email(unsubscribe_url=url, purpose="marketing"))

    [email] = mailbox.wait_for(1)
    assert email["List-Unsubscribe"] == f"<{url}>"
    assert email["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_no_unsubscribe_headers_without_a_link(mailbox: Mailbox) -> None:
    sender_for(mailbox).send(an_email())

    [email] = mailbox.wait_for(1)
    assert email["List-Unsubscribe"] is None


def test_html_goes_as_an_alternative_to_the_text(mailbox: Mailbox) -> None:
    html = "<p>Вітаємо, <b>Олено</b>!</p>"
    sender_for(mailbox).send(an_email(html=html))

    [email] = mailbox.wait_for(1)
    assert email.get_content_type() == "multipart/alternative"
    plain = email.get_body(preferencelist=("plain",))
    rich = email.get_body(preferencelist=("html",))
    assert plain is not None
    assert rich is not None
    assert "Добра новина" in plain.get_content()
    assert rich.get_content().strip() == html


@pytest.mark.parametrize("at", ["rcpt", "data"])
def test_try_again_later_is_a_temporary_failure(mailbox: Mailbox, at: str) -> None:
    mailbox.reply_next(451, at=at)  # type: ignore[arg-type]

    with pytest.raises(SendFailed) as failure:
        sender_for(mailbox).send(an_email())

    assert failure.value.temporary
    assert "451" in failure.value.reason
    assert "try again later" in failure.value.reason
    assert mailbox.messages == []


@pytest.mark.parametrize(("code", "at"), [(550, "rcpt"), (553, "rcpt"), (554, "data")])
def test_no_such_mailbox_is_a_permanent_failure(mailbox: Mailbox, code: int, at: str) -> None:
    mailbox.reply_next(code, at=at)  # type: ignore[arg-type]

    with pytest.raises(SendFailed) as failure:
        sender_for(mailbox).send(an_email())

    assert not failure.value.temporary
    assert str(code) in failure.value.reason


def test_the_next_attempt_after_a_refusal_goes_through(mailbox: Mailbox) -> None:
    mailbox.reply_next(451)
    sender = sender_for(mailbox)
    with pytest.raises(SendFailed):
        sender.send(an_email())

    sender.send(an_email())

    assert mailbox.message_ids() == ["<msg_01back@bags.example>"]


def test_a_server_that_is_not_there_is_a_temporary_failure() -> None:
    closed = free_port()
    sender = SmtpSender("127.0.0.1", closed, "shop@bags.example", "bags.example", timeout=5)

    with pytest.raises(SendFailed) as failure:
        sender.send(an_email())

    assert failure.value.temporary
    assert f"127.0.0.1:{closed}" in failure.value.reason


def test_an_address_that_cannot_be_written_is_a_permanent_failure(mailbox: Mailbox) -> None:
    with pytest.raises(SendFailed) as failure:
        sender_for(mailbox).send(an_email(to="olena@example.com\r\nBcc: all@example.com"))

    assert not failure.value.temporary
    assert mailbox.messages == []


def test_a_batch_goes_over_several_connections_and_each_email_arrives_once(
    mailbox: Mailbox,
) -> None:
    sender = sender_for(mailbox)
    batch = [an_email(message_id=f"msg_{n:02d}", to=f"k{n}@example.com") for n in range(12)]

    results = sender.send_many(batch, lambda: True)
    sender.close()

    assert results == [f"<msg_{n:02d}@bags.example>" for n in range(12)]
    assert sorted(mailbox.message_ids()) == sorted(str(r) for r in results)
    assert sorted(mail["To"] for mail in mailbox.wait_for(12)) == sorted(
        f"k{n}@example.com" for n in range(12)
    )


def test_a_refusal_in_a_batch_is_that_emails_alone(mailbox: Mailbox) -> None:
    mailbox.reply_next(550, at="rcpt")
    sender = SmtpSender(
        mailbox.host, mailbox.port, "shop@bags.example", "bags.example", connections=1
    )

    first, second = sender.send_many([an_email(), an_email(message_id="msg_02")], lambda: True)

    assert isinstance(first, SendFailed)
    assert not first.temporary
    assert second == "<msg_02@bags.example>"
    assert mailbox.message_ids() == ["<msg_02@bags.example>"]


def test_a_batch_told_to_stop_leaves_the_rest_untried(mailbox: Mailbox) -> None:
    sender = SmtpSender(
        mailbox.host, mailbox.port, "shop@bags.example", "bags.example", connections=1
    )
    answers = iter([True, False])

    results = sender.send_many(
        [an_email(message_id=f"msg_{n}") for n in range(3)], lambda: next(answers, False)
    )

    assert results == ["<msg_0@bags.example>", None, None]
    assert mailbox.message_ids() == ["<msg_0@bags.example>"]
