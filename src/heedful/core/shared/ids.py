"""Identifiers: random, URL-safe and opaque, so that nothing can be guessed from one."""

from __future__ import annotations

import secrets


def new_id(prefix: str = "") -> str:
    # 16 random bytes is as much entropy as a UUID4; the prefix tells staff what an id names
    # when they paste one into a ticket ("cus_...", "prf_...").
    return f"{prefix}{secrets.token_hex(16)}"
