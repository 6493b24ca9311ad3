"""Outreach: what Heedful tells customers, through which channel, and when it may."""

from heedful.core.outreach.contact_settings import (
    ContactSettings,
    OwnContactRules,
    PurposeRules,
    business_rules,
    channels_for,
    rules_for,
)
from heedful.core.outreach.default_templates import DEFAULT_TEMPLATES
from heedful.core.outreach.envelope import (
    BatchSender,
    Composed,
    Composer,
    Envelope,
    Sender,
    SendFailed,
    Sent,
    send_batch,
)
from heedful.core.outreach.handlers import list_messages
from heedful.core.outreach.outbox import Message, MessageStatus
from heedful.core.outreach.policy import (
    WRITTEN_CHANNELS,
    Cap,
    ContactRules,
    Hold,
    Suppress,
    choose_channel,
    decide,
)
from heedful.core.outreach.templates import MessageTemplate

__all__ = [
    "DEFAULT_TEMPLATES",
    "WRITTEN_CHANNELS",
    "BatchSender",
    "Cap",
    "Composed",
    "Composer",
    "ContactRules",
    "ContactSettings",
    "Envelope",
    "Hold",
    "Message",
    "MessageStatus",
    "MessageTemplate",
    "OwnContactRules",
    "PurposeRules",
    "SendFailed",
    "Sender",
    "Sent",
    "Suppress",
    "business_rules",
    "channels_for",
    "choose_channel",
    "decide",
    "list_messages",
    "rules_for",
    "send_batch",
]
