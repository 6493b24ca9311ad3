"""The customer card as the console shows it: the core's read model plus names and permissions."""

from __future__ import annotations

from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any

from fastapi.responses import RedirectResponse, Response

from heedful.core.access.model import Permission
from heedful.core.card import CustomerCard, customer_card
from heedful.core.customers.channels import Channel
from heedful.core.customers.consent import Purpose
from heedful.core.customers.duplicates import Duplicate, likely_duplicates
from heedful.core.customers.identities import IdentityKind
from heedful.core.customers.model import LANGUAGES, Segment
from heedful.core.history.model import HistoryEntry, Item
from heedful.core.outreach.contact_settings import OwnContactRules, customer_rules
from heedful.core.outreach.handlers import list_customer_messages
from heedful.core.outreach.outbox import Message, MessageStatus
from heedful.core.preferences.model import Category, Polarity, Source
from heedful.core.promises.model import PromiseKind
from heedful.core.promises.queries import CustomerPromises, customer_promises, own_words
from heedful.core.promises.waiting_line import Standing, standings
from heedful.core.staff.model import Location
from heedful.core.staff.queries import all_locations, locations_of
from heedful.entrypoints.console.catalog import ordinal
from heedful.entrypoints.console.context import Console, FormState, blank_form

POLARITIES = (Polarity.NEVER, Polarity.DISLIKE, Polarity.LIKE)


@dataclass(frozen=True)
class CardView:
    card: CustomerCard
    locations: dict[str, Location]
    my_locations: list[Location]
    may_edit: bool
    may_merge: bool
    may_undo_merge: bool
    may_export: bool
    may_erase: bool
    may_promise: bool
    promises: CustomerPromises
    messages: list[Message]
    # Other records that look like her (same phone in another form, same name and birthday).
    duplicates: list[Duplicate]
    # Where she stands in each line she waits in, by promise id ("3rd in line for Selene").
    standings: dict[str, Standing] = field(default_factory=dict)
    # Her own quiet hours and channel order, which win over the business's (ADR 0043).
    own_rules: OwnContactRules | None = None

    @property
    def customer_id(self) -> str:
        return self.card.customer.id

    def location_name(self, location_id: str | None) -> str:
        location = self.locations.get(location_id or "")
        return location.name if location else ""

    def zone_for(self, location_id: str | None) -> str:
        """Where it happened decides the clock it is told in; otherwise the customer's own."""
        location = self.locations.get(location_id or "")
        return location.time_zone if location else self.card.customer.time_zone

    @property
    def known_at(self) -> list[Location]:
        """The locations whose staff see this customer, by name."""
        ids = self.card.customer.location_ids
        return sorted(
            (loc for loc in self.locations.values() if loc.id in ids), key=lambda loc: loc.name
        )

    @property
    def linkable_locations(self) -> list[Location]:
        """Where the reader may make the customer known: their own locations she is not at."""
        if not self.may_edit:
            return []
        ids = self.card.customer.location_ids
        return [location for location in self.my_locations if location.id not in ids]

    def history_entry(self, entry_id: str) -> HistoryEntry | None:
        return next((entry for entry in self.card.recent_history if entry.id == entry_id), None)

    @property
    def has_preferences(self) -> bool:
        return any(self.card.preferences[polarity] for polarity in POLARITIES)


def item_text(item: Item) -> str:
    """ "drink: espresso, size: M ×2": what a receipt line says, without the price."""
    text = ", ".join(f"{name}: {value}" for name, value in item.attributes.items())
    return f"{text} ×{item.quantity}" if item.quantity > 1 else text


def load_card(console: Console, customer_id: str) -> CardView:
    """The card's every read in one read-only unit of work: one connection, one transaction and
    one snapshot on SQLite, instead of one of each per use case (ADR 74). The use cases still
    open it themselves (``with uow:``); inside this block that costs nothing."""
    actor, clock = console.actor, console.container.clock
    uow = console.container.uow(read_only=True)
    with uow:
        card = customer_card(customer_id, uow, clock, actor)
        customer = card.customer
        return CardView(
            card=card,
            locations=all_locations(uow),
            my_locations=locations_of(actor, uow),
            may_edit=actor.may(Permission.EDIT_CUSTOMERS),
            may_merge=actor.may(Permission.MERGE_CUSTOMERS),
            may_undo_merge=actor.may(Permission.UNDO_MERGE),
            may_export=actor.may(Permission.EXPORT_CUSTOMER),
            may_erase=actor.may(Permission.ERASE_CUSTOMER),
            may_promise=actor.may(Permission.MAKE_PROMISES),
            promises=customer_promises(customer.id, uow, actor),
            messages=list_customer_messages(customer.id, uow, actor),
            duplicates=(
                likely_duplicates(customer.id, uow, actor)
                if actor.may(Permission.MERGE_CUSTOMERS) and customer.is_active
                else []
            ),
            standings={
                standing.promise_id: standing
                for standing in standings(uow, actor, customer.id, console.ui.language)
            },
            own_rules=customer_rules(customer.id, uow),
        )


def preference_form(view: CardView) -> FormState:
    first = view.my_locations[0].id if view.my_locations else ""
    return blank_form(
        polarity="",
        subject="",
        note="",
        category=Category.OTHER.value,
        source=Source.SAID.value,
        location_id=first,
    )


def promise_form(view: CardView) -> FormState:
    first = view.my_locations[0].id if view.my_locations else ""
    return blank_form(
        kind=PromiseKind.TELL_WHEN_AVAILABLE.value,
        text="",
        due_at="",
        product="",
        variant="",
        size="",
        location_id=first,
    )


def identity_form() -> FormState:
    return blank_form(kind=IdentityKind.PHONE.value, value="", label="")


def consent_form() -> FormState:
    return blank_form(
        channel=Channel.EMAIL.value, purpose=Purpose.SERVICE.value, granted="yes", how=""
    )


def profile_form(view: CardView) -> FormState:
    customer = view.card.customer
    return blank_form(
        full_name=customer.full_name,
        language=customer.language,
        time_zone=customer.time_zone,
        segment=customer.segment.value,
        home_location_id=customer.home_location_id or "",
        birthday=customer.birthday.isoformat() if customer.birthday else "",
    )


def location_link_form(view: CardView) -> FormState:
    first = view.linkable_locations[0].id if view.linkable_locations else ""
    return blank_form(location_id=first, reason="")


def merge_form() -> FormState:
    return blank_form(absorbed_id="", reason="")


def blank_forms(view: CardView) -> dict[str, FormState]:
    return {
        "preference": preference_form(view),
        "identity": identity_form(),
        "consent": consent_form(),
        "merge": merge_form(),
        "locations": location_link_form(view),
        "profile": profile_form(view),
        "promise": promise_form(view),
        # Keep, cancel and withdraw: the promise's id says next to which promise an error goes.
        "promise_action": blank_form(promise_id="", note="", reason=""),
    }


def card_context(view: CardView, *, oob: bool = False, **forms: FormState) -> dict[str, Any]:
    """What card.html and its sections need; ``forms`` replaces the blank ones it names."""
    return {
        "view": view,
        "card": view.card,
        "customer": view.card.customer,
        "oob": oob,
        "forms": {**blank_forms(view), **forms},
        "POLARITIES": POLARITIES,
        "item_text": item_text,
        "Polarity": Polarity,
        "Source": Source,
        "Category": Category,
        "Channel": Channel,
        "Purpose": Purpose,
        "IdentityKind": IdentityKind,
        "Segment": Segment,
        "languages": LANGUAGES,
        "PromiseKind": PromiseKind,
        "MessageStatus": MessageStatus,
        "own_words": own_words,
        "ordinal": ordinal,
    }


def card_section(
    console: Console, customer_id: str, section: str, *, status: int = 200, **forms: FormState
) -> Response:
    """One section of the card after a change: swapped in place by HTMX, else the whole card.

    The card is read again after the change, so the section shows what was stored, not what
    was typed; a section whose change touches another (a new "never" can hide a "usual") brings
    that one along out of band.
    """
    view = load_card(console, customer_id)
    context = card_context(view, oob=True, **forms)
    if console.is_htmx:
        return console.render(f"customers/_{section}.html", status=status, **context)
    if status < HTTPStatus.BAD_REQUEST:
        return RedirectResponse(f"/customers/{view.customer_id}#{section}", status_code=303)
    return console.render("customers/card.html", status=status, **{**context, "oob": False})
