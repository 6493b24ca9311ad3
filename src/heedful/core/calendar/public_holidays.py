"""What the `holidays` package knows about a country: days off, moved working days, published years.

The package is data, not I/O: it computes holidays from rules and tables shipped with it. We build
one table per year on first use and keep it, because a deadline search walks day after day.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import holidays

from heedful.core.shared.errors import InvalidInput


@dataclass(frozen=True)
class YearOfHolidays:
    days_off: dict[date, str]
    # Weekend days a government turned into working days (Russia, Belarus, Kazakhstan...).
    moved_workdays: frozenset[date]


@dataclass
class PublicHolidays:
    country: str
    subdivision: str | None = None
    _years: dict[int, YearOfHolidays] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        supported = holidays.list_supported_countries()
        if self.country not in supported:
            raise InvalidInput(f"Unknown country code {self.country!r}", field="country")
        if self.subdivision is not None and self.subdivision not in supported[self.country]:
            raise InvalidInput(
                f"Unknown subdivision {self.subdivision!r} of {self.country}", field="subdivision"
            )

    def holiday_on(self, day: date) -> str | None:
        return self._year(day.year).days_off.get(day)

    def is_moved_workday(self, day: date) -> bool:
        # The package records a moved working day while populating the year of the day off it
        # pays for, which can be the next year (a Saturday in late December for a day in January).
        return any(day in self._year(year).moved_workdays for year in (day.year, day.year + 1))

    def last_published_year(self) -> int | None:
        """The last year the package lists moved days for, in a country that moves them.

        None for countries whose days off follow fixed rules (Germany, Poland...): their future
        years are as good as the current one.
        """
        table = self._table(2000)
        if not getattr(table, "has_substituted_holidays", False):
            return None
        listed: set[int] = set()
        for name in dir(table):
            if name.startswith("special_") and "holidays" in name:
                mapping = getattr(table, name)
                if isinstance(mapping, dict):
                    listed.update(year for year in mapping if isinstance(year, int))
        return max(listed, default=None)

    def supported_years(self) -> range:
        table = self._table(2000)
        return range(int(table.start_year), int(table.end_year) + 1)

    def _year(self, year: int) -> YearOfHolidays:
        if year not in self._years:
            table = self._table(year)
            self._years[year] = YearOfHolidays(
                days_off=dict(table.items()), moved_workdays=frozenset(table.weekend_workdays)
            )
        return self._years[year]

    def _table(self, year: int) -> holidays.HolidayBase:
        return holidays.country_holidays(
            self.country, subdiv=self.subdivision, years=year, expand=False
        )


def holiday_names(
    country: str, subdivision: str | None, year: int, language: str
) -> dict[date, str]:
    """The year's public holidays named in the reader's language where the package has it,
    else in the country's own (what its calendars print), never a guess."""
    table = holidays.country_holidays(country, subdiv=subdivision, years=year)
    supported = getattr(table, "supported_languages", ())
    wanted = {"en": "en_US"}.get(language, language)
    if wanted not in supported:
        # Asked for nothing, the package names holidays in English: ask for the country's own.
        wanted = getattr(table, "default_language", None) or ""
    if wanted in supported:
        table = holidays.country_holidays(country, subdiv=subdivision, years=year, language=wanted)
    return dict(table.items())
