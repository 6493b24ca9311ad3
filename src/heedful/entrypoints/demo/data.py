"""The demo's businesses and their people: four locations, their staff, and who comes to each.

The names sound real and are invented. Passwords are deterministic on purpose: it is a demo, and
the CLI prints them next to the logins.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from heedful.core.access.model import Role
from heedful.core.staff.model import LocationKind

# How far back the demo's history reaches: long enough for a habit to form, fade and change.
HISTORY_SPAN = timedelta(days=548)

BOUTIQUE = "boutique"
HOTEL = "hotel"
RESTAURANT = "restaurant"
BANK = "bank"
# What each business's own systems call the location in the events they send.
LOCATION_CODES = {
    BOUTIQUE: "lypky",
    HOTEL: "ostozhenka",
    RESTAURANT: "kashtan-vyshnia",
    BANK: "lavra-pechersk",
}


@dataclass(frozen=True)
class LocationSpec:
    key: str
    name: str
    kind: LocationKind
    city: str
    country: str
    time_zone: str
    currency: str
    receipt_prefix: str  # what the till, PMS or core banking writes before its reference numbers
    opening_hours: dict[str, list[str]] = field(default_factory=dict)


# fmt: off
LOCATIONS: tuple[LocationSpec, ...] = (
    LocationSpec(BOUTIQUE, "Atelier Lypky", LocationKind.BOUTIQUE, "Kyiv", "UA",
                 "Europe/Kyiv", "UAH", "AL",
                 {"mon-sat": ["10:00-20:00"], "sun": ["11:00-18:00"]}),
    LocationSpec(HOTEL, "Ostozhenka Grand Hotel", LocationKind.HOTEL, "Moscow", "RU",
                 "Europe/Moscow", "RUB", "OGH", {"mon-sun": ["00:00-24:00"]}),
    LocationSpec(RESTAURANT, "Kashtan & Vyshnia", LocationKind.RESTAURANT, "Kyiv", "UA",
                 "Europe/Kyiv", "UAH", "KV", {"mon-thu": ["08:00-22:00"],
                 "fri-sat": ["08:00-02:00"], "sun": ["09:00-22:00"]}),
    LocationSpec(BANK, "Lavra Bank, Pechersk private banking", LocationKind.BANK_BRANCH, "Kyiv",
                 "UA", "Europe/Kyiv", "UAH", "LB", {"mon-fri": ["09:00-13:00", "14:00-18:00"]}),
)
# fmt: on


@dataclass(frozen=True)
class StaffSpec:
    login: str
    full_name: str
    role: Role
    language: str
    locations: tuple[str, ...]
    note: str

    @property
    def password(self) -> str:
        return f"demo-{self.login.split('.')[0]}-2026"


# fmt: off
STAFF: tuple[StaffSpec, ...] = (
    StaffSpec("admin", "Heedful Admin", Role.ADMIN, "en", (),
              "Administrator: every location, staff, API tokens, merges and their undo"),
    StaffSpec("oksana.melnyk", "Оксана Мельник", Role.MANAGER, "uk", (BOUTIQUE,),
              "Manager, Atelier Lypky (luxury boutique, Kyiv)"),
    StaffSpec("daryna.koval", "Дарина Коваль", Role.AGENT, "uk", (BOUTIQUE,),
              "Sales associate, Atelier Lypky"),
    StaffSpec("artem.bondarenko", "Артём Бондаренко", Role.AGENT, "ru", (BOUTIQUE,),
              "Sales associate, Atelier Lypky (works in Russian)"),
    StaffSpec("elena.vorontsova", "Елена Воронцова", Role.MANAGER, "ru", (HOTEL,),
              "Front-office manager, Ostozhenka Grand Hotel (Moscow)"),
    StaffSpec("pavel.kuznetsov", "Павел Кузнецов", Role.AGENT, "ru", (HOTEL,),
              "Receptionist, Ostozhenka Grand Hotel"),
    StaffSpec("olivia.grant", "Olivia Grant", Role.AGENT, "en", (HOTEL,),
              "Receptionist and guest relations, Ostozhenka Grand Hotel (works in English)"),
    StaffSpec("taras.hnatyshyn", "Тарас Гнатишин", Role.MANAGER, "uk", (RESTAURANT,),
              "Manager, Kashtan & Vyshnia (restaurant, Kyiv)"),
    StaffSpec("sofiia.lysenko", "Софія Лисенко", Role.AGENT, "uk", (RESTAURANT,),
              "Host, Kashtan & Vyshnia"),
    StaffSpec("iryna.tkachenko", "Ірина Ткаченко", Role.MANAGER, "uk", (BANK,),
              "Branch manager, Lavra Bank Pechersk (Kyiv)"),
    StaffSpec("yurii.bondar", "Юрій Бондар", Role.AGENT, "uk", (BANK,),
              "Relationship manager for VIP clients, Lavra Bank Pechersk"),
    StaffSpec("marta.lang", "Marta Lang", Role.EVALUATOR, "en", (),
              "Mystery shopper (evaluator): audits the service, sees no customer"),
)
# fmt: on

# Where the generated customers belong, and which languages they speak there. Kyiv is mostly
# Ukrainian with Russian speakers among them; travellers speak English everywhere.
HOME_WEIGHTS: dict[str, float] = {HOTEL: 0.30, RESTAURANT: 0.30, BOUTIQUE: 0.25, BANK: 0.15}
LANGUAGE_WEIGHTS: dict[str, dict[str, float]] = {
    BOUTIQUE: {"uk": 0.68, "ru": 0.20, "en": 0.12},
    HOTEL: {"ru": 0.68, "en": 0.32},
    RESTAURANT: {"uk": 0.70, "ru": 0.18, "en": 0.12},
    BANK: {"uk": 0.80, "ru": 0.17, "en": 0.03},
}
SEGMENT_WEIGHTS: dict[str, float] = {"vip": 0.10, "regular": 0.45, "new": 0.25, "at_risk": 0.20}

# Mean days between two visits of a customer who keeps coming, per location and segment.
VISIT_INTERVAL_DAYS: dict[str, dict[str, float]] = {
    RESTAURANT: {"vip": 8, "regular": 18, "at_risk": 30},
    HOTEL: {"vip": 32, "regular": 60, "at_risk": 90},
    BOUTIQUE: {"vip": 24, "regular": 50, "at_risk": 60},
    BANK: {"vip": 30, "regular": 70, "at_risk": 90},
}
MAX_VISITS = 14
# Kyiv customers who also turn up at another Kyiv location now and then.
CROSS_VISIT_SHARE = 0.2
