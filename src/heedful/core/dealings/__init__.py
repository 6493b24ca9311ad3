"""Bookings and stays, reservations, orders and deliveries, accounts and scheduled charges.

The business's own records of what a customer has booked, ordered and holds, kept as state from
its systems' events (ADR 0036): what the card shows and the playbooks read.
"""

from heedful.core.dealings.capacity import (
    Book,
    Capacity,
    CapacityRepository,
    Hold,
    HoldKind,
    HoldState,
    Service,
    local_span,
    read_book,
    read_books,
)
from heedful.core.dealings.holds import (
    NewCapacity,
    NewHold,
    capacity_of,
    hold_back,
    place_hold,
    release_due_holds,
    release_hold,
    seat_walk_in,
    set_capacity,
    tonight,
    tonight_by_service,
)
from heedful.core.dealings.model import (
    Account,
    Applied,
    Booking,
    BookingKind,
    BookingStatus,
    CustomerDealings,
    Order,
    OrderLine,
    OrderStatus,
)
from heedful.core.dealings.queries import (
    bookings_starting,
    customer_dealings,
    dealings_on_card,
    late_orders,
    read_day,
)
from heedful.core.dealings.reading import ACCOUNT_UPSERTED, DEALING_EVENT_TYPES, apply_dealing
from heedful.core.dealings.warnings import ACCOUNT_AT_RISK, Warning, account_warnings

__all__ = [
    "ACCOUNT_AT_RISK",
    "ACCOUNT_UPSERTED",
    "DEALING_EVENT_TYPES",
    "Account",
    "Applied",
    "Book",
    "Booking",
    "BookingKind",
    "BookingStatus",
    "Capacity",
    "CapacityRepository",
    "CustomerDealings",
    "Hold",
    "HoldKind",
    "HoldState",
    "NewCapacity",
    "NewHold",
    "Order",
    "OrderLine",
    "OrderStatus",
    "Service",
    "Warning",
    "account_warnings",
    "apply_dealing",
    "bookings_starting",
    "capacity_of",
    "customer_dealings",
    "dealings_on_card",
    "hold_back",
    "late_orders",
    "local_span",
    "place_hold",
    "read_book",
    "read_books",
    "read_day",
    "release_due_holds",
    "release_hold",
    "seat_walk_in",
    "set_capacity",
    "tonight",
    "tonight_by_service",
]
