"""Outreach: what Heedful tells customers, through which channel, and when it may."""

from heedful.core.outreach.default_templates import DEFAULT_TEMPLATES
from heedful.core.outreach.handlers import list_messages
from heedful.core.outreach.outbox import Message, MessageStatus
from heedful.core.outreach.policy import Suppress, choose_channel
from heedful.core.outreach.templates import MessageTemplate

__all__ = [
    "DEFAULT_TEMPLATES",
    "Message",
    "MessageStatus",
    "MessageTemplate",
    "Suppress",
    "choose_channel",
    "list_messages",
]
