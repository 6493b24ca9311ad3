"""Outreach: what Heedful tells customers, through which channel, and when it may."""
