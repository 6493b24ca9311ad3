"""Channels: how one message leaves Heedful (SMTP e-mail, signed webhooks) and how it is worded."""
