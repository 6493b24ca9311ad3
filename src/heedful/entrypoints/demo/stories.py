"""The seeds' stories, as named customers the demo can be walked through.

1. Виктор Соколов — a hotel guest who said at a previous stay "Я воду с газом не пью — не ставьте
   мне её в мини-бар!" (seed 004): a "never" preference on his card.
2. Соломія Кравчук — a restaurant regular whose "as usual!" (seed 004) is inferred, never said:
   cappuccino with oat milk at the table by the window.
3. Вікторія Мороз — a boutique client who asked for the black Ottavia Bruni "Selene" handbag; it is
   sold out and she is waiting to be called when it is back (seed 000).
4. Андрій Мельничук — a VIP client of the bank: call him before any decline and offer to raise the
   limit, as his relationship manager noted (seed 002).
4a. Богдана Орленко — a regular client of the same bank, with the same charge tomorrow as
   Андрій's: she is told by message before the charge, not called (seed 002, ``anticipation.py``).
5. Анастасія Коваленко and Настя Коваленко — one person, two records, left unmerged on purpose.
   The boutique knows her by phone (and one e-mail); the restaurant's booking form knows her by
   another e-mail only. The demo merge: when the restaurant's system sends her phone and that
   e-mail together, ``identify_customer`` finds both records and merges them (the older boutique
   record survives); the merge can then be undone from the card.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from heedful.core.customers.channels import Channel
from heedful.core.customers.commands import NewIdentity
from heedful.core.customers.consent import Purpose
from heedful.core.customers.identities import IdentityKind
from heedful.core.customers.model import Segment
from heedful.core.preferences.model import Category, Polarity, Source

from .data import BANK, BOUTIQUE, HOTEL, RESTAURANT
from .names import Registry
from .plan import CustomerPlan, Receipts, Timeline
from .visits import VISIT_BUILDERS, make_taste, with_attributes

PHONE, EMAIL = IdentityKind.PHONE, IdentityKind.EMAIL


@dataclass(frozen=True)
class StoryCustomer:
    key: str
    full_name: str
    find_by: NewIdentity  # what to type into the search box to open the card
    story: str


SPARKLING_WATER_GUEST = StoryCustomer(
    "sparkling-water",
    "Виктор Соколов",
    NewIdentity(PHONE, "+7 912 604-18-33"),
    "never sparkling water in his minibar, said at a previous stay (seed 004)",
)
AS_USUAL_REGULAR = StoryCustomer(
    "as-usual",
    "Соломія Кравчук",
    NewIdentity(IdentityKind.LOYALTY_CARD, "LC-104233"),
    '"as usual!": cappuccino with oat milk at the window, inferred from her visits (seed 004)',
)
HANDBAG_CLIENT = StoryCustomer(
    "handbag",
    "Вікторія Мороз",
    NewIdentity(PHONE, "+380 50 377 12 09"),
    "waiting for the black Ottavia Bruni Selene handbag: call her when it is back (seed 000)",
)
BANK_VIP = StoryCustomer(
    "bank-vip",
    "Андрій Мельничук",
    NewIdentity(IdentityKind.EXTERNAL, "LB-CL-20048213"),
    "call before any decline and offer a higher limit (seed 002)",
)
BANK_REGULAR = StoryCustomer(
    "bank-regular",
    "Богдана Орленко",
    NewIdentity(PHONE, "+380 93 215 40 77"),
    "the same charge as the VIP's tomorrow: told by message before it (seed 002)",
)
DUPLICATE_AT_BOUTIQUE = StoryCustomer(
    "duplicate-boutique",
    "Анастасія Коваленко",
    NewIdentity(PHONE, "+380 63 908 55 14"),
    "one person, two records: this one has the phone",
)
DUPLICATE_AT_RESTAURANT = StoryCustomer(
    "duplicate-restaurant",
    "Настя Коваленко",
    NewIdentity(EMAIL, "nastia.k@example.net"),
    "one person, two records: this one has only the booking e-mail",
)

STORIES = (
    SPARKLING_WATER_GUEST,
    AS_USUAL_REGULAR,
    HANDBAG_CLIENT,
    BANK_VIP,
    BANK_REGULAR,
    DUPLICATE_AT_BOUTIQUE,
    DUPLICATE_AT_RESTAURANT,
)


def plan_stories(
    rng: random.Random, tl: Timeline, registry: Registry, receipts: Receipts
) -> list[CustomerPlan]:
    plans = [
        _sparkling_water(rng, tl, receipts),
        _as_usual(rng, tl, receipts),
        _handbag(rng, tl, receipts),
        _bank_vip(rng, tl, receipts),
        _bank_regular(rng, tl, receipts),
        *_duplicates(rng, tl, receipts),
    ]
    for plan in plans:
        registry.claim(f"name {plan.full_name}")
        for identity in plan.identities:
            registry.claim(identity.value)
    return plans


def _customer(
    story: StoryCustomer,
    segment: Segment,
    home: str,
    created_at: datetime,
    *ids: NewIdentity,
    language: str = "uk",
    time_zone: str = "Europe/Kyiv",
) -> CustomerPlan:
    return CustomerPlan(story.full_name, language, time_zone, segment, home, created_at, ids)


def _sparkling_water(rng: random.Random, tl: Timeline, receipts: Receipts) -> CustomerPlan:
    taste = make_taste(rng, female=False, habitual=True)
    taste.breakfast = True
    days = [291 - 31 * n + rng.uniform(-3, 3) for n in range(10)]
    stays = [VISIT_BUILDERS[HOTEL](rng, taste, tl, receipts, d) for d in days]
    stays = [(at, with_attributes(stay, room_type="Deluxe King")) for at, stay in stays]
    plan = _customer(
        SPARKLING_WATER_GUEST,
        Segment.VIP,
        HOTEL,
        stays[0][1].occurred_at - timedelta(days=6),
        NewIdentity(PHONE, SPARKLING_WATER_GUEST.find_by.value, "mobile"),
        NewIdentity(EMAIL, "viktor.sokolov@example.com"),
        NewIdentity(IdentityKind.EXTERNAL, "OGH-G-100217", "PMS profile"),
        language="ru",
        time_zone="Asia/Yekaterinburg",
    )
    plan.add_visits(stays)
    plan.consent(
        "лично на стойке регистрации",
        (Channel.EMAIL, Purpose.SERVICE, True),
        (Channel.SMS, Purpose.SERVICE, True),
        (Channel.EMAIL, Purpose.MARKETING, True),
    )
    checked_in = [stay.occurred_at for _, stay in stays]
    plan.wish(
        checked_in[1] + timedelta(minutes=25),
        Polarity.LIKE,
        Category.ROOM,
        "Высокий этаж",
        "подальше от лифта",
    )
    # Said at the desk at a stay some months ago; every stay since has honoured it.
    plan.wish(
        checked_in[6] + timedelta(minutes=40),
        Polarity.NEVER,
        Category.DRINK,
        "Газированная вода",
        "в мини-баре: «Я воду с газом не пью — не ставьте мне её в мини-бар!»",
    )
    plan.wish(
        checked_in[7] + timedelta(minutes=30),
        Polarity.LIKE,
        Category.SERVICE,
        "Газета «Ведомости» к завтраку",
        source=Source.OBSERVED,
    )
    return plan


def _as_usual(rng: random.Random, tl: Timeline, receipts: Receipts) -> CustomerPlan:
    taste = make_taste(rng, female=True, habitual=True)
    taste.dish = "Сирники зі сметаною"
    days = [150 - 8 * n + rng.uniform(-2, 2) for n in range(18)]
    visits = [VISIT_BUILDERS[RESTAURANT](rng, taste, tl, receipts, d) for d in days]
    # Nobody wrote it down: the drink and the table are only in what she chose, every time.
    visits = [
        (at, with_attributes(visit, drink="Капучино на вівсяному молоці", table="біля вікна"))
        for at, visit in visits
    ]
    plan = _customer(
        AS_USUAL_REGULAR,
        Segment.REGULAR,
        RESTAURANT,
        visits[0][1].occurred_at - timedelta(minutes=5),
        NewIdentity(PHONE, "+380 67 215 40 88", "mobile"),
        NewIdentity(EMAIL, "solomiia.kravchuk@example.net"),
        NewIdentity(IdentityKind.LOYALTY_CARD, AS_USUAL_REGULAR.find_by.value),
    )
    plan.add_visits(visits)
    plan.consent(
        "форма бронювання на сайті",
        (Channel.EMAIL, Purpose.SERVICE, True),
        (Channel.SMS, Purpose.SERVICE, True),
        (Channel.EMAIL, Purpose.SURVEYS, True),
    )
    return plan


def _handbag(rng: random.Random, tl: Timeline, receipts: Receipts) -> CustomerPlan:
    taste = make_taste(rng, female=True, habitual=True)
    taste.brand, taste.size, taste.colour = "Ottavia Bruni", "S", "чорний"
    days = [330, 270, 205, 160, 96, 61, 33]
    purchases = [VISIT_BUILDERS[BOUTIQUE](rng, taste, tl, receipts, d) for d in days]
    plan = _customer(
        HANDBAG_CLIENT,
        Segment.VIP,
        BOUTIQUE,
        purchases[0][1].occurred_at - timedelta(minutes=5),
        NewIdentity(PHONE, HANDBAG_CLIENT.find_by.value, "mobile"),
        NewIdentity(EMAIL, "viktoriia.moroz@example.com"),
        NewIdentity(IdentityKind.LOYALTY_CARD, "LC-100518"),
    )
    plan.add_visits(purchases)
    plan.consent(
        "анкета картки лояльності",
        (Channel.PHONE, Purpose.SERVICE, True),
        (Channel.SMS, Purpose.SERVICE, True),
        (Channel.EMAIL, Purpose.SERVICE, True),
        (Channel.EMAIL, Purpose.MARKETING, True),
    )
    plan.wish(
        purchases[2][0] + timedelta(minutes=3),
        Polarity.LIKE,
        Category.SIZE,
        "Розмір S",
        source=Source.OBSERVED,
    )
    asked = tl.at(9, 17, 20, "Europe/Kyiv")
    asked_about = "питала про чорну сумку Ottavia Bruni «Selene» — немає в наявності"
    plan.remark(asked, asked_about, receipts.next(BOUTIQUE))
    plan.wish(
        asked + timedelta(minutes=20),
        Polarity.LIKE,
        Category.PRODUCT,
        "Чорна сумка Ottavia Bruni «Selene»",
        "Чекає, коли знову з'явиться в наявності — зателефонувати їй",
    )
    return plan


def _bank_regular(rng: random.Random, tl: Timeline, receipts: Receipts) -> CustomerPlan:
    taste = make_taste(rng, female=True, habitual=False)
    days = [300 - 60 * n + rng.uniform(-4, 4) for n in range(4)]
    visits = [VISIT_BUILDERS[BANK](rng, taste, tl, receipts, d) for d in days]
    plan = _customer(
        BANK_REGULAR,
        Segment.REGULAR,
        BANK,
        visits[0][1].occurred_at - timedelta(minutes=5),
        NewIdentity(PHONE, BANK_REGULAR.find_by.value, "mobile"),
    )
    plan.add_visits(visits)
    plan.consent("анкета клієнта у відділенні", (Channel.SMS, Purpose.SERVICE, True))
    return plan


def _bank_vip(rng: random.Random, tl: Timeline, receipts: Receipts) -> CustomerPlan:
    taste = make_taste(rng, female=False, habitual=True)
    taste.bank_service = "Консультація персонального менеджера"
    days = [400 - 33 * n + rng.uniform(-4, 4) for n in range(12)]
    visits = [VISIT_BUILDERS[BANK](rng, taste, tl, receipts, d) for d in days]
    plan = _customer(
        BANK_VIP,
        Segment.VIP,
        BANK,
        visits[0][1].occurred_at - timedelta(minutes=5),
        NewIdentity(PHONE, "+380 67 440 71 26", "mobile"),
        NewIdentity(EMAIL, "a.melnychuk@example.org"),
        NewIdentity(IdentityKind.EXTERNAL, BANK_VIP.find_by.value, "core banking"),
    )
    plan.add_visits(visits)
    plan.consent(
        "анкета клієнта у відділенні",
        (Channel.PHONE, Purpose.SERVICE, True),
        (Channel.SMS, Purpose.SERVICE, True),
        (Channel.EMAIL, Purpose.SERVICE, True),
        (Channel.PHONE, Purpose.MARKETING, False),
    )
    met = tl.at(days[7], 10, 0, "Europe/Kyiv")
    plan.remark(
        met,
        "Зустріч з Юрієм Бондарем після відмови в оплаті за кордоном: дзвінок "
        "у момент відмови і миттєве підвищення ліміту клієнт назвав «дивом»",
        receipts.next(BANK),
    )
    # Seed 002: the client who is called at the moment of the decline sees a miracle; the one
    # whose limit was raised silently sees nothing. The relationship manager wrote down which.
    plan.wish(
        met + timedelta(hours=1),
        Polarity.LIKE,
        Category.SERVICE,
        "Дзвонити перед будь-якою відмовою в операції; запропонувати збільшення ліміту",
        "Юрій Бондар, персональний менеджер: не піднімати ліміт мовчки — дзвонити одразу, "
        "пропонувати як виняток",
    )
    plan.wish(
        met + timedelta(hours=1, minutes=1),
        Polarity.NEVER,
        Category.COMMUNICATION,
        "Маркетингові дзвінки",
    )
    return plan


def _duplicates(rng: random.Random, tl: Timeline, receipts: Receipts) -> list[CustomerPlan]:
    taste = make_taste(rng, female=True, habitual=True)
    purchases = [VISIT_BUILDERS[BOUTIQUE](rng, taste, tl, receipts, d) for d in (290, 180, 75)]
    shop = _customer(
        DUPLICATE_AT_BOUTIQUE,
        Segment.REGULAR,
        BOUTIQUE,
        purchases[0][1].occurred_at - timedelta(minutes=5),
        NewIdentity(PHONE, DUPLICATE_AT_BOUTIQUE.find_by.value, "mobile"),
        NewIdentity(EMAIL, "anastasiia.kovalenko@example.com"),
    )
    shop.add_visits(purchases)
    shop.consent(
        "особисто в бутику",
        (Channel.SMS, Purpose.SERVICE, True),
        (Channel.EMAIL, Purpose.SERVICE, True),
    )
    shop.wish(
        purchases[1][0] + timedelta(minutes=4),
        Polarity.LIKE,
        Category.OTHER,
        "Кольори: темно-синій і кемел",
        source=Source.OBSERVED,
    )

    # Six weeks ago she booked a table on the restaurant's website with another address.
    visits = [VISIT_BUILDERS[RESTAURANT](rng, taste, tl, receipts, d) for d in (38, 17, 4)]
    restaurant = _customer(
        DUPLICATE_AT_RESTAURANT,
        Segment.NEW,
        RESTAURANT,
        visits[0][1].occurred_at - timedelta(days=2),
        NewIdentity(EMAIL, DUPLICATE_AT_RESTAURANT.find_by.value),
    )
    restaurant.add_visits(visits)
    restaurant.consent(
        "форма бронювання на сайті",
        (Channel.EMAIL, Purpose.SERVICE, True),
        (Channel.EMAIL, Purpose.MARKETING, True),
    )
    restaurant.wish(
        visits[1][0] + timedelta(minutes=10),
        Polarity.NEVER,
        Category.FOOD,
        "Горіхи",
        "алергія — попередити кухню",
    )
    return [shop, restaurant]
