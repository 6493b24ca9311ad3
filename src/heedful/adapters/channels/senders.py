"""One Sender per channel that is switched on, built from plain settings values.

Bootstrap reads Settings and passes the values in; adapters never import heedful.config, so the
same senders can be built by a test or a script with no environment at all. A channel whose
address is blank is off: it gets no sender, and the relay routes to the channels it has.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from heedful.adapters.channels.smtp import SmtpSender
from heedful.adapters.channels.webhook import WebhookSender
from heedful.core.customers.channels import SENT_TO, Channel
from heedful.core.outreach.envelope import Sender
from heedful.core.shared.clock import Clock


@dataclass(frozen=True)
class ChannelSettings:
    smtp_host: str = ""  # blank: no e-mail
    smtp_port: int = 25
    smtp_starttls: bool = False
    smtp_username: str = ""
    smtp_password: str = ""
    mail_from: str = "Heedful <heedful@localhost>"
    mail_domain: str = "heedful.localhost"
    sms_webhook_url: str = ""  # blank: no SMS
    messenger_webhook_url: str = ""  # blank: no messengers
    # Any written channel sent by signed webhook, channel -> URL: a new channel needs no new
    # setting (``HEEDFUL_WEBHOOK_CHANNELS``). Wins over the two URLs above for the same channel.
    webhooks: Mapping[str, str] = field(default_factory=dict)
    webhook_secret: str = ""
    timeout_seconds: float = 10


def build_senders(settings: ChannelSettings, clock: Clock) -> dict[str, Sender]:
    """Senders keyed by channel ("email", "sms", "messenger"), only for channels that are on."""
    senders: dict[str, Sender] = {}
    if settings.smtp_host:
        senders[Channel.EMAIL.value] = SmtpSender(
            settings.smtp_host,
            settings.smtp_port,
            from_address=settings.mail_from,
            message_id_domain=settings.mail_domain,
            starttls=settings.smtp_starttls,
            username=settings.smtp_username,
            password=settings.smtp_password,
            timeout=settings.timeout_seconds,
            clock=clock,
        )
    for channel, url in webhook_channels(settings).items():
        if not url:
            continue
        if not settings.webhook_secret:
            # An unsigned webhook could be forged by anyone who finds the URL; refuse to start.
            raise ValueError(f"The {channel.value} webhook needs a signing secret.")
        senders[channel.value] = WebhookSender(
            url, settings.webhook_secret, clock, timeout=settings.timeout_seconds
        )
    return senders


def webhook_channels(settings: ChannelSettings) -> dict[Channel, str]:
    """The channels sent by signed webhook and their URLs; an unknown channel stops the start."""
    urls: dict[str, str] = {
        Channel.SMS.value: settings.sms_webhook_url,
        Channel.MESSENGER.value: settings.messenger_webhook_url,
        **settings.webhooks,
    }
    written = {channel.value: channel for channel in SENT_TO if channel is not Channel.EMAIL}
    unknown = sorted(set(urls) - set(written))
    if unknown:
        raise ValueError(
            f"No written channel is called {', '.join(unknown)}: "
            f"webhook channels are {', '.join(sorted(written))}."
        )
    return {written[name]: url for name, url in urls.items()}


def close_senders(senders: dict[str, Sender]) -> None:
    """Release pooled connections (webhook clients) when the worker stops."""
    for sender in senders.values():
        if isinstance(sender, WebhookSender | SmtpSender):
            sender.close()
