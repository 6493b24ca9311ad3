"""Messages the demo playbooks send: an offer where the customer has stayed, a liked item in stock.

Written like the default templates (short, warm, no word made to agree with a product name). The
playbook passes the event's own fields as ``event``; an offer's title is always there (the event
type requires it), and optional fields are tested with ``is defined``.
"""

from __future__ import annotations

from heedful.core.outreach import MessageTemplate

_GREETING = {
    "uk": (
        "{% if customer.first_name %}Вітаємо, {{ customer.first_name }}!"
        "{% else %}Вітаємо!{% endif %}"
    ),
    "ru": (
        "{% if customer.first_name %}Здравствуйте, {{ customer.first_name }}!"
        "{% else %}Здравствуйте!{% endif %}"
    ),
    "en": "{% if customer.first_name %}Hello {{ customer.first_name }},{% else %}Hello,{% endif %}",
}
_SIGN_OFF = "{% if location.name %}\n\n{{ location.name }}{% endif %}"
_UNSUBSCRIBE = {
    "uk": "{% if unsubscribe_url %}\n\nВідписатися: {{ unsubscribe_url }}{% endif %}",
    "ru": "{% if unsubscribe_url %}\n\nОтписаться: {{ unsubscribe_url }}{% endif %}",
    "en": "{% if unsubscribe_url %}\n\nUnsubscribe: {{ unsubscribe_url }}{% endif %}",
}
_ITEM = {
    "uk": "{{ item.product }}{% if item.size %} (розмір {{ item.size }}){% endif %}",
    "ru": "{{ item.product }}{% if item.size %} (размер {{ item.size }}){% endif %}",
    "en": "{{ item.product }}{% if item.size %} (size {{ item.size }}){% endif %}",
}

_OFFER_BODY = {
    "uk": "Там, де ви вже бували, нова пропозиція: {{ event.title }}. "
    "Ми подумали, що вам буде цікаво.",
    "ru": "Там, где вы уже бывали, новое предложение: {{ event.title }}. "
    "Мы подумали, что вам будет интересно.",
    "en": "There is a new offer at a place you know: {{ event.title }}. "
    "We thought you would like to hear first.",
}
_OFFER_SUBJECT = {
    "uk": "Нова пропозиція: {{ event.title }}",
    "ru": "Новое предложение: {{ event.title }}",
    "en": "A new offer: {{ event.title }}",
}
_LIKED_BODY = {
    "uk": f"Надійшло те, що ви любите: {_ITEM['uk']}. Відкладемо для вас, якщо напишете.",
    "ru": f"Поступило то, что вы любите: {_ITEM['ru']}. Отложим для вас, если напишете.",
    "en": f"Something you like has arrived: {_ITEM['en']}. Message us and we'll put it aside.",
}
_LIKED_SUBJECT = {
    "uk": "Є ваш розмір: {{ item.product }}",
    "ru": "Есть ваш размер: {{ item.product }}",
    "en": "In your size: {{ item.product }}",
}

# Look-ahead playbooks (ADR 0040): the customer hears it from us first, before she feels it.
_CHARGE_BODY = {
    "uk": "Завтрашнє списання {{ event.charge }} {{ event.currency }} ({{ event.charge_at }}) "
    "більше за доступні кошти. Поповніть рахунок або зателефонуйте нам: ми допоможемо.",
    "ru": "Завтрашнее списание {{ event.charge }} {{ event.currency }} ({{ event.charge_at }}) "
    "больше доступных средств. Пополните счёт или позвоните нам: мы поможем.",
    "en": "Tomorrow's charge of {{ event.charge }} {{ event.currency }} ({{ event.charge_at }}) "
    "is more than is available. Top up, or call us and we will help.",
}
_CHARGE_SUBJECT = {
    "uk": "Завтрашнє списання не пройде",
    "ru": "Завтрашнее списание не пройдёт",
    "en": "Tomorrow's charge will not go through",
}
# The order's own record (ADR 0049): the carrier is named when the shop's system gave one.
_CARRIER = "{% if order.carrier %} ({{ order.carrier }}){% endif %}"
_LATE_BODY = {
    "uk": "Замовлення {{ order.reference }} приїде пізніше, ніж ми обіцяли "
    "({{ order.promised_date }}): перевізник"
    + _CARRIER
    + " тепер називає {{ order.expected_date }}. "
    "Вибачте нам. Ми стежимо за ним і скажемо, щойно воно буде у вас.",
    "ru": "Заказ {{ order.reference }} приедет позже, чем мы обещали "
    "({{ order.promised_date }}): перевозчик"
    + _CARRIER
    + " теперь называет {{ order.expected_date }}. "
    "Простите нас. Мы следим за ним и скажем, как только он будет у вас.",
    "en": "Order {{ order.reference }} will arrive later than we promised "
    "({{ order.promised_date }}): the carrier" + _CARRIER + " now says {{ order.expected_date }}. "
    "We are sorry. We are watching it and will tell you when it is with you.",
}
_LATE_SUBJECT = {
    "uk": "Замовлення {{ order.reference }}: нова дата {{ order.expected_date }}",
    "ru": "Заказ {{ order.reference }}: новая дата {{ order.expected_date }}",
    "en": "Order {{ order.reference }}: new date {{ order.expected_date }}",
}
_CARD_BODY = {
    "uk": "Термін дії вашої картки закінчується {{ event.card_expires_on }}, раніше за наступне "
    "списання ({{ event.charge_at }}). Додайте нову картку, щоб усе пройшло вчасно.",
    "ru": "Срок действия вашей карты заканчивается {{ event.card_expires_on }}, раньше "
    "следующего списания ({{ event.charge_at }}). Добавьте новую карту, чтобы всё прошло вовремя.",
    "en": "Your card expires on {{ event.card_expires_on }}, before your next charge "
    "({{ event.charge_at }}). Add a new card so that it goes through on time.",
}
_CARD_SUBJECT = {
    "uk": "Картка закінчується до наступного списання",
    "ru": "Карта заканчивается до следующего списания",
    "en": "Your card expires before the next charge",
}

_PICKUP_BODY = {
    "uk": "Ваше замовлення {{ event.reference }} чекає на вас у пункті видачі. Заберіть його, "
    "будь ласка, до {{ event.pickup_until }}: після цього його повернуть відправникові.",
    "ru": "Ваш заказ {{ event.reference }} ждёт вас в пункте выдачи. Заберите его, "
    "пожалуйста, до {{ event.pickup_until }}: после этого его вернут отправителю.",
    "en": "Your order {{ event.reference }} is waiting for you at the pick-up point. Please "
    "collect it by {{ event.pickup_until }}: after that it is sent back.",
}
_PICKUP_SUBJECT = {
    "uk": "Замовлення {{ event.reference }} чекає до {{ event.pickup_until }}",
    "ru": "Заказ {{ event.reference }} ждёт до {{ event.pickup_until }}",
    "en": "Order {{ event.reference }} is waiting until {{ event.pickup_until }}",
}


def _template(key: str, language: str, subject: str, body: str) -> MessageTemplate:
    text = f"{_GREETING[language]}\n\n{body}{_SIGN_OFF}{_UNSUBSCRIBE[language]}"
    return MessageTemplate(key=key, language=language, subject=subject, text=text)


PLAYBOOK_TEMPLATES: tuple[MessageTemplate, ...] = tuple(
    _template(key, language, subjects[language], bodies[language])
    for key, subjects, bodies in (
        ("offer_at_favourite_place", _OFFER_SUBJECT, _OFFER_BODY),
        ("liked_item_in_stock", _LIKED_SUBJECT, _LIKED_BODY),
        ("charge_will_fail", _CHARGE_SUBJECT, _CHARGE_BODY),
        ("delivery_late", _LATE_SUBJECT, _LATE_BODY),
        ("card_expiring", _CARD_SUBJECT, _CARD_BODY),
        ("parcel_waiting", _PICKUP_SUBJECT, _PICKUP_BODY),
    )
    for language in ("uk", "ru", "en")
)
