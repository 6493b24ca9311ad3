"""Conversations: e-mail and chat threads per customer, answered inside their SLA clocks."""
