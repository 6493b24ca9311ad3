"""An item file's rows as the bulk path stores them: checked, normalised, search text folded.

The full check of a row (``item_from_row``) builds a ``CatalogItem``, whose constructor normalises
every field, checks it (``check_item``), and storage then asks it for its search text: measured,
about two thirds of an item import's Python time went there, most of it done twice over (the
values are normalised once by the row's reading and again by the item). Nearly every row of a
CSV export is plain (text cells, the known columns, nothing too long), so each row first tries
the quick way here, which builds the stored values once and accepts only what the full check
would accept, with the same values; anything else goes through the full check, which names
every reason. A Hypothesis test holds the two to the same answers (tests/unit/catalog).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import NamedTuple, cast

from heedful.core.catalog.importing import ATTRIBUTE_PREFIX, COLUMNS
from heedful.core.catalog.model import (
    MAX_ATTRIBUTES,
    MAX_CODE,
    MAX_NAME,
    NAME_LANGUAGES,
    PARENT_KIND,
    CatalogItem,
    ItemKind,
)


class ItemRow(NamedTuple):
    """An item as the bulk path stores it: the fields of a checked ``CatalogItem``, normalised,
    with its search text; a tuple, so storage writes it with no object per row."""

    code: str
    kind: ItemKind
    shown_code: str
    parent_code: str
    names: dict[str, str]
    brand: str
    size: str
    colour: str
    attributes: dict[str, str]
    search_text: str
    changed_at: datetime

    @classmethod
    def of(cls, item: CatalogItem) -> ItemRow:
        return cls(
            item.code,
            item.kind,
            item.shown_code,
            item.parent_code,
            item.names,
            item.brand,
            item.size,
            item.colour,
            item.attributes,
            item.search_text(),
            item.changed_at,
        )


# The kinds as a CSV cell usually spells them; any other spelling takes the full check.
_KINDS: dict[str, ItemKind] = {"": ItemKind.PRODUCT}
_KINDS.update({kind.value: kind for kind in ItemKind})
_KINDS.update({kind.value.upper(): kind for kind in ItemKind})
_KINDS.update({kind.value.capitalize(): kind for kind in ItemKind})
_PLAIN = frozenset(COLUMNS)
_NAME_COLUMNS = tuple((lang, f"name_{lang}") for lang in NAME_LANGUAGES)


def quick_item(row: Mapping[str, object], at: datetime) -> ItemRow | None:
    """The row's item if it is plain and good, else None (the full check then decides)."""
    attributes_raw: dict[str, str] | None = None
    for column, value in row.items():
        if type(value) is not str:
            if value is None:
                continue
            return None  # numbers, objects: the full check says what they become
        if column in _PLAIN:
            continue
        if column.startswith(ATTRIBUTE_PREFIX):
            if value.strip():
                if attributes_raw is None:
                    attributes_raw = {}
                attributes_raw[column.removeprefix(ATTRIBUTE_PREFIX)] = value
        elif column.startswith("name"):
            return None  # "names", "name" alone, "name_de": the full check's rules
        elif column == "attributes":
            return None
    get = cast(Mapping[str, str | None], row).get  # every value is text or None by now
    kind = _KINDS.get(get("kind") or "")
    raw_code: str = get("code") or ""
    code = " ".join(raw_code.split()).casefold()
    if kind is None or not code or len(code) > MAX_CODE:
        return None
    parent_code = " ".join((get("parent_code") or "").split()).casefold()
    if (PARENT_KIND.get(kind) is None) == bool(parent_code) or parent_code == code:
        return None
    names: dict[str, str] = {}
    for lang, column in _NAME_COLUMNS:
        name = get(column)
        if name:
            shown = " ".join(name.split())
            if shown:
                if len(shown) > MAX_NAME:
                    return None
                names[lang] = shown
    brand = " ".join((get("brand") or "").split())
    size = " ".join((get("size") or "").split()).casefold()
    colour = " ".join((get("colour") or "").split()).casefold()
    if len(brand) > MAX_NAME or len(size) > MAX_NAME or len(colour) > MAX_NAME:
        return None
    attributes: dict[str, str] = {}
    if attributes_raw is not None:
        for key, value in attributes_raw.items():
            folded_key = " ".join(key.split()).casefold()
            folded = " ".join(value.split()).casefold()
            if folded_key and folded:
                if len(folded_key) > MAX_NAME or len(folded) > MAX_NAME:
                    return None
                attributes[folded_key] = folded
        if len(attributes) > MAX_ATTRIBUTES:
            return None
    if "\x00" in code or "\x00" in parent_code or "\x00" in brand:
        return None
    if any("\x00" in name for name in names.values()):
        return None
    parts = [code, parent_code, *names.values(), brand, size, colour, *attributes.values()]
    search_text = " ".join(" ".join(part for part in parts if part).split()).casefold()
    shown_code = " ".join(raw_code.split())
    return ItemRow(
        code,
        kind,
        shown_code,
        parent_code,
        names,
        brand,
        size,
        colour,
        attributes,
        search_text,
        at,
    )
