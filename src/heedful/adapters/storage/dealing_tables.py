"""Bookings, reservations, orders and accounts: the business's records kept as state (ADR 0036)."""

from __future__ import annotations

import sqlalchemy as sa

from heedful.adapters.storage.tables import Id, Json, UtcDateTime, metadata

bookings = sa.Table(
    "bookings",
    metadata,
    sa.Column("id", Id, primary_key=True),
    sa.Column("kind", sa.String(10), nullable=False),
    sa.Column("location_id", Id, sa.ForeignKey("locations.id"), nullable=False),
    sa.Column("reference", sa.String(200), nullable=False),
    # NULL only for a cancellation that arrived before its booking.
    sa.Column("customer_id", Id, sa.ForeignKey("customers.id"), nullable=True),
    sa.Column("status", sa.String(12), nullable=False),
    sa.Column("starts_at", UtcDateTime, nullable=True),
    sa.Column("ends_at", UtcDateTime, nullable=True),
    sa.Column("room_type", sa.String(100), nullable=False, server_default=""),
    sa.Column("room", sa.String(100), nullable=False, server_default=""),
    sa.Column("table_name", sa.String(100), nullable=False, server_default=""),
    sa.Column("guests", sa.Integer, nullable=True),
    sa.Column("as_of", UtcDateTime, nullable=False),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("updated_at", UtcDateTime, nullable=False),
    sa.UniqueConstraint("kind", "location_id", "reference"),
    sa.Index(None, "customer_id", "starts_at"),
    # Tomorrow's arrivals and tonight's tables: a range per location, booked ones only.
    sa.Index(None, "kind", "location_id", "starts_at"),
)

orders = sa.Table(
    "orders",
    metadata,
    sa.Column("id", Id, primary_key=True),
    sa.Column("location_id", Id, sa.ForeignKey("locations.id"), nullable=False),
    sa.Column("reference", sa.String(200), nullable=False),
    sa.Column("customer_id", Id, sa.ForeignKey("customers.id"), nullable=False),
    sa.Column("status", sa.String(12), nullable=False),
    sa.Column("lines", Json, nullable=False),
    sa.Column("promised_on", sa.Date, nullable=True),
    sa.Column("expected_on", sa.Date, nullable=True),
    # The day a pick-up point sends the parcel back (ADR 0051).
    sa.Column("pickup_until", sa.Date, nullable=True),
    sa.Column("carrier", sa.String(100), nullable=False, server_default=""),
    sa.Column("tracking_number", sa.String(100), nullable=False, server_default=""),
    sa.Column("total_minor", sa.BigInteger, nullable=True),
    sa.Column("currency", sa.String(3), nullable=True),
    sa.Column("as_of", UtcDateTime, nullable=False),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("updated_at", UtcDateTime, nullable=False),
    sa.UniqueConstraint("location_id", "reference"),
    sa.Index(None, "customer_id", "as_of"),
    # Deliveries running late: open orders with a promised day, the earliest first.
    sa.Index(None, "status", "promised_on"),
    # Look-ahead playbooks read the orders promised in a window per location (ADR 0040).
    sa.Index(None, "location_id", "promised_on"),
    # Parcels waiting at a pick-up point, by the day they go back (ADR 0051).
    sa.Index(None, "location_id", "pickup_until"),
)

accounts = sa.Table(
    "accounts",
    metadata,
    sa.Column("id", Id, primary_key=True),
    sa.Column("location_id", Id, sa.ForeignKey("locations.id"), nullable=False),
    sa.Column("reference", sa.String(200), nullable=False),
    sa.Column("customer_id", Id, sa.ForeignKey("customers.id"), nullable=False),
    sa.Column("currency", sa.String(3), nullable=False),
    sa.Column("balance_minor", sa.BigInteger, nullable=False),
    sa.Column("limit_minor", sa.BigInteger, nullable=True),
    sa.Column("next_charge_at", UtcDateTime, nullable=True),
    sa.Column("next_charge_minor", sa.BigInteger, nullable=True),
    sa.Column("card_expires_on", sa.Date, nullable=True),
    sa.Column("as_of", UtcDateTime, nullable=False),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("updated_at", UtcDateTime, nullable=False),
    sa.UniqueConstraint("location_id", "reference"),
    sa.Index(None, "customer_id"),
    # Look-ahead playbooks read the charges due in a window per location (ADR 0040).
    sa.Index(None, "location_id", "next_charge_at"),
)

# The staff member who looks after a customer at a location: "the customer's owner" (ADR 0040).
customer_owners = sa.Table(
    "customer_owners",
    metadata,
    sa.Column("customer_id", Id, sa.ForeignKey("customers.id"), primary_key=True),
    sa.Column("location_id", Id, sa.ForeignKey("locations.id"), primary_key=True),
    sa.Column("staff_id", Id, sa.ForeignKey("staff.id"), nullable=False),
    sa.Column("set_at", UtcDateTime, nullable=False),
    sa.Column("set_by_label", sa.String(200), nullable=False),
    sa.Index(None, "staff_id"),
)
