"""What customers say they want, in their own language, at each kind of place.

Preferences are written in the customer's language, as staff would note them at the desk. Each
wish is one idea in up to three languages; the planner picks the ones the customer speaks.
"""

from __future__ import annotations

from dataclasses import dataclass

from heedful.core.preferences.model import Category, Polarity

from .data import BANK, BOUTIQUE, HOTEL, RESTAURANT

LIKE, DISLIKE, NEVER = Polarity.LIKE, Polarity.DISLIKE, Polarity.NEVER


@dataclass(frozen=True)
class Wish:
    polarity: Polarity
    category: Category
    text: dict[str, tuple[str, str]]  # language -> (subject, note)


def _w(polarity: Polarity, category: Category, *texts: tuple[str, str]) -> Wish:
    uk, ru, en = texts
    return Wish(polarity, category, {"uk": uk, "ru": ru, "en": en})


# One wish per entry: (subject, note) in Ukrainian, Russian and English.
# fmt: off
WISHES: dict[str, tuple[Wish, ...]] = {
    HOTEL: (
        _w(LIKE, Category.ROOM, ("Високий поверх", "подалі від ліфта"),
           ("Высокий этаж", "подальше от лифта"), ("High floor", "away from the lift")),
        _w(LIKE, Category.ROOM, ("Гіпоалергенні подушки", ""), ("Гипоаллергенные подушки", ""),
           ("Hypoallergenic pillows", "")),
        _w(LIKE, Category.ROOM, ("Жорстка подушка", "дві, якщо можна"),
           ("Жёсткая подушка", "две, если можно"), ("Firm pillow", "two if possible")),
        _w(NEVER, Category.DRINK, ("Алкоголь у мінібарі", "прибрати до заїзду"),
           ("Алкоголь в мини-баре", "убрать до заезда"),
           ("Alcohol in the minibar", "clear it before arrival")),
        _w(LIKE, Category.SERVICE, ("Ранкова газета", "діловий розділ, до сніданку"),
           ("Газета «Ведомости» к завтраку", "оставить у двери до 8:00"),
           ("Financial Times with breakfast", "at the door before 8 am")),
        _w(DISLIKE, Category.ROOM, ("Номер біля ліфта", "чутно вночі"),
           ("Номер у лифта", "жалобы на шум ночью"),
           ("Room next to the lift", "complained about the noise at night")),
        _w(LIKE, Category.ROOM, ("Тихий номер з вікнами у двір", ""),
           ("Тихий номер окнами во двор", "плохо спит при шуме с улицы"),
           ("Quiet room facing the courtyard", "light sleeper")),
        _w(LIKE, Category.DRINK, ("Негазована вода в мінібарі", ""),
           ("Негазированная минеральная вода в мини-баре", "две бутылки"),
           ("Still water in the minibar", "two bottles")),
        _w(LIKE, Category.SERVICE, ("Пізній виїзд", "зазвичай просить до 14:00"),
           ("Поздний выезд", "обычно просит до 14:00"),
           ("Late check-out", "usually asks for 2 pm")),
        _w(NEVER, Category.FOOD, ("Горіхи", "алергія; попередити ресторан на сніданку"),
           ("Орехи", "аллергия; предупредить ресторан на завтраке"),
           ("Nuts", "allergy; tell the breakfast restaurant")),
        _w(LIKE, Category.FOOD, ("Гречана каша на сніданок", ""),
           ("Гречневая каша на завтрак", "с маслом, без сахара"),
           ("Porridge for breakfast", "no sugar")),
        _w(DISLIKE, Category.SERVICE, ("Вечірнє прибирання номера", "не турбувати ввечері"),
           ("Вечерняя подготовка номера", "не беспокоить вечером"),
           ("Turndown service", "do not disturb in the evening")),
        _w(LIKE, Category.ROOM, ("Додаткова ковдра", ""), ("Дополнительное одеяло", "мёрзнет"),
           ("Extra blanket", "feels the cold")),
        _w(LIKE, Category.SERVICE, ("Трансфер з аеропорту", "зустрічати з табличкою"),
           ("Трансфер из Шереметьево", "встречать с табличкой"),
           ("Airport transfer from Sheremetyevo", "driver with a name sign")),
    ),
    RESTAURANT: (
        _w(LIKE, Category.SEATING, ("Столик біля вікна", ""), ("Столик у окна", ""),
           ("Table by the window", "")),
        _w(NEVER, Category.FOOD, ("Горіхи", "алергія — попередити кухню"),
           ("Орехи", "аллергия — предупредить кухню"), ("Nuts", "allergy — tell the kitchen")),
        _w(LIKE, Category.DRINK, ("Вівсяне молоко", "у будь-яку каву"),
           ("Овсяное молоко", "в любой кофе"), ("Oat milk", "in any coffee")),
        _w(DISLIKE, Category.FOOD, ("Кінза", "просить прибрати з салатів"),
           ("Кинза", "просит убирать из салатов"),
           ("Coriander", "ask the kitchen to leave it out")),
        _w(NEVER, Category.FOOD, ("Свинина", "не їсть"), ("Свинина", "не ест"),
           ("Pork", "does not eat it")),
        _w(LIKE, Category.SEATING, ("Тихий столик, подалі від музики", "ділові обіди"),
           ("Тихий столик подальше от музыки", "деловые обеды"),
           ("Quiet table away from the music", "business lunches")),
        _w(NEVER, Category.FOOD, ("Глютен", "целіакія"), ("Глютен", "целиакия"),
           ("Gluten", "coeliac")),
        _w(LIKE, Category.DRINK, ("Сухе біле, рислінг", ""), ("Сухое белое, рислинг", ""),
           ("Dry white wine, Riesling", "")),
        _w(DISLIKE, Category.DRINK, ("Лід у напоях", ""), ("Лёд в напитках", ""),
           ("Ice in drinks", "")),
        _w(LIKE, Category.SERVICE, ("Рахунок разом з основною стравою", "обідає швидко"),
           ("Счёт вместе с основным блюдом", "обедает быстро"),
           ("Bill with the main course", "short lunch break")),
        _w(DISLIKE, Category.SEATING, ("Столик біля кухні", ""), ("Столик у кухни", ""),
           ("Table near the kitchen", "")),
        _w(LIKE, Category.FOOD, ("Десерт дня", "любить сюрпризи від шефа"),
           ("Десерт дня", "любит сюрпризы от шефа"),
           ("Dessert of the day", "likes the chef's surprises")),
        _w(LIKE, Category.SEATING, ("Тераса влітку", ""), ("Терраса летом", ""),
           ("The terrace in summer", "")),
    ),
    BOUTIQUE: (
        _w(LIKE, Category.OTHER, ("Кольори: темно-синій і кемел", ""),
           ("Цвета: тёмно-синий и кэмел", ""), ("Colours: navy and camel", "")),
        _w(DISLIKE, Category.OTHER, ("Яскраві принти", ""), ("Яркие принты", ""),
           ("Loud prints", "")),
        _w(NEVER, Category.PRODUCT, ("Натуральне хутро", "з етичних міркувань"),
           ("Натуральный мех", "из этических соображений"), ("Real fur", "for ethical reasons")),
        _w(LIKE, Category.SERVICE, ("Окрема примірочна за записом", "приходить у суботу зранку"),
           ("Отдельная примерочная по записи", "приходит в субботу утром"),
           ("Private fitting room by appointment", "comes on Saturday mornings")),
        _w(LIKE, Category.DRINK, ("Еспресо без цукру під час примірки", ""),
           ("Эспрессо без сахара во время примерки", ""),
           ("Espresso, no sugar, while trying on", "")),
        _w(LIKE, Category.PRODUCT, ("Шовкові хустки", "збирає колекцію"),
           ("Шёлковые платки", "собирает коллекцию"), ("Silk scarves", "collects them")),
        _w(DISLIKE, Category.COMMUNICATION, ("Дзвінки в робочий час", "краще писати в Telegram"),
           ("Звонки в рабочее время", "лучше писать в Telegram"),
           ("Calls during office hours", "prefers a text message")),
        _w(LIKE, Category.PRODUCT, ("Нові колекції — показати першою", ""),
           ("Новые коллекции — показать первой", ""), ("New collections — first to see them", "")),
        _w(DISLIKE, Category.PRODUCT, ("Синтетичні тканини", "тільки вовна, шовк, бавовна"),
           ("Синтетические ткани", "только шерсть, шёлк, хлопок"),
           ("Synthetic fabrics", "wool, silk and cotton only")),
    ),
    BANK: (
        _w(LIKE, Category.COMMUNICATION, ("Телефонувати лише після 18:00", "вдень на нарадах"),
           ("Звонить только после 18:00", "днём на совещаниях"),
           ("Call only after 6 pm", "in meetings all day")),
        _w(NEVER, Category.COMMUNICATION, ("Маркетингові дзвінки", "повторне прохання"),
           ("Маркетинговые звонки", "повторная просьба"), ("Marketing calls", "asked twice")),
        _w(LIKE, Category.COMMUNICATION, ("Повідомлення в Telegram, не SMS", ""),
           ("Сообщения в Telegram, не SMS", ""), ("Messages by Telegram, not SMS", "")),
        _w(LIKE, Category.SERVICE, ("Зустрічі у відділенні зранку", "до 10:00"),
           ("Встречи в отделении утром", "до 10:00"),
           ("Branch meetings in the morning", "before 10")),
        _w(DISLIKE, Category.SERVICE, ("Черги", "записувати на конкретний час"),
           ("Очереди", "записывать на конкретное время"), ("Queues", "book a time slot")),
        _w(LIKE, Category.SERVICE, ("Виписки англійською", "для аудитора"),
           ("Выписки на английском", "для аудитора"), ("Statements in English", "")),
        _w(NEVER, Category.COMMUNICATION, ("Дзвінки у вихідні", ""), ("Звонки в выходные", ""),
           ("Calls at weekends", "")),
        _w(LIKE, Category.PRODUCT, ("Депозити в доларах", ""), ("Депозиты в долларах", ""),
           ("Deposits in US dollars", "")),
    ),
}
# fmt: on

# How a consent was given at each kind of place, as staff write it.
CONSENT_GIVEN: dict[str, dict[str, tuple[str, ...]]] = {
    "uk": {
        HOTEL: ("особисто на рецепції",),
        RESTAURANT: ("форма бронювання на сайті", "особисто в залі"),
        BOUTIQUE: ("анкета картки лояльності", "особисто в бутику"),
        BANK: ("анкета клієнта у відділенні",),
    },
    "ru": {
        HOTEL: ("лично на стойке регистрации", "форма бронирования на сайте"),
        RESTAURANT: ("форма бронирования на сайте", "лично в зале"),
        BOUTIQUE: ("анкета карты лояльности", "лично в бутике"),
        BANK: ("анкета клиента в отделении",),
    },
    "en": {
        HOTEL: ("in person at the front desk", "booking form on the website"),
        RESTAURANT: ("booking form on the website", "in person"),
        BOUTIQUE: ("loyalty card form", "in person at the boutique"),
        BANK: ("client form at the branch",),
    },
}
CONSENT_WITHDRAWN: dict[str, tuple[str, ...]] = {
    "uk": ("посилання «відписатися» в листі", "прохання по телефону", "відповідь STOP на SMS"),
    "ru": ("ссылка «отписаться» в письме", "просьба по телефону", "ответ STOP на SMS"),
    "en": ("unsubscribe link", "asked on the phone", "replied STOP to a text"),
}

# Now and then the till or the desk adds a line to a visit, in the location's own language.
VISIT_NOTES: dict[str, tuple[str, ...]] = {
    RESTAURANT: (
        "святкували день народження — десерт від закладу",
        "чекали столик 10 хвилин",
        "ділова зустріч, просили тихіше",
        "прийшли з дітьми, потрібен дитячий стілець",
    ),
    HOTEL: (
        "ранний заезд по просьбе гостя",
        "повышение категории номера — комплимент",
        "жалоба на шум, переселение в другой номер",
        "отзыв на стойке: всё отлично",
    ),
    BOUTIQUE: (
        "примірка 40 хвилин, допомагала Дарина",
        "покупка на подарунок",
        "повернення — інший розмір",
        "очікування на примірку 15 хвилин",
    ),
    BANK: (
        "консультація з персональним менеджером",
        "питання щодо ліміту картки",
        "закриття депозиту, переоформлення",
        "оновлення анкети клієнта",
    ),
}
