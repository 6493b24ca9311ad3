"""The customer card: one customer as staff see her, gathered from the rooms that keep her records.

A composition above customers, preferences and history, so none of them needs to know the others.
"""

from heedful.core.card.arrivals import Arrival, arrivals
from heedful.core.card.customer_card import CustomerCard, customer_card

__all__ = ["Arrival", "CustomerCard", "arrivals", "customer_card"]
