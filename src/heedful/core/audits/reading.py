"""Reading a questionnaire's JSON is validating it: every refusal names the JSON path at fault.

```json
{"titles": {"en": "Boutique visit"},
 "sections": [{"key": "welcome", "titles": {"en": "Welcome"}, "weight": 2,
   "items": [{"key": "greeted", "kind": "yes_no", "titles": {"en": "Greeted within a minute?"},
              "weight": 3, "knockout_cap": 50, "guidance": {"en": "Greet every guest..."}}]}]}
```
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from heedful.core.audits.questionnaire import (
    LANGUAGES,
    Choice,
    Item,
    ItemKind,
    QuestionnaireBody,
    Section,
)
from heedful.core.shared.errors import InvalidInput

KEY = re.compile(r"^[a-z0-9][a-z0-9_\-]{0,59}$")
MAX_SECTIONS = 30
MAX_ITEMS = 200  # in the whole questionnaire
MAX_CHOICES = 30
MAX_TITLE = 500
MAX_GUIDANCE = 2000

_ITEM_FIELDS = frozenset(
    {
        "key",
        "kind",
        "titles",
        "weight",
        "may_be_not_applicable",
        "knockout_cap",
        "guidance",
        "scale_min",
        "scale_max",
        "choices",
        "good_from",
        "good_to",
        "late_credit",
    }
)


def _fail(message: str, path: str) -> InvalidInput:
    return InvalidInput(message, field=path)


def _object(value: Any, path: str, allowed: frozenset[str]) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise _fail("must be an object", path or "body")
    for key in value:
        if key not in allowed:
            raise _fail(f"{key} is not a questionnaire setting here", _at(path, key))
    return value


def _at(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def _list(value: Any, path: str, least: int, most: int) -> list[Any]:
    if not isinstance(value, list) or not least <= len(value) <= most:
        raise _fail(f"must be a list of {least} to {most} entries", path)
    return value


def _key(value: Any, path: str) -> str:
    if not isinstance(value, str) or not KEY.match(value):
        raise _fail("must be a key: lower-case letters, digits, _ or -, at most 60", path)
    return value


def _number(value: Any, path: str, least: float, most: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _fail(f"must be a number from {least:g} to {most:g}", path)
    if not math.isfinite(value) or not least <= value <= most:
        raise _fail(f"must be a number from {least:g} to {most:g}", path)
    return float(value)


def _texts(value: Any, path: str, most: int, *, required: bool = True) -> dict[str, str]:
    if value is None and not required:
        return {}
    if not isinstance(value, Mapping) or (required and not value):
        raise _fail("must give the text in ru, uk and/or en", path)
    texts: dict[str, str] = {}
    for language, text in value.items():
        if language not in LANGUAGES:
            raise _fail(f"must be one of {', '.join(LANGUAGES)}", _at(path, language))
        if not isinstance(text, str) or not text.strip():
            raise _fail("must be a non-empty string", _at(path, language))
        if len(text) > most or "\x00" in text:
            raise _fail(f"is at most {most} characters", _at(path, language))
        texts[language] = text.strip()
    return texts


def _choices(value: Any, path: str) -> tuple[Choice, ...]:
    found: list[Choice] = []
    for n, raw in enumerate(_list(value, path, 2, MAX_CHOICES)):
        at = _at(path, n)
        fields = _object(raw, at, frozenset({"key", "titles", "points"}))
        key = _key(fields.get("key"), _at(at, "key"))
        if any(c.key == key for c in found):
            raise _fail(f"{key} is named twice", _at(at, "key"))
        points = _number(fields.get("points", 0), _at(at, "points"), 0, 1)
        found.append(
            Choice(key, _texts(fields.get("titles"), _at(at, "titles"), MAX_TITLE), points)
        )
    return tuple(found)


def _item(raw: Any, path: str) -> Item:
    fields = _object(raw, path, _ITEM_FIELDS)
    kinds = [kind.value for kind in ItemKind]
    if fields.get("kind") not in kinds:
        raise _fail(f"must be one of {', '.join(kinds)}", _at(path, "kind"))
    kind = ItemKind(fields["kind"])
    weight = _number(fields.get("weight", 1), _at(path, "weight"), 0, 100)
    cap = fields.get("knockout_cap")
    item = Item(
        key=_key(fields.get("key"), _at(path, "key")),
        kind=kind,
        titles=_texts(fields.get("titles"), _at(path, "titles"), MAX_TITLE),
        weight=weight,
        may_be_not_applicable=fields.get("may_be_not_applicable", False) is True,
        knockout_cap=None if cap is None else _number(cap, _at(path, "knockout_cap"), 0, 100),
        guidance=_texts(
            fields.get("guidance"), _at(path, "guidance"), MAX_GUIDANCE, required=False
        ),
        late_credit=_number(fields.get("late_credit", 0.5), _at(path, "late_credit"), 0, 1),
    )
    if kind is ItemKind.SCALE:
        low = int(_number(fields.get("scale_min", 1), _at(path, "scale_min"), 0, 10))
        high = int(_number(fields.get("scale_max", 5), _at(path, "scale_max"), 1, 10))
        if high <= low:
            raise _fail("must be above scale_min", _at(path, "scale_max"))
        item = replace(item, scale_min=low, scale_max=high)
    elif kind in (ItemKind.SINGLE_CHOICE, ItemKind.MULTIPLE_CHOICE):
        item = replace(item, choices=_choices(fields.get("choices"), _at(path, "choices")))
    elif kind is ItemKind.NUMBER:
        low_raw, high_raw = fields.get("good_from"), fields.get("good_to")
        if low_raw is None and high_raw is None:
            raise _fail("say which numbers earn the points: good_from, good_to", path)
        good_from = None if low_raw is None else _number(low_raw, _at(path, "good_from"), -1e9, 1e9)
        good_to = None if high_raw is None else _number(high_raw, _at(path, "good_to"), -1e9, 1e9)
        item = replace(item, good_from=good_from, good_to=good_to)
    elif kind in (ItemKind.FREE_TEXT, ItemKind.PHOTO) and cap is not None:
        raise _fail("only a scored item can be a knock-out", _at(path, "knockout_cap"))
    return item


def read_questionnaire(raw: Any) -> QuestionnaireBody:
    """The questionnaire this JSON describes, or InvalidInput naming the path at fault."""
    fields = _object(raw, "", frozenset({"titles", "sections"}))
    titles = _texts(fields.get("titles"), "titles", MAX_TITLE)
    sections: list[Section] = []
    keys: set[str] = set()
    count = 0
    for s, raw_section in enumerate(_list(fields.get("sections"), "sections", 1, MAX_SECTIONS)):
        at = _at("sections", s)
        section = _object(raw_section, at, frozenset({"key", "titles", "weight", "items"}))
        items: list[Item] = []
        for i, raw_item in enumerate(_list(section.get("items"), _at(at, "items"), 1, MAX_ITEMS)):
            item = _item(raw_item, _at(_at(at, "items"), i))
            if item.key in keys:
                raise _fail(f"{item.key} is used twice", _at(_at(_at(at, "items"), i), "key"))
            keys.add(item.key)
            items.append(item)
        count += len(items)
        if count > MAX_ITEMS:
            raise _fail(f"a questionnaire has at most {MAX_ITEMS} items", _at(at, "items"))
        key = _key(section.get("key"), _at(at, "key"))
        if key in keys:
            raise _fail(f"{key} is used twice", _at(at, "key"))
        keys.add(key)
        sections.append(
            Section(
                key=key,
                titles=_texts(section.get("titles"), _at(at, "titles"), MAX_TITLE),
                items=tuple(items),
                weight=_number(section.get("weight", 1), _at(at, "weight"), 0, 100),
            )
        )
    return QuestionnaireBody(titles=titles, sections=tuple(sections))
