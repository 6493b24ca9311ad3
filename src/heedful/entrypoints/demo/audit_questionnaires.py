# ruff: noqa: E501  (data: one line per text in each language reads better than split strings)
"""The demo's service-audit questionnaires: a luxury boutique, a hotel check-in, a restaurant.

Data, in ru, uk and en, read by the same reader as any manager's questionnaire (ADR 0039). The
boutique's follows the seed: professionalism, the atmosphere (scent, light, music, decor) and
whether the promised call-back was made, answered from the promise ledger.
"""

from __future__ import annotations

from typing import Any


def _t(en: str, uk: str, ru: str) -> dict[str, str]:
    return {"en": en, "uk": uk, "ru": ru}


def _item(key: str, kind: str, title: dict[str, str], **more: Any) -> dict[str, Any]:
    return {"key": key, "kind": kind, "titles": title, **more}


_SCALE = {"scale_min": 1, "scale_max": 5}

BOUTIQUE: dict[str, Any] = {
    "titles": _t(
        "Luxury boutique visit", "Візит до бутика класу люкс", "Визит в бутик класса люкс"
    ),
    "sections": [
        {
            "key": "professionalism",
            "titles": _t("Professionalism", "Професійність", "Профессионализм"),
            "weight": 3,
            "items": [
                _item(
                    "greeted",
                    "yes_no",
                    _t(
                        "Greeted within a minute of entering?",
                        "Чи привітали протягом хвилини після входу?",
                        "Поприветствовали ли в течение минуты после входа?",
                    ),
                    weight=2,
                    knockout_cap=60,
                    guidance=_t(
                        "Greet every guest within a minute, eyes up from the till.",
                        "Вітайте кожного гостя протягом хвилини, відірвавши погляд від каси.",
                        "Приветствуйте каждого гостя в течение минуты, оторвав взгляд от кассы.",
                    ),
                ),
                _item(
                    "product_knowledge",
                    "scale",
                    _t(
                        "Knowledge of the collection and materials",
                        "Знання колекції та матеріалів",
                        "Знание коллекции и материалов",
                    ),
                    weight=2,
                    guidance=_t(
                        "Know each piece's story, materials and care; never guess.",
                        "Знайте історію, матеріали та догляд за кожним виробом; не вгадуйте.",
                        "Знайте историю, материалы и уход за каждым изделием; не угадывайте.",
                    ),
                    **_SCALE,
                ),
                _item(
                    "no_pressure",
                    "yes_no",
                    _t(
                        "Advice without pressure to buy?",
                        "Порада без тиску купити?",
                        "Совет без давления купить?",
                    ),
                    guidance=_t(
                        "Advise as a host, not a seller: let the guest decide.",
                        "Радьте як господар, а не продавець: рішення за гостем.",
                        "Советуйте как хозяин, а не продавец: решение за гостем.",
                    ),
                ),
                _item(
                    "farewell",
                    "yes_no",
                    _t(
                        "Seen to the door with a personal farewell?",
                        "Провели до дверей з особистим прощанням?",
                        "Проводили до двери с личным прощанием?",
                    ),
                    guidance=_t(
                        "See every guest to the door, by name where you know it.",
                        "Проводжайте кожного гостя до дверей, на ім'я, якщо знаєте його.",
                        "Провожайте каждого гостя до двери, по имени, если знаете его.",
                    ),
                ),
            ],
        },
        {
            "key": "atmosphere",
            "titles": _t("Atmosphere", "Атмосфера", "Атмосфера"),
            "weight": 2,
            "items": [
                _item(
                    "scent",
                    "single_choice",
                    _t("Scent", "Аромат", "Аромат"),
                    choices=[
                        {
                            "key": "signature",
                            "titles": _t(
                                "The house scent, subtle",
                                "Фірмовий аромат, ледь відчутний",
                                "Фирменный аромат, едва уловимый",
                            ),
                            "points": 1,
                        },
                        {
                            "key": "none",
                            "titles": _t("No scent", "Без аромату", "Без аромата"),
                            "points": 0.5,
                        },
                        {
                            "key": "strong",
                            "titles": _t(
                                "Too strong or foreign",
                                "Надто сильний або сторонній",
                                "Слишком сильный или посторонний",
                            ),
                            "points": 0,
                        },
                    ],
                    guidance=_t(
                        "Diffuse the house scent lightly; air the boutique before opening.",
                        "Розпилюйте фірмовий аромат ледь-ледь; провітрюйте бутик перед відкриттям.",
                        "Распыляйте фирменный аромат слегка; проветривайте бутик перед открытием.",
                    ),
                ),
                _item(
                    "light",
                    "scale",
                    _t(
                        "Light on the pieces and faces",
                        "Світло на виробах і обличчях",
                        "Свет на изделиях и лицах",
                    ),
                    guidance=_t(
                        "Warm light on the pieces, no glare in the mirrors; replace dead lamps today.",
                        "Тепле світло на виробах, без відблисків у дзеркалах; перегорілі лампи міняйте сьогодні.",
                        "Тёплый свет на изделиях, без бликов в зеркалах; перегоревшие лампы меняйте сегодня.",
                    ),
                    **_SCALE,
                ),
                _item(
                    "music",
                    "multiple_choice",
                    _t("Music", "Музика", "Музыка"),
                    choices=[
                        {
                            "key": "quiet",
                            "titles": _t(
                                "Quiet enough to talk",
                                "Досить тиха, щоб говорити",
                                "Достаточно тихая, чтобы говорить",
                            ),
                            "points": 0.5,
                        },
                        {
                            "key": "fits",
                            "titles": _t("Fits the house", "Пасує дому", "Подходит дому"),
                            "points": 0.5,
                        },
                        {
                            "key": "radio",
                            "titles": _t(
                                "Radio or adverts", "Радіо або реклама", "Радио или реклама"
                            ),
                            "points": 0,
                        },
                    ],
                    guidance=_t(
                        "Play the house playlist, low enough to talk over; never the radio.",
                        "Грайте фірмовий плейлист тихо, щоб можна було говорити; ніколи не радіо.",
                        "Играйте фирменный плейлист тихо, чтобы можно было говорить; никогда не радио.",
                    ),
                ),
                _item(
                    "decor",
                    "scale",
                    _t(
                        "Decor, windows and fitting rooms in order",
                        "Декор, вітрини та примірочні в порядку",
                        "Декор, витрины и примерочные в порядке",
                    ),
                    guidance=_t(
                        "Walk the floor every hour: fitting rooms clear, windows dusted, flowers fresh.",
                        "Обходьте зал щогодини: примірочні вільні, вітрини без пилу, квіти свіжі.",
                        "Обходите зал каждый час: примерочные свободны, витрины без пыли, цветы свежие.",
                    ),
                    **_SCALE,
                ),
                _item(
                    "window_photo",
                    "photo",
                    _t("Photo of the window", "Фото вітрини", "Фото витрины"),
                ),
            ],
        },
        {
            "key": "follow_up",
            "titles": _t("Follow-up", "Подальший зв'язок", "Обратная связь"),
            "weight": 2,
            "items": [
                _item(
                    "call_back_kept",
                    "promise_kept",
                    _t(
                        "Was the promised call-back made?",
                        "Чи зателефонували, як обіцяли?",
                        "Перезвонили ли, как обещали?",
                    ),
                    knockout_cap=70,
                    guidance=_t(
                        "Record every promise in Heedful when you make it, and call by the time you said.",
                        "Записуйте кожну обіцянку в Heedful одразу й телефонуйте до обіцяного часу.",
                        "Записывайте каждое обещание в Heedful сразу и звоните к обещанному времени.",
                    ),
                ),
                _item("receipt", "photo", _t("Receipt", "Чек", "Чек")),
                _item(
                    "notes",
                    "free_text",
                    _t("What stood out", "Що запам'яталося", "Что запомнилось"),
                ),
            ],
        },
    ],
}

HOTEL_CHECK_IN: dict[str, Any] = {
    "titles": _t("Hotel check-in", "Заселення в готель", "Заселение в отель"),
    "sections": [
        {
            "key": "arrival",
            "titles": _t("Arrival", "Прибуття", "Прибытие"),
            "items": [
                _item(
                    "wait_minutes",
                    "number",
                    _t(
                        "Minutes waited at the desk",
                        "Хвилин очікування біля стійки",
                        "Минут ожидания у стойки",
                    ),
                    good_to=5,
                    weight=2,
                    guidance=_t(
                        "Open a second desk when more than two guests wait.",
                        "Відкривайте другу стійку, коли чекають понад двоє гостей.",
                        "Открывайте вторую стойку, когда ждут больше двух гостей.",
                    ),
                ),
                _item(
                    "name_used",
                    "yes_no",
                    _t("Called by name?", "Звернулися на ім'я?", "Обратились по имени?"),
                    guidance=_t(
                        "Use the guest's name from the booking at least twice.",
                        "Називайте гостя на ім'я з бронювання щонайменше двічі.",
                        "Называйте гостя по имени из брони как минимум дважды.",
                    ),
                ),
                _item(
                    "preferences_known",
                    "yes_no",
                    _t(
                        "Stated preferences already known?",
                        "Відомі вподобання вже враховано?",
                        "Известные предпочтения уже учтены?",
                    ),
                    may_be_not_applicable=True,
                    guidance=_t(
                        "Read the guest's card before arrival: pillow, floor, allergies.",
                        "Перегляньте картку гостя до прибуття: подушка, поверх, алергії.",
                        "Просмотрите карточку гостя до прибытия: подушка, этаж, аллергии.",
                    ),
                ),
            ],
        },
        {
            "key": "room",
            "titles": _t("Room", "Номер", "Номер"),
            "items": [
                _item(
                    "room_clean",
                    "yes_no",
                    _t(
                        "Room spotless on entry?",
                        "Номер бездоганно чистий?",
                        "Номер безупречно чист?",
                    ),
                    weight=3,
                    knockout_cap=50,
                    guidance=_t(
                        "A supervisor checks every room before it is released.",
                        "Супервайзер перевіряє кожен номер перед заселенням.",
                        "Супервайзер проверяет каждый номер перед заселением.",
                    ),
                ),
                _item(
                    "minibar",
                    "yes_no",
                    _t("Minibar stocked?", "Мінібар заповнено?", "Минибар заполнен?"),
                    may_be_not_applicable=True,
                    guidance=_t(
                        "Restock the minibar at turn-down, and count it at check-out.",
                        "Поповнюйте мінібар під час вечірнього прибирання, рахуйте при виїзді.",
                        "Пополняйте минибар при вечерней уборке, считайте при выезде.",
                    ),
                ),
                _item("room_photo", "photo", _t("Photo of the room", "Фото номера", "Фото номера")),
            ],
        },
    ],
}

RESTAURANT: dict[str, Any] = {
    "titles": _t("Restaurant visit", "Візит до ресторану", "Визит в ресторан"),
    "sections": [
        {
            "key": "welcome",
            "titles": _t("Welcome", "Зустріч", "Встреча"),
            "items": [
                _item(
                    "seated_minutes",
                    "number",
                    _t(
                        "Minutes until seated",
                        "Хвилин до того, як посадили",
                        "Минут до того, как посадили",
                    ),
                    good_to=5,
                    guidance=_t(
                        "Greet at the door at once; seat within five minutes or say how long.",
                        "Вітайте біля дверей одразу; посадіть за п'ять хвилин або скажіть, скільки чекати.",
                        "Приветствуйте у двери сразу; посадите за пять минут или скажите, сколько ждать.",
                    ),
                ),
            ],
        },
        {
            "key": "service",
            "titles": _t("Service", "Обслуговування", "Обслуживание"),
            "weight": 2,
            "items": [
                _item(
                    "menu_knowledge",
                    "scale",
                    _t(
                        "Knowledge of the menu and allergens",
                        "Знання меню та алергенів",
                        "Знание меню и аллергенов",
                    ),
                    guidance=_t(
                        "Brief the floor on today's dishes and allergens before service.",
                        "Перед зміною розкажіть залу про страви дня та алергени.",
                        "Перед сменой расскажите залу о блюдах дня и аллергенах.",
                    ),
                    **_SCALE,
                ),
                _item(
                    "order_right",
                    "yes_no",
                    _t(
                        "Order served as asked?",
                        "Замовлення подали як просили?",
                        "Заказ подали как просили?",
                    ),
                    weight=2,
                    knockout_cap=60,
                    guidance=_t(
                        "Read the order back; the pass checks each plate against the ticket.",
                        "Повторюйте замовлення; на видачі звіряйте кожну тарілку з чеком.",
                        "Повторяйте заказ; на раздаче сверяйте каждую тарелку с чеком.",
                    ),
                ),
                _item(
                    "temperature",
                    "single_choice",
                    _t("Hot dishes arrived", "Гарячі страви подали", "Горячие блюда подали"),
                    choices=[
                        {"key": "hot", "titles": _t("Hot", "Гарячими", "Горячими"), "points": 1},
                        {"key": "warm", "titles": _t("Warm", "Теплими", "Тёплыми"), "points": 0.5},
                        {
                            "key": "cold",
                            "titles": _t("Cold", "Холодними", "Холодными"),
                            "points": 0,
                        },
                    ],
                    guidance=_t(
                        "Plates wait under the lamp no longer than a minute.",
                        "Тарілки чекають під лампою не довше хвилини.",
                        "Тарелки ждут под лампой не дольше минуты.",
                    ),
                ),
            ],
        },
        {
            "key": "bill",
            "titles": _t("The bill", "Рахунок", "Счёт"),
            "items": [
                _item(
                    "bill_minutes",
                    "number",
                    _t(
                        "Minutes from asking to the bill",
                        "Хвилин від прохання до рахунку",
                        "Минут от просьбы до счёта",
                    ),
                    good_to=5,
                    guidance=_t(
                        "Bring the bill within five minutes of the ask.",
                        "Приносьте рахунок за п'ять хвилин після прохання.",
                        "Приносите счёт в течение пяти минут после просьбы.",
                    ),
                ),
                _item("receipt", "photo", _t("Receipt", "Чек", "Чек")),
            ],
        },
    ],
}

DEMO_QUESTIONNAIRES: tuple[dict[str, Any], ...] = (BOUTIQUE, HOTEL_CHECK_IN, RESTAURANT)
