"""One row of an import, read cell by cell: every problem it has is gathered, then refused once.

A PMS or POS export writes times in the hotel's own clock, numbers with commas and days without
times; ``Reading`` turns each cell into what the event needs, noting each bad cell on the way.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from heedful.core.events import parse_timestamp
from heedful.core.shared.errors import InvalidInput
from heedful.core.shared.importing import cell

_TEXT_WIDTH = 200


class Problems:
    """Every reason a row is refused, gathered before it is refused once."""

    def __init__(self) -> None:
        self.found: list[tuple[str, str]] = []

    def add(self, column: str, reason: str) -> None:
        self.found.append((column, reason))

    def raise_any(self) -> None:
        if self.found:
            columns = ", ".join(dict.fromkeys(column for column, _ in self.found))
            reasons = "; ".join(f"{column}: {reason}" for column, reason in self.found)
            raise InvalidInput(reasons, field=columns)


@dataclass
class Reading:
    row: Mapping[str, str]
    zone: ZoneInfo | None
    problems: Problems

    def text(self, column: str, *, required: bool = False) -> str:
        try:
            value = cell(self.row, column)
        except InvalidInput as exc:
            self.problems.add(column, exc.message)
            return ""
        if required and not value:
            self.problems.add(column, "is required")
        if len(value) > _TEXT_WIDTH:
            self.problems.add(column, f"is longer than {_TEXT_WIDTH} characters")
        return value[:_TEXT_WIDTH]

    def time(self, column: str, *, required: bool = False) -> str | None:
        """An RFC 3339 time, or a local 'YYYY-MM-DD HH:MM' in the location's zone (PMS exports)."""
        value = self.text(column, required=required)
        if not value:
            return None
        parsed = parse_timestamp(value)
        if parsed is None:
            try:
                local = datetime.fromisoformat(value)
            except ValueError:
                local = None
            if local is not None and local.tzinfo is None:
                if self.zone is None:
                    return None  # local to a location the row does not name: said there
                parsed = local.replace(tzinfo=self.zone)
        if parsed is None:
            self.problems.add(column, "must be a time such as 2026-02-12T14:00:00+02:00")
            return None
        return parsed.isoformat()

    def day(self, column: str) -> str | None:
        value = self.text(column)
        if not value:
            return None
        try:
            return date.fromisoformat(value).isoformat()
        except ValueError:
            self.problems.add(column, "must be a day written YYYY-MM-DD")
            return None

    def number(self, column: str, *, required: bool = False, whole: bool = False) -> Any:
        value = self.text(column, required=required).replace(" ", "").replace(",", ".")
        if not value:
            return None
        try:
            number = float(value)
        except ValueError:
            number = math.nan
        if whole:
            if not number.is_integer() or number < 0:
                self.problems.add(column, "must be a whole number, 0 or more")
                return None
            return int(number)
        if not math.isfinite(number):
            self.problems.add(column, "must be a number such as 12.50")
            return None
        return int(number) if number.is_integer() else number

    def items(self, column: str) -> list[Any] | None:
        value = self.text_long(column)
        if not value:
            return None
        try:
            items = json.loads(value)
        except ValueError:
            items = None
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            self.problems.add(column, 'must be a JSON list of objects, e.g. [{"item": "latte"}]')
            return None
        return items

    def text_long(self, column: str) -> str:
        try:
            return cell(self.row, column)
        except InvalidInput as exc:
            self.problems.add(column, exc.message)
            return ""

    def choice(self, column: str, allowed: Iterable[str], default: str | None = None) -> str:
        value = self.text(column).casefold() or (default or "")
        allowed = tuple(allowed)
        if value not in allowed:
            self.problems.add(column, f"must be one of {', '.join(allowed)}")
        return value
