"""Heedful: a self-hosted proactive customer-experience engine."""

__version__ = "0.1.0"
