"""The test bench's mail servers (ADR 87): Heedful's own SMTP sender delivers through either
one, and the benchmark sees each trial's e-mail and counts the background's."""

from __future__ import annotations

import smtplib
import socket
from collections import Counter

import pytest

from bench.lean_smtp import MOST_LINE
from bench.restock_to_smtp import SMTP_SERVERS, smtp_sink
from heedful.adapters.channels.smtp import SmtpSender
from heedful.core.customers.channels import Channel
from heedful.core.outreach.envelope import Envelope

pytestmark = pytest.mark.slow


def an_email(message_id: str, to: str = "olena@example.com", text: str = "It is back.") -> Envelope:
    return Envelope(
        message_id=message_id, channel=Channel.EMAIL, to=to, language="uk",
        subject="Ваша сумка знову в наявності", text=text, html=None, unsubscribe_url=None,
        customer_id="cus_olena", purpose="service",
    )  # fmt: skip


def _sender(port: int) -> SmtpSender:
    return SmtpSender("127.0.0.1", port, "shop@bags.example", "bags.example")


@pytest.mark.parametrize("server", SMTP_SERVERS)
def test_a_trials_email_is_noted_by_its_id_and_the_backgrounds_are_counted(server: str) -> None:
    with smtp_sink("@load.example.org", server) as (port, sink):
        sender = _sender(port)
        mark = sink.mark()
        # A line that begins with a dot goes doubled, and must not end the e-mail early.
        sender.send(an_email(message_id="msg_trial", text="Dear Olena,\n.\n..and it is back."))
        for n in range(3):
            sender.send(an_email(message_id=f"msg_bg{n}", to=f"cus{n}@load.example.org"))
        [arrival] = sink.wait_for(mark, Counter({"olena@example.com": 1}), timeout=10)
        assert (arrival.message_id, arrival.to) == ("msg_trial", "olena@example.com")
    assert sink.counted == 3  # the last count is sent as the server stops


def test_the_lean_server_refuses_what_it_does_not_know_and_what_is_too_long() -> None:
    with smtp_sink(mail_server="lean") as (port, _sink):
        client = smtplib.SMTP("127.0.0.1", port, timeout=10)
        assert client.ehlo()[0] == 250
        assert client.has_extn("pipelining")
        assert client.has_extn("smtputf8")
        assert client.docmd("VRFY", "olena")[0] == 500
        assert client.docmd("DATA")[0] == 503  # no recipient yet
        client.quit()
        with socket.create_connection(("127.0.0.1", port), timeout=10) as raw:
            raw.recv(100)  # the greeting
            raw.sendall(b"X" * (MOST_LINE + 1))
            assert raw.recv(100).startswith(b"552")
            assert raw.recv(100) == b""  # and the connection is closed
