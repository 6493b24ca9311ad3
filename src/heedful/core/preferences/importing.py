"""Import preferences from a spreadsheet, each attached to a customer found by any identity.

Staff keep "never serve her sparkling water" in notebooks and old systems; the file names the
customer the way that system knew them (a phone, an e-mail, a card, its own id), so any of those
finds the person. A preference already recorded is left alone: a re-import adds nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TypeVar

from heedful.core.access import Actor, Permission
from heedful.core.customers import customer_in_file
from heedful.core.preferences.handlers import RecordPreference, record_preference
from heedful.core.preferences.model import Category, Polarity, Source
from heedful.core.shared.clock import Clock
from heedful.core.shared.errors import InvalidInput, NotFound
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

COLUMNS = ("customer", "polarity", "subject", "category", "note", "source", "location")
REQUIRED_COLUMNS = ("customer", "polarity", "subject")

# The words staff write in the three languages we serve, folded to lower case.
_POLARITY_WORDS = {
    "like": Polarity.LIKE,
    "нравится": Polarity.LIKE,
    "подобається": Polarity.LIKE,
    "dislike": Polarity.DISLIKE,
    "не нравится": Polarity.DISLIKE,
    "не подобається": Polarity.DISLIKE,
    "never": Polarity.NEVER,
    "никогда": Polarity.NEVER,
    "ніколи": Polarity.NEVER,
}
_Choice = TypeVar("_Choice", Category, Source)


def import_preferences(
    rows: Iterable[Row],
    uow: UnitOfWork,
    clock: Clock,
    actor: Actor,
    *,
    batch_size: int = 500,
    on_progress: ProgressCallback | None = None,
) -> ImportReport:
    actor.require(Permission.IMPORT_DATA)
    locations = LocationNames.load(uow)

    def import_row(row: Mapping[str, str]) -> Outcome:
        return _import_preference(row, locations, uow, clock, actor)

    return import_in_batches(rows, uow, import_row, batch_size=batch_size, on_progress=on_progress)


def _import_preference(
    row: Mapping[str, str], locations: LocationNames, uow: UnitOfWork, clock: Clock, actor: Actor
) -> Outcome:
    cmd = RecordPreference(
        customer_id=_find_customer(cell(row, "customer"), uow, actor),
        polarity=_polarity(cell(row, "polarity")),
        subject=cell(row, "subject"),
        category=_choice(Category, cell(row, "category"), Category.OTHER, "category"),
        note=cell(row, "note"),
        source=_choice(Source, cell(row, "source"), Source.SAID, "source"),
        location_id=locations.find(cell(row, "location"), "location"),
    )
    known = {(p.polarity, p.subject.casefold()) for p in uow.preferences.list_for(cmd.customer_id)}
    with fields_as_columns({"customer_id": "customer", "location_id": "location"}):
        recorded = record_preference(cmd, uow, clock, actor)
    if (recorded.polarity, recorded.subject.casefold()) in known:
        return Outcome.UNCHANGED
    return Outcome.CREATED


def _find_customer(value: str, uow: UnitOfWork, actor: Actor) -> str:
    """The id of the customer the cell names by id, e-mail, phone, loyalty card or external id.

    Only customers the importer may see are found: a guest of another location is "no customer"
    in the same words as nobody, so that the rejection names no one (ADR 0024).
    """
    if not value:
        raise InvalidInput("say who the preference belongs to", field="customer")
    found = customer_in_file(value, uow.customers, actor)
    if found is not None:
        return found.id
    raise NotFound(
        f"no customer has the id, e-mail, phone, loyalty card or external id {value!r}",
        field="customer",
    )


def _polarity(value: str) -> Polarity:
    polarity = _POLARITY_WORDS.get(" ".join(value.casefold().split()))
    if polarity is None:
        raise InvalidInput(
            "polarity must be like, dislike or never (нравится, не нравится, никогда; "
            "подобається, не подобається, ніколи)",
            field="polarity",
        )
    return polarity


def _choice(kind: type[_Choice], value: str, default: _Choice, column: str) -> _Choice:
    if not value:
        return default
    try:
        return kind(value.casefold())
    except ValueError:
        allowed = ", ".join(member.value for member in kind)
        raise InvalidInput(f"{column} must be one of {allowed}", field=column) from None
