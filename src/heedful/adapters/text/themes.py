"""Words that name a theme outright, in ru, uk and en: a floor under the theme head.

The head learns themes from a few hundred labelled comments; it can miss a plain word it saw too
rarely ("бариста", "queue"). A clause that names the thing speaks of it, so a stem match counts as
the theme. Stems are matched at the start of a word; keep them long enough not to catch others
("жд" would catch "дождь").
"""

from __future__ import annotations

import re

_STEMS: dict[str, str] = {
    "staff": (
        "персонал сотрудни официант администратор менеджер консультант продав кассир бармен "
        "бариста горничн портье ресепшен охранник охрана мастер повар хостес "
        "працівни офіціант адміністратор консультант касир покоївк портьє рецепці охоронец "
        "майстер майстр кухар "
        "staff waiter waitress server receptionist manager assistant cashier bartender barista "
        "housekeep porter concierge advisor adviser stylist therapist chef employee clerk teller"
    ),
    "waiting": (
        "ожидан ждал ждат ждать ждем ждём дождал дождёш прожд очеред задерж долго "
        "чека дочека черг затрим довго "
        "wait queue queuing slow delay ages"
    ),
    "cleanliness": (
        "чист грязн убор убра пыль плесен пятн мусор липк "
        "брудн прибир прибра пил плісня плям смітт "
        "clean dirty filth dust mould mold stain sticky grime spotless immaculate"
    ),
    "price": (
        "цен дорог дешев дёшев стоимост переплат комисси рубл "
        "цін вартіст комісі гривен грн "
        "price pricey expensive cheap cost overpriced fee fees charge £ $ € value"
    ),
    "product_quality": (
        "качеств брак сломал порвал ткань ткан материал шов швы "
        "якіст злама порва тканин "
        "quality faulty broke broken defect fabric stitching material"
    ),
    "atmosphere": (
        "атмосфер уют интерьер музык шумн обстановк зал зале залу "
        "затиш інтер'єр музик гамір залі "
        "atmosphere cosy cozy vibe music decor décor noisy ambience interior hall"
    ),
    "food": (
        "еда еды еду блюд вкусн невкусн кухн завтрак обед ужин суп десерт кофе пицц порци "
        "їжа їжі страв смачн несмачн сніданк обід вечер кав піц порці "
        "food dish tasty tasteless delicious breakfast lunch dinner meal soup dessert coffee "
        "pizza portion"
    ),
    "room": (
        "номер комнат кроват матрас душев ванн кондиционер "
        "кімнат ліжк матрац кондиціонер "
        "room bed mattress pillow shower bathroom suite"
    ),
    "delivery": (
        "доставк доставил курьер привез привёз посылк "
        "доставил кур'єр посилк "
        "deliver courier parcel package shipping driver"
    ),
    "communication": (
        "звон звонил позвон дозвон ответ чат поддержк сообщ письм приложени сайт предупред "
        "объясн "
        "дзвон додзвон відпові підтримк повідом застосун попере поясн "
        "call phone email chat support reply replies respond answer app website inform "
        "explain notif"
    ),
}
_PATTERNS = {
    theme: re.compile(
        r"(?<![\w'’])(?:" + "|".join(re.escape(stem) for stem in stems.split()) + r")",
        re.IGNORECASE,
    )
    for theme, stems in _STEMS.items()
}


def themes_named(text: str) -> set[str]:
    """The themes whose words ``text`` uses."""
    named = {theme for theme, pattern in _PATTERNS.items() if pattern.search(text)}
    return named - themes_not_guessed(text)


# A restaurant's or a bank's hall is not a hotel room: the theme head, which learnt "room" from
# hotel comments, hears it in "В зале было шумно", and "dining room" names a room. Where a clause
# names a hall, it speaks of no room. ("душ" is matched only as "душев": it began "душно".)
_HALL = re.compile(r"(?<![\w'’])(?:зал|dining room|hall\b)", re.IGNORECASE)


def themes_not_guessed(text: str) -> set[str]:
    """Themes the head may not guess for ``text`` (they count only when named outright)."""
    return {"room"} if _HALL.search(text) else set()
