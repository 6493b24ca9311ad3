"""Words staff read for the core's stored values: enums, habit attributes and audit actions.

The core stores stable English codes ("never", "at_risk"); staff read them in their own language.
Each msgid is marked with ``N_`` so that ``pybabel extract`` finds it; translation happens when a
page is rendered, in the reader's language.
"""

from __future__ import annotations

from enum import StrEnum

from heedful.core.access.model import Role
from heedful.core.customers.consent import Channel, Purpose
from heedful.core.customers.identities import IdentityKind
from heedful.core.customers.model import Segment
from heedful.core.history.model import HistoryKind
from heedful.core.preferences.model import Category, Polarity, Source


def N_(message: str) -> str:  # noqa: N802 - the gettext convention pybabel looks for
    """Mark a string for extraction without translating it yet."""
    return message


POLARITY: dict[str, str] = {
    Polarity.NEVER: N_("Never"),
    Polarity.DISLIKE: N_("Dislikes"),
    Polarity.LIKE: N_("Likes"),
}
SOURCE: dict[str, str] = {
    Source.SAID: N_("Said by the customer"),
    Source.OBSERVED: N_("Observed by staff"),
    Source.INFERRED: N_("Inferred from history"),
}
# Categories are plural ("Drinks") and habit attributes singular ("Drink: espresso"): in Russian
# and Ukrainian they are different words, so they must be different msgids.
CATEGORY: dict[str, str] = {
    Category.DRINK: N_("Drinks"),
    Category.FOOD: N_("Food"),
    Category.ROOM: N_("Room"),
    Category.SIZE: N_("Sizes"),
    Category.BRAND: N_("Brands"),
    Category.PRODUCT: N_("Products"),
    Category.SEATING: N_("Seating"),
    Category.COMMUNICATION: N_("Communication"),
    Category.SERVICE: N_("Service"),
    Category.OTHER: N_("Other"),
}
CHANNEL: dict[str, str] = {
    Channel.EMAIL: N_("E-mail"),
    Channel.SMS: N_("SMS"),
    Channel.MESSENGER: N_("Messenger"),
    Channel.PHONE: N_("Phone calls"),
}
PURPOSE: dict[str, str] = {
    Purpose.SERVICE: N_("Service messages"),
    Purpose.MARKETING: N_("Marketing"),
    Purpose.SURVEYS: N_("Surveys"),
}
SEGMENT: dict[str, str] = {
    Segment.NEW: N_("New"),
    Segment.REGULAR: N_("Regular"),
    Segment.VIP: N_("VIP"),
    Segment.AT_RISK: N_("At risk"),
}
ROLE: dict[str, str] = {
    Role.ADMIN: N_("Administrator"),
    Role.MANAGER: N_("Manager"),
    Role.AGENT: N_("Front-line staff"),
    Role.EVALUATOR: N_("Mystery shopper"),
}
IDENTITY_KIND: dict[str, str] = {
    IdentityKind.EMAIL: N_("E-mail"),
    IdentityKind.PHONE: N_("Phone"),
    IdentityKind.LOYALTY_CARD: N_("Loyalty card"),
    IdentityKind.MESSENGER: N_("Messenger"),
    IdentityKind.EXTERNAL: N_("External ID"),
}
HISTORY_KIND: dict[str, str] = {
    HistoryKind.PURCHASE: N_("Purchase"),
    HistoryKind.VISIT: N_("Visit"),
}

_BY_ENUM: dict[type[StrEnum], dict[str, str]] = {
    Polarity: POLARITY,
    Source: SOURCE,
    Category: CATEGORY,
    Channel: CHANNEL,
    Purpose: PURPOSE,
    Segment: SEGMENT,
    Role: ROLE,
    IdentityKind: IDENTITY_KIND,
    HistoryKind: HISTORY_KIND,
}

# Free-form codes: history item attributes that "the usual" forms on, and audit-log actions.
_BY_KIND: dict[str, dict[str, str]] = {
    "attribute": {
        "item": N_("Item"),
        "size": N_("Size"),
        "brand": N_("Brand"),
        "drink": N_("Drink"),
        "dish": N_("Dish"),
        "room_type": N_("Room type"),
        "table": N_("Table"),
        "colour": N_("Colour"),
    },
    "action": {
        "customer.created": N_("Customer created"),
        "customer.updated": N_("Profile changed"),
        "customer.exported": N_("Data exported"),
        "customer.erased": N_("Personal data erased"),
        "identity.added": N_("Contact added"),
        "identity.removed": N_("Contact removed"),
        "consent.granted": N_("Consent given"),
        "consent.withdrawn": N_("Consent withdrawn"),
        "preference.recorded": N_("Preference recorded"),
        "preference.retracted": N_("Preference retracted"),
        "customers.merged": N_("Records merged"),
        "customers.merge_undone": N_("Merge undone"),
        "purchase.recorded": N_("Purchase recorded"),
        "visit.recorded": N_("Visit recorded"),
    },
    # What an erasure reports it removed (heedful.core.customers.privacy.erase_customer).
    "removed": {
        "identity": N_("Contacts removed"),
        "preference": N_("Preferences removed"),
        "consent": N_("Consent decisions removed"),
        "history_notes": N_("Notes cleared from purchases and visits"),
        "audit_values": N_("Audit entries stripped of personal values"),
        "merge_snapshots": N_("Merge snapshots cleared"),
        "merge_records": N_("Merge records cleared"),
    },
}


def msgid_for(value: object, kind: str | None = None) -> str:
    """The untranslated label of a stored value; an unknown code is shown as it is."""
    if kind is not None:
        return _BY_KIND.get(kind, {}).get(str(value), str(value))
    if isinstance(value, StrEnum):
        return _BY_ENUM.get(type(value), {}).get(value.value, value.value)
    return str(value)
