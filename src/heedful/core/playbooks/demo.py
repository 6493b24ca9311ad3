"""The demo's playbooks, as data: the bank that calls first, the hotel deal, brand X in size M.

Each is the JSON a manager would write (docs/decisions/0016-playbooks.md); the demo loads them
through ``create_playbook`` and enables them, so they pass the same validation as anyone's.
"""

from __future__ import annotations

from typing import Any

# Seed 002: the bank sees that tomorrow's charge will be declined for lack of funds and calls
# its VIP client first, with the authority to raise the limit, instead of waiting for the
# decline. Only clients who agreed to service calls are called.
BANK_CALL_BEFORE_DECLINE: dict[str, Any] = {
    "name": "VIP: call before a decline",
    "trigger": {
        "event": "heedful.charge.scheduled",
        "where": [{"field": "data.amount", "op": ">", "value_of": "data.balance"}],
    },
    "customer": {"segment": ["vip"], "consent": {"channel": "phone", "purpose": "service"}},
    "actions": [
        {
            "do": "create_task",
            "kind": "call_customer",
            "title": (
                "Call {{customer.name}}: offer a limit increase before the charge of "
                "{{data.amount}} {{data.currency}}"
            ),
            "assign_to": "relationship_manager",
            "due_in_minutes": 240,
            "goodwill": {"amount": 500, "currency": "UAH"},
        }
    ],
    "once_per_customer": None,
}

# Seed 004: the travel agent who sees a good price at a client's favourite hotel tells them.
# The offer names no customer, so the guests are chosen by their stays there: the 500 most recent
# (a stated cap; the guests it leaves out are reported with the event).
HOTEL_DEAL_AT_FAVOURITE_HOTEL: dict[str, Any] = {
    "name": "A deal at the guest's favourite hotel",
    "trigger": {"event": "heedful.offer.published", "where": []},
    "audience": {"history_at": "data.location", "within_days": 730, "limit": 500},
    "customer": {
        "history": {"visits_at_least": 1, "at_event_location": True},
        "consent": {"channel": "email", "purpose": "marketing"},
    },
    "actions": [
        {"do": "send_message", "template": "offer_at_favourite_place", "purpose": "marketing"}
    ],
    "once_per_customer": "P30D",
}

# Seed 004: "the shop assistant calls the customer who likes brand X trousers when they arrive:
# we have your size". The stock system sends the brand as an extra field of the event.
BRAND_IN_YOUR_SIZE: dict[str, Any] = {
    "name": "Your brand, in your size",
    "trigger": {
        "event": "heedful.stock.changed",
        "where": [
            {"field": "data.brand", "op": "exists"},
            {"field": "data.quantity", "op": ">", "value": 0},
        ],
    },
    "audience": {"preference": {"category": "brand", "subject_of": "data.brand"}},
    "customer": {"preference": {"category": "size", "subject_of": "data.size"}},
    "actions": [{"do": "send_message", "template": "liked_item_in_stock", "purpose": "service"}],
    "once_per_customer": "P30D",
}

DEMO_PLAYBOOKS: tuple[dict[str, Any], ...] = (
    BANK_CALL_BEFORE_DECLINE,
    HOTEL_DEAL_AT_FAVOURITE_HOTEL,
    BRAND_IN_YOUR_SIZE,
)
