"""The business's items: products and their variants, room types and rooms, menu items, services.

Seed 000 failed on a name: staff wrote "Selene bag", the stock system said ``selene-black``, and
the promise never matched. Here every code and attribute value is normalised once, where it
enters (case, spaces), so ``LB-205`` is ``lb-205`` and ``Black `` is ``black`` everywhere after.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from functools import lru_cache

from heedful.core.shared.errors import InvalidInput

NAME_LANGUAGES = ("ru", "uk", "en")
MAX_CODE = 200  # the promise's item columns are 200 wide: a code must fit there too
MAX_NAME = 200
MAX_ATTRIBUTES = 50


@lru_cache(maxsize=4096)
def normalise(value: str) -> str:
    """A code or attribute value as it is compared: spaces collapsed, case folded.

    ``" LB-205 "`` and ``"lb-205"`` are one code; ``"Black"`` and ``"black"`` one colour.
    Kept for the codes seen last: each stock report and each waiting promise read normalises
    its product, variant and size again, a dozen times an event (issue 18's profile), and a
    shop's colours and sizes are few.
    """
    return " ".join(value.split()).casefold()


def tidy(value: str) -> str:
    """A name as shown: spaces collapsed, case kept."""
    return " ".join(value.split())


class ItemKind(StrEnum):
    PRODUCT = "product"
    VARIANT = "variant"  # of a product: its parent_code names the product
    ROOM_TYPE = "room_type"
    ROOM = "room"  # of a room type: its parent_code names the type
    MENU_ITEM = "menu_item"
    SERVICE = "service"


# A variant belongs to a product and a room to a room type; the others stand alone.
PARENT_KIND = {ItemKind.VARIANT: ItemKind.PRODUCT, ItemKind.ROOM: ItemKind.ROOM_TYPE}


@dataclass
class CatalogItem:
    """One item the business sells or offers, as its own systems name it.

    ``code`` is the normalised key; ``shown_code`` the code as the business first wrote it.
    ``changed_at`` is the time of the event or import that last set it, so that an older
    ``item.upserted`` arriving late never overwrites a newer one.
    """

    code: str
    kind: ItemKind
    changed_at: datetime
    names: dict[str, str] = field(default_factory=dict)  # language -> name
    shown_code: str = ""
    parent_code: str = ""
    brand: str = ""
    size: str = ""
    colour: str = ""
    attributes: dict[str, str] = field(default_factory=dict)
    provisional: bool = False  # made for a wish naming something the catalog did not know
    retired_at: datetime | None = None

    def __post_init__(self) -> None:
        self.shown_code = tidy(self.shown_code or self.code)
        self.code = normalise(self.code)
        self.parent_code = normalise(self.parent_code)
        self.size = normalise(self.size)
        self.colour = normalise(self.colour)
        self.brand = tidy(self.brand)
        self.names = {lang: tidy(name) for lang, name in self.names.items() if tidy(name)}
        self.attributes = {
            normalise(key): normalise(value)
            for key, value in self.attributes.items()
            if normalise(key) and normalise(value)
        }

    @property
    def is_retired(self) -> bool:
        return self.retired_at is not None

    def name(self, language: str = "en") -> str:
        """Its name in this language, else in any other it has, else its code."""
        for lang in (language, *NAME_LANGUAGES):
            if self.names.get(lang):
                return self.names[lang]
        return self.shown_code

    def search_text(self) -> str:
        """What the picker matches a query against: code, names, brand, size, colour, parent."""
        parts = [self.code, self.parent_code, *self.names.values(), self.brand, self.size]
        parts += [self.colour, *self.attributes.values()]
        return normalise(" ".join(part for part in parts if part))


def check_item(item: CatalogItem) -> list[InvalidInput]:
    """Every reason the item cannot be kept (empty: it can), each naming its field."""
    problems: list[InvalidInput] = []
    if not item.code:
        problems.append(InvalidInput("an item needs a code", field="code"))
    elif len(item.code) > MAX_CODE:
        problems.append(InvalidInput(f"a code is at most {MAX_CODE} characters", field="code"))
    parent = PARENT_KIND.get(item.kind)
    if parent is not None and not item.parent_code:
        problems.append(
            InvalidInput(f"a {item.kind.value} names its {parent.value}", field="parent_code")
        )
    if parent is None and item.parent_code:
        problems.append(
            InvalidInput(f"a {item.kind.value} has no parent item", field="parent_code")
        )
    if item.parent_code and item.parent_code == item.code:
        problems.append(InvalidInput("an item cannot be its own parent", field="parent_code"))
    for lang, name in item.names.items():
        if lang not in NAME_LANGUAGES:
            problems.append(InvalidInput(f"names are in ru, uk or en, not {lang}", field="names"))
        elif len(name) > MAX_NAME:
            problems.append(
                InvalidInput(f"a name is at most {MAX_NAME} characters", field=f"name_{lang}")
            )
    problems.extend(
        InvalidInput(f"at most {MAX_NAME} characters", field=name)
        for name in ("brand", "size", "colour")
        if len(getattr(item, name)) > MAX_NAME
    )
    if len(item.attributes) > MAX_ATTRIBUTES:
        problems.append(InvalidInput(f"at most {MAX_ATTRIBUTES} attributes", field="attributes"))
    for key, value in item.attributes.items():
        if len(key) > MAX_NAME or len(value) > MAX_NAME:
            problems.append(
                InvalidInput(f"attribute {key[:40]} is too long", field=f"attributes.{key[:40]}")
            )
    for text in (item.code, item.parent_code, item.brand, *item.names.values()):
        if "\x00" in text:
            problems.append(InvalidInput("a value contains a NUL character", field="code"))
            break
    return problems


def item_kind(value: str, field_name: str = "kind") -> ItemKind:
    try:
        return ItemKind(normalise(value).replace(" ", "_") or ItemKind.PRODUCT.value)
    except ValueError:
        kinds = ", ".join(kind.value for kind in ItemKind)
        raise InvalidInput(f"the kind is one of {kinds}", field=field_name) from None


def names_from(values: Mapping[str, object]) -> dict[str, str]:
    """``name_ru``/``name_uk``/``name_en`` (or a ``names`` object) as one mapping."""
    names: dict[str, str] = {}
    nested = values.get("names")
    if isinstance(nested, Mapping):
        names.update({str(k): str(v) for k, v in nested.items() if v is not None})
    for lang in NAME_LANGUAGES:
        value = values.get(f"name_{lang}")
        if value is not None and str(value).strip():
            names[lang] = str(value)
    if not names and values.get("name") is not None:
        names["en"] = str(values["name"])
    return names
