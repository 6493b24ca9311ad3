"""Playbooks: declarative, versioned rules the engine runs on every business event, and the
look-ahead ones that read the business's state ahead of time (ADR 0040)."""

from heedful.core.playbooks.firing import PlaybookIndex, fire_playbooks
from heedful.core.playbooks.lookahead import (
    LookAheadReport,
    evaluate_all,
    reconsider,
    reconsider_tonight,
)
from heedful.core.playbooks.model import Subject
from heedful.core.playbooks.state import (
    StateObject,
    account_object,
    booking_object,
    order_object,
    pickup_object,
)

__all__ = [
    "LookAheadReport",
    "PlaybookIndex",
    "StateObject",
    "Subject",
    "account_object",
    "booking_object",
    "evaluate_all",
    "fire_playbooks",
    "order_object",
    "pickup_object",
    "reconsider",
    "reconsider_tonight",
]
