"""People's names, phones and e-mail addresses, as they look in Kyiv, Moscow and London.

E-mail addresses use the reserved example.com/.net/.org domains (RFC 2606), British numbers the
Ofcom drama range 07700 900xxx and American ones 555-01xx: a demo database that someone wires to
a real SMTP or SMS gateway must not write to strangers.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# Space-separated so that the lists stay readable; Ukrainian apostrophes are part of a name.
FEMALE_FIRST: dict[str, tuple[str, ...]] = {
    "uk": _words(
        "Олена Оксана Ірина Наталія Тетяна Юлія Марія Анна Катерина Соломія Дарина Вікторія "
        "Христина Ольга Софія Яна Людмила Галина Зоряна Мар'яна Анастасія Ганна Лариса Євгенія"
    ),
    "ru": _words(
        "Анна Мария Екатерина Ольга Наталья Татьяна Елена Ирина Светлана Юлия Дарья Анастасия "
        "Ксения Полина Алёна Вера Марина Евгения Вероника Алиса"
    ),
    "en": _words(
        "Emily Charlotte Olivia Sophie Hannah Grace Amelia Lucy Sarah Emma Rachel Laura Jessica "
        "Megan Claire Alice"
    ),
}
MALE_FIRST: dict[str, tuple[str, ...]] = {
    "uk": _words(
        "Андрій Олександр Дмитро Тарас Богдан Максим Сергій Володимир Юрій Остап Назар Ігор "
        "Михайло Василь Роман Олег Петро Ярослав Микола Віталій Євген Степан"
    ),
    "ru": _words(
        "Александр Дмитрий Сергей Андрей Алексей Максим Иван Михаил Николай Павел Кирилл Артём "
        "Роман Виктор Игорь Евгений Константин Глеб Георгий Фёдор"
    ),
    "en": _words(
        "James Oliver William Thomas Daniel Michael David George Henry Matthew Samuel Benjamin "
        "Christopher Andrew Edward Jack"
    ),
}
# Masculine forms; feminine_surname() derives the others, as the languages do.
SURNAMES: dict[str, tuple[str, ...]] = {
    "uk": _words(
        "Шевченко Коваленко Бондаренко Ткаченко Кравченко Олійник Мельник Поліщук Кравчук Савчук "
        "Ковальчук Бойко Лисенко Марченко Руденко Мороз Гончаренко Павленко Ярошенко Литвиненко "
        "Гуменюк Мазур Дячук Кушнір Стасюк Ковальський Левицький Вишневський Яремчук Онищенко "
        "Тимошенко Зінченко Собко Федорів Гнатюк"
    ),
    "ru": _words(
        "Иванов Смирнов Кузнецов Попов Васильев Петров Соколов Михайлов Новиков Фёдоров Морозов "
        "Волков Алексеев Лебедев Семёнов Егоров Павлов Козлов Степанов Николаев Орлов Андреев "
        "Макаров Никитин Захаров Зайцев Соловьёв Борисов Яковлев Григорьев Романов Воробьёв "
        "Сергеев Фролов Белов Вишневский Туманов Гаврилин"
    ),
    "en": _words(
        "Smith Johnson Taylor Brown Wilson Davies Evans Roberts Walker Wright Thompson Hughes "
        "Green Hall Clarke Miller Anderson Harris Mitchell Carter Bennett Turner Cooper Parker "
        "Collins Fletcher"
    ),
}


def feminine_surname(surname: str, language: str) -> str:
    if language == "en":
        return surname
    if surname.endswith(("ський", "цький")):
        return surname[:-2] + "а"
    if surname.endswith(("ский", "цкий")):
        return surname[:-2] + "ая"
    if language == "ru" and surname.endswith(("ов", "ев", "ёв", "ин", "ын")):
        return surname + "а"
    return surname  # Ukrainian -енко, -ук, -ник... are the same for both


def _table(pairs: str) -> dict[str, str]:
    return {letter: latin for letter, _, latin in (pair.partition("=") for pair in pairs.split())}


# The Ukrainian passport table (2010) and the common Russian one; "ь=" maps to nothing.
_UK = _table(
    "а=a б=b в=v г=h ґ=g д=d е=e є=ie ж=zh з=z и=y і=i ї=i й=i к=k л=l м=m н=n о=o п=p р=r "
    "с=s т=t у=u ф=f х=kh ц=ts ч=ch ш=sh щ=shch ь= ю=iu я=ia '="
)
_UK_INITIAL = _table("є=ye ї=yi й=y ю=yu я=ya")
_RU = _table(
    "а=a б=b в=v г=g д=d е=e ё=e ж=zh з=z и=i й=y к=k л=l м=m н=n о=o п=p р=r с=s т=t у=u "
    "ф=f х=kh ц=ts ч=ch ш=sh щ=shch ъ= ы=y ь= э=e ю=yu я=ya"
)


def transliterate(word: str, language: str) -> str:
    """Latin letters for an e-mail address: the Ukrainian passport table, or the Russian one."""
    table = _UK if language == "uk" else _RU
    out = []
    for index, char in enumerate(word.lower()):
        if language == "uk" and index == 0 and char in _UK_INITIAL:
            out.append(_UK_INITIAL[char])
        else:
            out.append(table.get(char, char))
    return "".join(ch for ch in "".join(out) if ch.isascii() and (ch.isalnum() or ch in "-"))


@dataclass(frozen=True)
class Origin:
    """Where a customer's phone and time zone come from."""

    time_zone: str
    country_code: str


ORIGINS: dict[str, tuple[tuple[Origin, float], ...]] = {
    "uk": ((Origin("Europe/Kyiv", "380"), 1.0),),
    "ru_kyiv": ((Origin("Europe/Kyiv", "380"), 1.0),),
    # Guests of a Moscow hotel fly in from everywhere in Russia.
    "ru_moscow": (
        (Origin("Europe/Moscow", "7"), 0.62),
        (Origin("Asia/Yekaterinburg", "7"), 0.12),
        (Origin("Europe/Samara", "7"), 0.08),
        (Origin("Asia/Novosibirsk", "7"), 0.08),
        (Origin("Asia/Vladivostok", "7"), 0.05),
        (Origin("Europe/Kaliningrad", "7"), 0.05),
    ),
    "en": (
        (Origin("Europe/London", "44"), 0.55),
        (Origin("America/New_York", "1"), 0.2),
        (Origin("America/Chicago", "1"), 0.1),
        (Origin("America/Los_Angeles", "1"), 0.1),
        (Origin("Europe/Dublin", "44"), 0.05),
    ),
}

_UA_OPERATORS = ("50", "63", "66", "67", "68", "73", "93", "95", "96", "97", "98", "99")
_RU_OPERATORS = ("903", "905", "909", "912", "913", "915", "916", "917", "925", "926", "977", "985")
_US_AREAS = ("212", "312", "415", "617", "646", "773", "213", "718")
EMAIL_DOMAINS = ("example.com", "example.net", "example.org")


def phone_number(rng: random.Random, country_code: str) -> str:
    """A number written the way people type it at the till; the core normalises it."""
    if country_code == "380":
        d = f"{rng.randrange(10**7):07d}"
        return f"+380 {rng.choice(_UA_OPERATORS)} {d[:3]} {d[3:5]} {d[5:]}"
    if country_code == "7":
        d = f"{rng.randrange(10**7):07d}"
        return f"+7 {rng.choice(_RU_OPERATORS)} {d[:3]}-{d[3:5]}-{d[5:]}"
    if country_code == "44":
        return f"+44 7700 900{rng.randrange(1000):03d}"
    return f"+1 ({rng.choice(_US_AREAS)}) 555-01{rng.randrange(100):02d}"


@dataclass
class Registry:
    """Identities already handed out: every phone, address and card must name one person."""

    taken: set[str] = field(default_factory=set)

    def claim(self, value: str) -> bool:
        key = "".join(ch for ch in value.lower() if ch.isalnum() or ch in "@.+_")
        if key in self.taken:
            return False
        self.taken.add(key)
        return True


def unique_name(
    rng: random.Random, registry: Registry, language: str, *, female: bool
) -> tuple[str, str]:
    """A name nobody else in the demo has, so that searching it finds one card.

    A very large demo runs out of combinations: after enough tries a namesake is allowed.
    """
    for attempt in range(60):
        first = rng.choice((FEMALE_FIRST if female else MALE_FIRST)[language])
        last = rng.choice(SURNAMES[language])
        if female:
            last = feminine_surname(last, language)
        if registry.claim(f"name {first} {last}") or attempt == 59:
            break
    return first, last


def unique_phone(rng: random.Random, registry: Registry, country_code: str) -> str | None:
    """A number nobody else has, or None once a fictional range (1,000 UK numbers) runs dry."""
    for _ in range(200):
        number = phone_number(rng, country_code)
        if registry.claim(number):
            return number
    return None


def unique_email(
    rng: random.Random, registry: Registry, first: str, last: str, language: str
) -> str:
    given = first if language == "en" else transliterate(first, language)
    family = last if language == "en" else transliterate(last, language)
    given, family = given.lower().replace("'", ""), family.lower().replace("'", "")
    patterns = (
        f"{given}.{family}",
        f"{given[0]}.{family}",
        f"{family}.{given}",
        f"{given}{family}",
        f"{given}_{family[0]}",
    )
    local = rng.choice(patterns)
    domain = rng.choice(EMAIL_DOMAINS)
    while not registry.claim(f"{local}@{domain}"):
        local = f"{rng.choice(patterns)}{rng.randrange(1, 99)}"
    return f"{local}@{domain}"


def unique_code(rng: random.Random, registry: Registry, prefix: str, digits: int) -> str:
    while True:
        code = f"{prefix}{rng.randrange(10 ** (digits - 1), 10**digits)}"
        if registry.claim(code):
            return code
