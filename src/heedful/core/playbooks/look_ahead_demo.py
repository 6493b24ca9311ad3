"""The look-ahead playbooks of seeds 002 and 004, as the JSON a manager writes (ADR 0040).

Each reads the business's state ahead of time: tomorrow's arrivals, tomorrow morning's charges,
deliveries due within three days. Tests, the docs and the demo use these same documents.
"""

from __future__ import annotations

from typing import Any

# Seed 004: "I don't drink sparkling water: don't put it in my minibar." Tomorrow's guests whose
# stated wishes need preparing get their room made up the evening before, in business time.
PREPARE_ROOMS_FOR_TOMORROW: dict[str, Any] = {
    "name": "Housekeeping: prepare tomorrow's rooms to the guests' wishes",
    "trigger": {
        "state": "stays",
        "horizon": {"days_ahead": 1},
        "where": [{"field": "data.wishes", "op": "!=", "value": ""}],
    },
    "actions": [
        {
            "do": "create_task",
            "title": "Room {{data.room}} for {{customer.name}} ({{data.starts_at}}): "
            "{{data.wishes}}",
            "assign_to": "role:agent",
            "due_by": "day_before",
        }
    ],
}

# Seed 002: the bank sees tomorrow morning's charge will be declined. A VIP's relationship
# manager calls first and offers to raise the limit, as an exception said aloud; everyone else
# hears it from the bank before the charge, not from the decline.
CALL_BEFORE_THE_CHARGE: dict[str, Any] = {
    "name": "Before a charge that would be declined",
    "trigger": {
        "state": "charges",
        "horizon": {"days_ahead": 1, "before": "08:00"},
        "where": [{"field": "data.charge_uncovered", "op": "=", "value": True}],
    },
    "branches": [
        {
            "name": "VIP",
            "when": {"customer": {"segment": ["vip"]}},
            "actions": [
                {
                    "do": "create_task",
                    "kind": "call_customer",
                    "title": "Call {{customer.name}}: the charge of {{data.charge}} "
                    "{{data.currency}} at {{data.charge_at}} is {{data.shortfall}} short",
                    "note": "Offer to raise the limit, as an exception",
                    "assign_to": "owner",
                    "due_by": "object_time",
                    "goodwill": {"amount": 5000, "currency": "UAH"},
                }
            ],
        }
    ],
    "actions": [{"do": "send_message", "template": "charge_will_fail"}],
}

# The shop: the carrier's day is later than the day promised. She is told first, with a new
# dated promise the shop keeps (or breaks, in the ledger) like any other.
TELL_LATE_DELIVERIES_FIRST: dict[str, Any] = {
    "name": "Late delivery: tell her first, with a new date",
    "trigger": {
        "state": "orders",
        "horizon": {"within_hours": 72},
        "where": [{"field": "data.late", "op": "=", "value": True}],
    },
    "actions": [
        {"do": "send_message", "template": "delivery_late"},
        {
            "do": "open_promise",
            "kind": "deliver_by",
            "text": "Order {{data.reference}} arrives by {{data.expected_on}}",
            "reference_from": "data.reference",
            "due_on_from": "data.expected_on",
        },
    ],
}

# The bank: a card that expires before its next charge.
CARD_EXPIRES_BEFORE_CHARGE: dict[str, Any] = {
    "name": "Card expires before the next charge",
    "trigger": {
        "state": "charges",
        "horizon": {"within_hours": 336},
        "where": [{"field": "data.card_expires_before_charge", "op": "=", "value": True}],
    },
    "actions": [{"do": "send_message", "template": "card_expiring"}],
}

# The web shop: a parcel waits at a pick-up point; two days before it is sent back, a reminder
# (the relay sends it within her consent and quiet hours, like every message).
PARCEL_WAITING_AT_PICKUP: dict[str, Any] = {
    "name": "Parcel waiting at the pick-up point: remind her two days before it goes back",
    "trigger": {"state": "pickups", "horizon": {"days_ahead": 2}},
    "actions": [{"do": "send_message", "template": "parcel_waiting"}],
}

# Seed 002: the restaurant keeps two tables at peak for walk-ins, at the host's discretion; at
# 20:30 on its own clock they are free for bookings again (ADR 0051).
HOLD_TABLES_AT_PEAK: dict[str, Any] = {
    "name": "Two tables for walk-ins at peak",
    "trigger": {"state": "tonight", "horizon": {"days_ahead": 0}},
    "actions": [{"do": "hold_capacity", "count": 2, "from": "19:00", "until": "20:30"}],
}

# ... and the host hears first when the book is over what is left.
WARN_THE_HOST_OVERBOOKED: dict[str, Any] = {
    "name": "Warn the host: tonight is overbooked",
    "trigger": {
        "state": "tonight",
        "horizon": {"days_ahead": 0},
        "where": [{"field": "data.over", "op": "=", "value": True}],
    },
    "actions": [
        {
            "do": "create_task",
            "title": "Tonight is overbooked: {{data.booked}} reservations for "
            "{{data.capacity}} tables, {{data.held}} held",
            "assign_to": "role:agent",
        }
    ],
}

LOOK_AHEAD_PLAYBOOKS: tuple[dict[str, Any], ...] = (
    PREPARE_ROOMS_FOR_TOMORROW,
    CALL_BEFORE_THE_CHARGE,
    TELL_LATE_DELIVERIES_FIRST,
    CARD_EXPIRES_BEFORE_CHARGE,
)
