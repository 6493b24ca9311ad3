"""Building the senders from settings: each channel that is on reaches its real server."""

from __future__ import annotations

import pytest
from smtp_mailbox import Mailbox
from webhook_receiver import WebhookReceiver

from heedful.adapters.channels.senders import (
    ChannelSettings,
    build_senders,
    close_senders,
    webhook_channels,
)
from heedful.core.customers.channels import Channel
from heedful.core.outreach.envelope import Envelope
from heedful.core.shared.clock import FrozenClock


def an_envelope(channel: Channel, to: str) -> Envelope:
    return Envelope(
        message_id=f"msg_{channel.value}",
        channel=channel,
        to=to,
        language="en",
        subject="Back in stock" if channel is Channel.EMAIL else "",
        text="Good news: the black handbag is back.",
        html=None,
        unsubscribe_url=None,
        customer_id="cus_anna",
        purpose="service",
    )


def test_every_channel_that_is_on_reaches_its_server(
    mailbox: Mailbox, webhook_receiver: WebhookReceiver, clock: FrozenClock
) -> None:
    settings = ChannelSettings(
        smtp_host=mailbox.host,
        smtp_port=mailbox.port,
        mail_from="shop@bags.example",
        mail_domain="bags.example",
        sms_webhook_url=webhook_receiver.url("/sms"),
        messenger_webhook_url=webhook_receiver.url("/messenger"),
        webhook_secret="whsec_test",
    )
    senders = build_senders(settings, clock)
    try:
        senders["email"].send(an_envelope(Channel.EMAIL, "anna@example.com"))
        senders["sms"].send(an_envelope(Channel.SMS, "+380501234567"))
        senders["messenger"].send(an_envelope(Channel.MESSENGER, "@anna"))
    finally:
        close_senders(senders)

    assert mailbox.wait_for(1)[0]["Message-ID"] == "<msg_email@bags.example>"
    requests = webhook_receiver.wait_for(2)
    assert [(r.path, r.json()["to"]) for r in requests] == [
        ("/sms", "+380501234567"),
        ("/messenger", "@anna"),
    ]


def test_a_channel_without_an_address_is_off(clock: FrozenClock) -> None:
    assert build_senders(ChannelSettings(), clock) == {}
    only_sms = ChannelSettings(sms_webhook_url="http://127.0.0.1:9/sms", webhook_secret="s")
    assert set(build_senders(only_sms, clock)) == {"sms"}


def test_a_webhook_without_a_signing_secret_is_refused(clock: FrozenClock) -> None:
    with pytest.raises(ValueError, match="messenger webhook needs a signing secret"):
        build_senders(ChannelSettings(messenger_webhook_url="http://127.0.0.1:9/m"), clock)


def test_a_webhook_channel_is_switched_on_from_the_one_table(clock: FrozenClock) -> None:
    # HEEDFUL_WEBHOOK_CHANNELS: a channel needs no setting of its own, and the table wins.
    settings = ChannelSettings(
        sms_webhook_url="http://127.0.0.1:9/old-sms",
        webhooks={"sms": "http://127.0.0.1:9/sms", "messenger": "http://127.0.0.1:9/m"},
        webhook_secret="s",
    )
    assert webhook_channels(settings) == {
        Channel.SMS: "http://127.0.0.1:9/sms",
        Channel.MESSENGER: "http://127.0.0.1:9/m",
    }
    assert set(build_senders(settings, clock)) == {"sms", "messenger"}


def test_a_webhook_for_a_channel_nobody_writes_on_stops_the_start(clock: FrozenClock) -> None:
    for name in ("whatsapp", "phone", "email"):
        settings = ChannelSettings(webhooks={name: "http://127.0.0.1:9/x"}, webhook_secret="s")
        with pytest.raises(ValueError, match=f"No written channel is called {name}"):
            build_senders(settings, clock)
