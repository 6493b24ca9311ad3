"""Conversations: e-mail and chat threads per customer, answered inside their SLA clocks."""

from heedful.core.conversations.customer_records import conversations_export

__all__ = ["conversations_export"]
