"""What each place sells, as its till, booking system or core banking writes it down.

Values are in the location's own language (a Kyiv till writes Ukrainian, a Moscow PMS Russian, room
types in English as hotels do); brands are invented. Prices are in whole units of the local
currency; the planner turns them into minor units.
"""

from __future__ import annotations

# Restaurant (Kyiv): drinks, dishes and tables, with prices in UAH.
DRINKS: tuple[tuple[str, int], ...] = (
    ("Капучино", 95),
    ("Американо", 75),
    ("Флет вайт", 110),
    ("Лате", 100),
    ("Еспресо", 65),
    ("Узвар", 70),
    ("Лимонад з бузиною", 120),
    ("Чай улун", 140),
    ("Рислінг, келих", 260),
    ("Апероль шприц", 290),
    ("Капучино на вівсяному молоці", 115),
    ("Матча лате", 135),
    ("Мінеральна вода, негазована", 60),
)
DISHES: tuple[tuple[str, int], ...] = (
    ("Борщ з пампушками", 240),
    ("Вареники з картоплею", 210),
    ("Деруни зі сметаною", 220),
    ("Салат з печеним буряком", 260),
    ("Качина ніжка конфі", 480),
    ("Сирники зі сметаною", 230),
    ("Банош з бринзою", 290),
    ("Котлета по-київськи", 390),
    ("Тартар з яловичини", 420),
    ("Паста з білими грибами", 380),
    ("Судак з пюре", 450),
    ("Омлет з лососем", 310),
)
TABLES: tuple[str, ...] = ("біля вікна", "на терасі", "біля каміна", "у залі", "барна стійка")

# Hotel (Moscow): room types with the nightly rate in RUB, and extras on the folio.
ROOM_TYPES: tuple[tuple[str, int], ...] = (
    ("Superior Queen", 18500),
    ("Deluxe King", 24500),
    ("Deluxe Twin", 24500),
    ("Junior Suite", 38000),
    ("Executive Suite", 62000),
)
HOTEL_EXTRAS: tuple[tuple[str, int], ...] = (
    ("Завтрак «шведский стол»", 2500),
    ("Трансфер из Шереметьево", 6500),
    ("Спа: массаж 60 минут", 9000),
    ("Ужин в ресторане отеля", 7200),
    ("Прачечная", 1800),
)

# Boutique (Kyiv): brands, garments with a letter size, shoes with a shoe size, accessories.
BRANDS: tuple[str, ...] = (
    "Ottavia Bruni",
    "Maison Verlaine",
    "Castellani",
    "Hartwell & Lowe",
    "Severin Paris",
    "Nordhaven",
)
GARMENTS_WOMEN: tuple[tuple[str, int], ...] = (
    ("Сукня", 46000),
    ("Жакет", 52000),
    ("Штани", 24000),
    ("Блуза", 19000),
    ("Кашеміровий светр", 31000),
    ("Пальто", 88000),
    ("Спідниця", 22000),
)
GARMENTS_MEN: tuple[tuple[str, int], ...] = (
    ("Сорочка", 14000),
    ("Піджак", 64000),
    ("Штани", 23000),
    ("Кашеміровий светр", 33000),
    ("Пальто", 92000),
    ("Поло", 11000),
)
SHOES: tuple[tuple[str, int], ...] = (("Туфлі", 29000), ("Лофери", 26000), ("Черевики", 34000))
ACCESSORIES: tuple[tuple[str, int], ...] = (
    ("Сумка", 78000),
    ("Шовкова хустка", 12000),
    ("Ремінь", 9500),
    ("Гаманець", 16000),
)
SIZES_WOMEN: tuple[str, ...] = ("XS", "S", "M", "M", "L")
SIZES_MEN: tuple[str, ...] = ("M", "L", "L", "XL")
SHOE_SIZES_WOMEN: tuple[str, ...] = ("36", "37", "38", "38", "39", "40")
SHOE_SIZES_MEN: tuple[str, ...] = ("41", "42", "43", "44")
COLOURS: tuple[str, ...] = (
    "чорний",
    "темно-синій",
    "кемел",
    "білий",
    "сірий",
    "бордовий",
    "оливковий",
    "бежевий",
)

# Bank (Kyiv): what a client comes to the branch for.
BANK_SERVICES: tuple[str, ...] = (
    "Консультація персонального менеджера",
    "Відкриття депозиту",
    "Обмін валюти",
    "Оформлення кредитної картки",
    "Збільшення кредитного ліміту",
    "Огляд інвестиційного портфеля",
    "Переказ SWIFT",
)
