"""Business events in: CloudEvents from shops, hotels and banks, stored once, in arrival order."""

from heedful.core.events.fields import parse_timestamp
from heedful.core.events.model import BusinessEvent, StoredEvent
from heedful.core.events.references import (
    OUTSIDE_SCOPE,
    customer_named,
    location_named,
    sender_may_name,
)
from heedful.core.events.types import CONVERSATION_RESOLVED, CUSTOMER, data_problem, known_type
from heedful.core.events.vocabulary import acts_as, custom_type

__all__ = [
    "CONVERSATION_RESOLVED",
    "CUSTOMER",
    "OUTSIDE_SCOPE",
    "BusinessEvent",
    "StoredEvent",
    "acts_as",
    "custom_type",
    "customer_named",
    "data_problem",
    "known_type",
    "location_named",
    "parse_timestamp",
    "sender_may_name",
]
