"""Import customers from a spreadsheet: create the new ones, update the ones we already know.

A row is matched to a stored customer by any of its identities (e-mail, phone, loyalty card,
external id), so importing the same file twice, or a corrected copy, never makes duplicates.
Every change goes through the same use cases as the console and the API, with their audit trail.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date

from heedful.core.access import Actor, Permission
from heedful.core.customers.channels import Channel
from heedful.core.customers.commands import (
    CreateCustomer,
    NewIdentity,
    RecordConsent,
    UpdateCustomer,
)
from heedful.core.customers.consent import Purpose, current_consents
from heedful.core.customers.handlers import (
    add_identity,
    create_customer,
    identity_in_use,
    record_consent,
    update_customer,
)
from heedful.core.customers.identities import IdentityKind, normalise_identity
from heedful.core.customers.model import (
    Customer,
    Segment,
    check_full_name,
    check_language,
    check_time_zone,
)
from heedful.core.shared.clock import Clock
from heedful.core.shared.errors import InvalidInput
from heedful.core.shared.importing import (
    ImportReport,
    LocationNames,
    Outcome,
    ProgressCallback,
    Row,
    cell,
    fields_as_columns,
    import_in_batches,
)
from heedful.core.unit_of_work import UnitOfWork

COLUMNS = (
    "full_name",
    "language",
    "time_zone",
    "segment",
    "location",
    "email",
    "phone",
    "loyalty_card",
    "birthday",
    "external_id",
    "consent_email_marketing",
    "consent_sms_marketing",
)
REQUIRED_COLUMNS = ("full_name",)

# In this order a row's identities are looked up and attached.
_IDENTITY_COLUMNS = (
    ("email", IdentityKind.EMAIL),
    ("phone", IdentityKind.PHONE),
    ("loyalty_card", IdentityKind.LOYALTY_CARD),
    ("external_id", IdentityKind.EXTERNAL),
)
_CONSENT_COLUMNS = (
    ("consent_email_marketing", Channel.EMAIL, Purpose.MARKETING),
    ("consent_sms_marketing", Channel.SMS, Purpose.MARKETING),
)
# Shops export from systems in three languages; an operator should not have to retype a column.
_YES = frozenset({"yes", "y", "true", "1", "да", "так"})
_NO = frozenset({"no", "n", "false", "0", "нет", "ні"})
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class _CustomerRow:
    """One row, checked and normalised; only cells with a value are set."""

    full_name: str
    language: str | None
    time_zone: str | None
    segment: Segment | None
    location_id: str | None
    birthday: date | None
    identities: tuple[tuple[str, NewIdentity], ...]  # (column, identity with a normalised value)
    consents: tuple[tuple[Channel, Purpose, bool], ...]


def import_customers(
    rows: Iterable[Row],
    uow: UnitOfWork,
    clock: Clock,
    actor: Actor,
    *,
    batch_size: int = 500,
    on_progress: ProgressCallback | None = None,
    how: str = "import",
) -> ImportReport:
    """Create or update a customer per row; ``how`` is what consent decisions say about their origin
    (e.g. "import customers.csv")."""
    actor.require(Permission.IMPORT_DATA)
    locations = LocationNames.load(uow)

    def import_row(row: Mapping[str, str]) -> Outcome:
        return _import_customer(_parse(row, locations), uow, clock, actor, how)

    return import_in_batches(rows, uow, import_row, batch_size=batch_size, on_progress=on_progress)


def _parse(row: Mapping[str, str], locations: LocationNames) -> _CustomerRow:
    language = cell(row, "language")
    time_zone = cell(row, "time_zone")
    segment = cell(row, "segment")
    return _CustomerRow(
        full_name=check_full_name(cell(row, "full_name")),
        language=check_language(language) if language else None,
        time_zone=check_time_zone(time_zone) if time_zone else None,
        segment=_segment(segment) if segment else None,
        location_id=locations.find(cell(row, "location"), "location"),
        birthday=_birthday(cell(row, "birthday")),
        identities=tuple(
            (column, NewIdentity(kind, _identity_value(kind, value, column)))
            for column, kind in _IDENTITY_COLUMNS
            if (value := cell(row, column))
        ),
        consents=tuple(
            (channel, purpose, _yes_or_no(value, column))
            for column, channel, purpose in _CONSENT_COLUMNS
            if (value := cell(row, column))
        ),
    )


def _segment(value: str) -> Segment:
    try:
        return Segment(value.lower())
    except ValueError:
        allowed = ", ".join(s.value for s in Segment)
        raise InvalidInput(f"segment must be one of {allowed}", field="segment") from None


def _birthday(value: str) -> date | None:
    if not value:
        return None
    # Only YYYY-MM-DD: "03.04.1990" is 3 April in Kyiv and 4 March in a US export.
    try:
        if _ISO_DATE.match(value):
            return date.fromisoformat(value)
    except ValueError:
        pass
    raise InvalidInput(f"{value!r} is not a date written as YYYY-MM-DD", field="birthday")


def _identity_value(kind: IdentityKind, value: str, column: str) -> str:
    with fields_as_columns({"value": column}):
        return normalise_identity(kind, value)


def _yes_or_no(value: str, column: str) -> bool:
    word = value.casefold()
    if word in _YES:
        return True
    if word in _NO:
        return False
    raise InvalidInput(
        f"{value!r} is neither yes nor no; leave the cell empty if unknown", field=column
    )


def _import_customer(
    row: _CustomerRow, uow: UnitOfWork, clock: Clock, actor: Actor, how: str
) -> Outcome:
    if not row.identities:
        # A name alone cannot be matched safely (two Anna Kovalenkos are common), so importing the
        # file again would create the customer again.
        raise InvalidInput(
            "give an email, phone, loyalty_card or external_id: without one, importing the file "
            "again would create this customer again",
            field="",
        )
    owners = {
        column: uow.customers.find_by_identity(new.kind, new.value)
        for column, new in row.identities
    }
    for column, new in row.identities:
        owner = owners[column]
        if owner is not None and not actor.may_see_customer_at(owner.location_ids):
            # A guest of another location: the row is refused as a taken identity, never an
            # update of her record nor a "no customer <id>" that would name her (ADR 0024).
            raise identity_in_use(uow, actor, new.kind, owner.id, column)
    known = next((customer for customer in owners.values() if customer is not None), None)
    if known is None:
        customer = _create(row, uow, clock, actor)
        _record_consents(customer.id, row, uow, clock, actor, how, is_new=True)
        return Outcome.CREATED
    changed = _update(known, row, uow, clock, actor)
    for column, new in row.identities:
        owner = owners[column]
        if owner is None or owner.id != known.id:
            # Someone else's phone is refused here as a Conflict: two records are one person,
            # and merging them is a decision for staff, not for an import.
            with fields_as_columns({"value": column, "customer_id": column}):
                add_identity(known.id, new, uow, clock, actor)
            changed = True
    changed |= _record_consents(known.id, row, uow, clock, actor, how, is_new=False)
    return Outcome.UPDATED if changed else Outcome.UNCHANGED


def _create(row: _CustomerRow, uow: UnitOfWork, clock: Clock, actor: Actor) -> Customer:
    # The use case's own defaults (English, the location's time zone, a new customer) where the
    # file is silent.
    defaults = CreateCustomer(full_name=row.full_name)
    cmd = replace(
        defaults,
        language=row.language or defaults.language,
        time_zone=row.time_zone or defaults.time_zone,
        segment=row.segment or defaults.segment,
        home_location_id=row.location_id,
        birthday=row.birthday,
        identities=tuple(new for _, new in row.identities),
    )
    columns = {"home_location_id": "location"} | {
        f"identities[{index}].value": column for index, (column, _) in enumerate(row.identities)
    }
    with fields_as_columns(columns):
        return create_customer(cmd, uow, clock, actor)


def _update(
    known: Customer, row: _CustomerRow, uow: UnitOfWork, clock: Clock, actor: Actor
) -> bool:
    cmd = UpdateCustomer(
        customer_id=known.id,
        full_name=row.full_name,
        language=row.language,
        time_zone=row.time_zone,
        segment=row.segment,
        home_location_id=row.location_id,
        birthday=row.birthday,
    )
    with fields_as_columns({"home_location_id": "location", "customer_id": "full_name"}):
        updated = update_customer(cmd, uow, clock, actor)
    return updated.profile() != known.profile()


def _record_consents(
    customer_id: str,
    row: _CustomerRow,
    uow: UnitOfWork,
    clock: Clock,
    actor: Actor,
    how: str,
    *,
    is_new: bool,
) -> bool:
    """Record the decisions that differ from the standing ones; a re-import adds none."""
    if not row.consents:
        return False
    standing = {} if is_new else current_consents(uow.consents.list_for(customer_id))
    recorded = False
    for channel, purpose, granted in row.consents:
        decision = standing.get((channel, purpose))
        if decision is None or decision.granted is not granted:
            cmd = RecordConsent(customer_id, channel, purpose, granted, how)
            record_consent(cmd, uow, clock, actor)
            recorded = True
    return recorded
