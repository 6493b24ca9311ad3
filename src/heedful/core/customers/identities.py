"""Identities: the ways a customer reaches us (e-mail, phone, loyalty card, messenger).

Values are normalised before they are stored or looked up, so that "+38 (067) 123-45-67" typed
at the till and "380671234567" arriving from the web shop find the same person.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from heedful.core.shared.errors import InvalidInput
from heedful.core.shared.phrases import Phrase
from heedful.core.shared.text import refuse_hidden_characters


class IdentityKind(StrEnum):
    EMAIL = "email"
    PHONE = "phone"
    LOYALTY_CARD = "loyalty_card"
    MESSENGER = "messenger"
    EXTERNAL = "external"  # an id in the business's own system (PMS, POS, core banking)


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_DIGITS = re.compile(r"\D+")
_CARD = re.compile(r"[\s-]+")


def normalise_phone(raw: str) -> str:
    """E.164-like: '+' and digits. National forms common to our markets are widened.

    Russia and Kazakhstan write '8 916 ...' for '+7 916 ...'; Ukraine writes '067 ...' for
    '+380 67 ...'. Anything else must carry its country code.
    """
    text = raw.strip()
    digits = _DIGITS.sub("", text)
    if not text.startswith("+"):
        if len(digits) == 11 and digits[0] == "8":
            digits = "7" + digits[1:]
        elif len(digits) == 10 and digits[0] == "0":
            digits = "38" + digits
    if not 8 <= len(digits) <= 15:
        raise InvalidInput(
            f"{raw!r} is not a phone number with its country code",
            said=Phrase("refusal.phone", {"value": raw}),
            field="value",
        )
    return "+" + digits


def normalise_identity(kind: IdentityKind, raw: str) -> str:
    value = raw.strip()
    if not value:
        raise InvalidInput(
            "an identity needs a value", said=Phrase("refusal.identity_value"), field="value"
        )
    # "anna@example.com" with a zero-width space in it is another identity that looks the same.
    refuse_hidden_characters(value, field="value")
    if kind is IdentityKind.EMAIL:
        value = value.lower()
        if not _EMAIL.match(value) or len(value) > 254:
            raise InvalidInput(
                f"{raw!r} is not an e-mail address",
                said=Phrase("refusal.email", {"value": raw}),
                field="value",
            )
        return value
    if kind is IdentityKind.PHONE:
        return normalise_phone(value)
    if kind is IdentityKind.LOYALTY_CARD:
        value = _CARD.sub("", value).upper()
        if not value:
            raise InvalidInput(
                "an identity needs a value", said=Phrase("refusal.identity_value"), field="value"
            )
    # Cards too: an over-long value would otherwise reach the database and fail the transaction.
    if len(value) > 200:
        raise InvalidInput(
            "an identity is at most 200 characters",
            said=Phrase("refusal.at_most_200"),
            field="value",
        )
    return value


def guess_kind(text: str) -> IdentityKind | None:
    """What a search-box entry most likely is: staff type whatever the guest hands them."""
    value = text.strip()
    if "@" in value:
        return IdentityKind.EMAIL
    digits = _DIGITS.sub("", value)
    if value.startswith("+") or (
        len(digits) >= 9 and len(digits) >= len(value.replace(" ", "")) - 4
    ):
        return IdentityKind.PHONE
    return None


@dataclass
class Identity:
    id: str
    customer_id: str
    kind: IdentityKind
    value: str
    added_at: datetime
    added_by: str
    label: str = ""  # e.g. "work", "Telegram"
