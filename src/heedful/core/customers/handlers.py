"""Customer use cases: create, update, identities, consent, look-up and search."""

from __future__ import annotations

from datetime import datetime

from heedful.core.access import Actor, Permission, load_customer, scope_of
from heedful.core.customers.audit import audit, changed_fields
from heedful.core.customers.commands import (
    CreateCustomer,
    NewIdentity,
    RecordConsent,
    UpdateCustomer,
)
from heedful.core.customers.consent import ConsentDecision
from heedful.core.customers.identities import Identity, IdentityKind, guess_kind, normalise_identity
from heedful.core.customers.model import (
    Customer,
    Segment,
    check_full_name,
    check_language,
    check_time_zone,
)
from heedful.core.customers.spelling import phone_candidates
from heedful.core.shared.clock import Clock
from heedful.core.shared.errors import Conflict, Forbidden, InvalidInput, NotFound
from heedful.core.shared.ids import new_id
from heedful.core.shared.phrases import Phrase
from heedful.core.shared.ports import Page
from heedful.core.shared.text import refuse_hidden_characters
from heedful.core.unit_of_work import UnitOfWork

SEARCH_LIMIT = 50
REASON_LIMIT = 200


def _check_location(uow: UnitOfWork, actor: Actor, location_id: str | None, field: str) -> str:
    """Refuse a location that is unknown or not the actor's; answer its time zone (UTC if none)."""
    if location_id is None:
        return "UTC"
    location = uow.locations.get(location_id)
    if location is None:
        raise InvalidInput(
            f"no location {location_id}", said=Phrase("refusal.no_location"), field=field
        )
    if not actor.may_act_at(location_id):
        raise Forbidden(
            "you do not work at that location",
            said=Phrase("refusal.not_your_location"),
            field=field,
        )
    return location.time_zone


def _attach_identity(
    uow: UnitOfWork, actor: Actor, customer: Customer, new: NewIdentity, now: datetime, field: str
) -> Identity:
    value = _normalised(new, field)
    existing = uow.identities.find(new.kind, value)
    if existing is not None:
        if existing.customer_id == customer.id:
            return existing
        raise identity_in_use(uow, actor, new.kind, existing.customer_id, field)
    identity = Identity(
        id=new_id("idn_"),
        customer_id=customer.id,
        kind=new.kind,
        value=value,
        added_at=now,
        added_by=actor.id,
        # The label sits beside the value: "identities[0].value" -> "identities[0].label".
        label=refuse_hidden_characters(new.label.strip(), field=field[: -len("value")] + "label")[
            :60
        ],
    )
    uow.identities.add(identity)
    audit(
        uow,
        actor,
        now,
        "identity.added",
        customer_id=customer.id,
        entity="identity",
        entity_id=identity.id,
        after={"kind": identity.kind.value, "value": identity.value},
    )
    return identity


def identity_in_use(
    uow: UnitOfWork, actor: Actor, kind: IdentityKind, owner_id: str, field: str
) -> Conflict:
    """The one answer when an identity is taken, whoever holds it (ADR 0024).

    The words are the same whether the holder is at the actor's locations or not; only a holder
    the actor may see is named, so that staff can open that record and merge. Staff of another
    location learn that the identity cannot be used, never whose it is.
    """
    owner = uow.customers.get(owner_id)
    visible = owner is not None and actor.may_see_customer_at(owner.location_ids)
    return Conflict(
        f"this {kind.value} already belongs to another customer; merge the two records, "
        "or ask an administrator to link that customer to your location",
        said=Phrase("refusal.identity_taken"),
        field=field,
        existing_id=owner_id if visible else None,
    )


def _normalised(new: NewIdentity, field: str) -> str:
    try:
        return normalise_identity(new.kind, new.value)
    except InvalidInput as exc:
        raise InvalidInput(exc.message, field=field, said=exc.said) from exc


def create_customer(cmd: CreateCustomer, uow: UnitOfWork, clock: Clock, actor: Actor) -> Customer:
    actor.require(Permission.EDIT_CUSTOMERS)
    now = clock.now()
    with uow:
        home_time_zone = _check_location(uow, actor, cmd.home_location_id, "home_location_id")
        # A customer of the Kyiv shop lives on Kyiv's clock unless told otherwise: her quiet
        # hours and "tomorrow" are then right from the first message.
        time_zone = cmd.time_zone or home_time_zone
        customer = Customer(
            id=new_id("cus_"),
            full_name=check_full_name(cmd.full_name),
            language=check_language(cmd.language),
            time_zone=check_time_zone(time_zone),
            segment=cmd.segment,
            created_at=now,
            updated_at=now,
            home_location_id=cmd.home_location_id,
            birthday=cmd.birthday,
            location_ids={cmd.home_location_id} if cmd.home_location_id else set(),
        )
        if not actor.sees_every_location and not customer.location_ids:
            raise InvalidInput(
                "say at which of your locations the customer is known",
                said=Phrase("refusal.customer_location"),
                field="home_location_id",
            )
        uow.customers.add(customer)
        audit(
            uow,
            actor,
            now,
            "customer.created",
            customer_id=customer.id,
            entity="customer",
            entity_id=customer.id,
            after=customer.profile(),
        )
        for index, new in enumerate(cmd.identities):
            _attach_identity(uow, actor, customer, new, now, f"identities[{index}].value")
        uow.commit()
    return customer


def update_customer(cmd: UpdateCustomer, uow: UnitOfWork, clock: Clock, actor: Actor) -> Customer:
    actor.require(Permission.EDIT_CUSTOMERS)
    now = clock.now()
    with uow:
        customer = load_customer(uow, actor, cmd.customer_id, for_change=True)
        before = customer.profile()
        if cmd.full_name is not None:
            customer.full_name = check_full_name(cmd.full_name)
        if cmd.language is not None:
            customer.language = check_language(cmd.language)
        if cmd.time_zone is not None:
            customer.time_zone = check_time_zone(cmd.time_zone)
        if cmd.segment is not None:
            customer.segment = Segment(cmd.segment)
        if cmd.home_location_id is not None:
            _check_location(uow, actor, cmd.home_location_id, "home_location_id")
            customer.home_location_id = cmd.home_location_id
            customer.location_ids.add(cmd.home_location_id)
        if cmd.birthday is not None:
            customer.birthday = cmd.birthday
        for name in cmd.clear & {"home_location_id", "birthday"}:
            setattr(customer, name, None)
        after = customer.profile()
        if after != before:
            customer.updated_at = now
            uow.customers.update(customer)
            changed_before, changed_after = changed_fields(before, after)
            audit(
                uow,
                actor,
                now,
                "customer.updated",
                customer_id=customer.id,
                entity="customer",
                entity_id=customer.id,
                before=changed_before,
                after=changed_after,
            )
        uow.commit()
    return customer


def add_identity(
    customer_id: str, new: NewIdentity, uow: UnitOfWork, clock: Clock, actor: Actor
) -> Identity:
    actor.require(Permission.EDIT_CUSTOMERS)
    now = clock.now()
    with uow:
        customer = load_customer(uow, actor, customer_id, for_change=True)
        identity = _attach_identity(uow, actor, customer, new, now, "value")
        uow.commit()
    return identity


def remove_identity(
    customer_id: str, identity_id: str, uow: UnitOfWork, clock: Clock, actor: Actor
) -> None:
    actor.require(Permission.EDIT_CUSTOMERS)
    now = clock.now()
    with uow:
        customer = load_customer(uow, actor, customer_id, for_change=True)
        identity = next(
            (i for i in uow.identities.list_for(customer.id) if i.id == identity_id), None
        )
        if identity is None:
            raise NotFound(
                f"no identity {identity_id} on this customer", said=Phrase("refusal.identity_gone")
            )
        uow.identities.remove(identity.id)
        audit(
            uow,
            actor,
            now,
            "identity.removed",
            customer_id=customer.id,
            entity="identity",
            entity_id=identity.id,
            before={"kind": identity.kind.value, "value": identity.value},
        )
        uow.commit()


def look_up(kind: IdentityKind, value: str, uow: UnitOfWork, actor: Actor) -> Customer:
    """The customer behind one identity, as a till or a PMS asks: "who is +380671234567?"."""
    actor.require(Permission.VIEW_CUSTOMERS)
    normalised = _normalised(NewIdentity(kind, value), "value")
    with uow:
        return _found_by_identity(uow, actor, kind, normalised)


def look_up_with_identities(
    kind: IdentityKind, value: str, uow: UnitOfWork, actor: Actor
) -> tuple[Customer, list[Identity]]:
    """``look_up`` and the customer's identities, in one transaction: what the API answers.

    Called with a fresh unit of work, this is one transaction with no savepoint: the look-up is
    asked per receipt, and a savepoint and its release were two of its six round trips.
    """
    actor.require(Permission.VIEW_CUSTOMERS)
    normalised = _normalised(NewIdentity(kind, value), "value")
    with uow:
        customer = _found_by_identity(uow, actor, kind, normalised)
        return customer, uow.identities.list_for(customer.id)


def _found_by_identity(
    uow: UnitOfWork, actor: Actor, kind: IdentityKind, normalised: str
) -> Customer:
    # One answer for "nobody" and "somebody at another location": the words, the status and
    # the headers must not tell staff that a guest of another shop exists (ADR 0024).
    nobody = NotFound(f"nobody at your locations has the {kind.value} {normalised}")
    customer = uow.customers.find_by_identity(kind, normalised)
    if customer is None:
        raise nobody
    if customer.is_active and actor.may_see_customer_at(customer.location_ids):
        # The common case, answered from the one query above: tills ask this per receipt.
        return customer
    try:
        return load_customer(uow, actor, customer.id)
    except NotFound:
        raise nobody from None


def search_customers(
    text: str, uow: UnitOfWork, actor: Actor, limit: int = SEARCH_LIMIT
) -> list[Customer]:
    """One search box: name, phone, e-mail or loyalty card, whatever the guest hands over."""
    actor.require(Permission.VIEW_CUSTOMERS)
    query = text.strip()
    if len(query) < 2:
        return []
    scope = scope_of(actor)
    with uow:
        found: dict[str, Customer] = {}
        guessed = guess_kind(query)
        kinds = [guessed] if guessed else []
        kinds += [IdentityKind.LOYALTY_CARD, IdentityKind.EXTERNAL]
        wanted: list[tuple[IdentityKind, str]] = []
        for kind in kinds:
            try:
                wanted.append((kind, normalise_identity(kind, query)))
            except InvalidInput:
                continue
        if guessed is IdentityKind.PHONE and not query.startswith("+"):
            # A number typed without its country code: each country it may be from.
            digits = "".join(ch for ch in query if ch.isdigit())
            wanted += [(IdentityKind.PHONE, number) for number in phone_candidates(digits)]
        for kind, value in wanted:
            customer = uow.customers.find_by_identity(kind, value)
            if (
                customer is not None
                and customer.is_active
                and actor.may_see_customer_at(customer.location_ids)
            ):
                found[customer.id] = customer
        for customer in uow.customers.search(query, scope, limit):
            found.setdefault(customer.id, customer)
        return list(found.values())[:limit]


def list_customers(uow: UnitOfWork, actor: Actor, limit: int, cursor: str | None) -> Page[Customer]:
    actor.require(Permission.VIEW_CUSTOMERS)
    with uow:
        return uow.customers.list(scope_of(actor), limit, cursor)


def record_consent(
    cmd: RecordConsent, uow: UnitOfWork, clock: Clock, actor: Actor
) -> ConsentDecision:
    actor.require(Permission.EDIT_CUSTOMERS)
    how = " ".join(cmd.how.split())
    if not how:
        raise InvalidInput(
            "say how the customer gave or withdrew consent",
            said=Phrase("refusal.consent_how"),
            field="how",
        )
    now = clock.now()
    with uow:
        customer = load_customer(uow, actor, cmd.customer_id, for_change=True)
        decision = ConsentDecision(
            id=new_id("cns_"),
            customer_id=customer.id,
            channel=cmd.channel,
            purpose=cmd.purpose,
            granted=cmd.granted,
            decided_at=now,
            how=how[:200],
            recorded_by=actor.id,
            recorded_by_label=actor.label,
        )
        uow.consents.add(decision)
        audit(
            uow,
            actor,
            now,
            "consent.granted" if cmd.granted else "consent.withdrawn",
            customer_id=customer.id,
            entity="consent",
            entity_id=decision.id,
            after={
                "channel": cmd.channel.value,
                "purpose": cmd.purpose.value,
                "granted": cmd.granted,
                "how": how,
            },
        )
        uow.commit()
    return decision


def note_location(
    uow: UnitOfWork,
    actor: Actor,
    now: datetime,
    customer: Customer,
    location_id: str | None,
    reason: str = "",
) -> None:
    """Remember that the customer is known at a location: that is what scopes staff access.

    Callers have checked that the actor may act at the location. Being known at one more
    location lets its staff see the whole record, so it is written to her audit log (ADR 0024).
    """
    if location_id and location_id not in customer.location_ids:
        customer.location_ids.add(location_id)
        uow.customers.update(customer)
        audit(
            uow,
            actor,
            now,
            "customer.location_linked",
            customer_id=customer.id,
            entity="customer",
            entity_id=customer.id,
            after={"location_id": location_id, **({"reason": reason} if reason else {})},
        )


def link_to_location(
    customer_id: str, location_id: str, reason: str, uow: UnitOfWork, clock: Clock, actor: Actor
) -> Customer:
    """Make a customer known at one more location, on purpose: the one way a record crosses.

    The actor must see the customer and work at the location, so in practice an administrator
    links a guest of one shop to another; identify and create never do it for scoped staff.
    """
    actor.require(Permission.EDIT_CUSTOMERS)
    why = refuse_hidden_characters(" ".join(reason.split()), field="reason")
    if len(why) > REASON_LIMIT:
        raise InvalidInput(
            f"a reason is at most {REASON_LIMIT} characters",
            said=Phrase("refusal.at_most_200"),
            field="reason",
        )
    now = clock.now()
    with uow:
        customer = load_customer(uow, actor, customer_id, for_change=True)
        _check_location(uow, actor, location_id, "location_id")
        note_location(uow, actor, now, customer, location_id, why)
        uow.commit()
    return customer
