"""The messages Heedful sends out of the box, in Ukrainian, Russian and English.

Written to be short and warm, and to read as a person wrote them. Product names arrive as staff
typed them ("чорна сумка", "кросівки", "black handbag"), and their gender and number are not
known, so the Ukrainian and Russian texts never make a word agree with the product: a dash or a
colon carries it ("Знову в наявності: чорна сумка") rather than a guessed "ваш/ваша/ваші".
For the same reason the location signs off by name instead of being declined after a preposition.

Every key in the context always exists (blank when unknown, see adapters/channels/rendering.py),
so ``{% if item.size %}`` is safe and a misspelt name still fails validation.
The text goes to every channel, so it says "message", never "letter" or "e-mail".
"""

from __future__ import annotations

from heedful.core.outreach.templates import MessageTemplate

_ITEM_UK = (
    "{{ item.product }}"
    "{% if item.variant or item.size %} ("
    "{{ item.variant }}{% if item.variant and item.size %}, {% endif %}"
    "{% if item.size %}розмір {{ item.size }}{% endif %}){% endif %}"
)
_ITEM_RU = _ITEM_UK.replace("розмір", "размер")
_ITEM_EN = _ITEM_UK.replace("розмір", "size")

_GREETING_UK = (
    "{% if customer.first_name %}Вітаємо, {{ customer.first_name }}!{% else %}Вітаємо!{% endif %}"
)
_GREETING_RU = (
    "{% if customer.first_name %}Здравствуйте, {{ customer.first_name }}!"
    "{% else %}Здравствуйте!{% endif %}"
)
_GREETING_EN = (
    "{% if customer.first_name %}Hello {{ customer.first_name }},{% else %}Hello,{% endif %}"
)

_SIGN_OFF = "{% if location.name %}\n\n{{ location.name }}{% endif %}"
_UNSUBSCRIBE_UK = "{% if unsubscribe_url %}\n\nВідписатися: {{ unsubscribe_url }}{% endif %}"
_UNSUBSCRIBE_RU = "{% if unsubscribe_url %}\n\nОтписаться: {{ unsubscribe_url }}{% endif %}"
_UNSUBSCRIBE_EN = "{% if unsubscribe_url %}\n\nUnsubscribe: {{ unsubscribe_url }}{% endif %}"


BACK_IN_STOCK = (
    MessageTemplate(
        key="back_in_stock",
        language="uk",
        subject="Знову в наявності: {{ item.product }}",
        text=(
            f"{_GREETING_UK}\n\n"
            f"Добра новина: {_ITEM_UK} — знову в наявності. "
            "Ви просили повідомити, тож пишемо одразу.\n\n"
            "Чекаємо на вас!"
            f"{_SIGN_OFF}{_UNSUBSCRIBE_UK}"
        ),
    ),
    MessageTemplate(
        key="back_in_stock",
        language="ru",
        subject="Снова в наличии: {{ item.product }}",
        text=(
            f"{_GREETING_RU}\n\n"
            f"Хорошая новость: {_ITEM_RU} — снова в наличии. "
            "Вы просили сообщить, поэтому пишем сразу.\n\n"
            "Ждём вас!"
            f"{_SIGN_OFF}{_UNSUBSCRIBE_RU}"
        ),
    ),
    MessageTemplate(
        key="back_in_stock",
        language="en",
        subject="Good news: {{ item.product }} is back in stock",
        text=(
            f"{_GREETING_EN}\n\n"
            f"Good news: the {_ITEM_EN} you asked about is back in stock"
            "{% if location.name %} at {{ location.name }}{% endif %}. "
            "You asked us to let you know, so we're telling you straight away.\n\n"
            "See you soon!"
            f"{_SIGN_OFF}{_UNSUBSCRIBE_EN}"
        ),
    ),
)

PROMISE_REMINDER = (
    MessageTemplate(
        key="promise_reminder",
        language="uk",
        subject="Ми пам'ятаємо про нашу обіцянку",
        text=(
            f"{_GREETING_UK}\n\n"
            "Нагадуємо про нашу обіцянку"
            "{% if promise.text %}: «{{ promise.text }}»{% endif %}"
            "{% if promise.due %} — до {{ promise.due }}{% endif %}. "
            "Ми про неї пам'ятаємо й дотримаємо слова.\n\n"
            "Якщо щось змінилося, просто напишіть нам."
            f"{_SIGN_OFF}{_UNSUBSCRIBE_UK}"
        ),
    ),
    MessageTemplate(
        key="promise_reminder",
        language="ru",
        subject="Мы помним о нашем обещании",
        text=(
            f"{_GREETING_RU}\n\n"
            "Напоминаем о нашем обещании"
            "{% if promise.text %}: «{{ promise.text }}»{% endif %}"
            "{% if promise.due %} — до {{ promise.due }}{% endif %}. "
            "Мы о нём помним и сдержим слово.\n\n"
            "Если что-то изменилось, просто напишите нам."
            f"{_SIGN_OFF}{_UNSUBSCRIBE_RU}"
        ),
    ),
    MessageTemplate(
        key="promise_reminder",
        language="en",
        subject="We haven't forgotten our promise",
        text=(
            f"{_GREETING_EN}\n\n"
            "A quick note about what we promised you"
            "{% if promise.text %}: “{{ promise.text }}”{% endif %}"
            "{% if promise.due %}, by {{ promise.due }}{% endif %}. "
            "We haven't forgotten, and we'll keep our word.\n\n"
            "If anything has changed on your side, just let us know."
            f"{_SIGN_OFF}{_UNSUBSCRIBE_EN}"
        ),
    ),
)

WAIT_EXPIRED = (
    MessageTemplate(
        key="wait_expired",
        language="uk",
        subject=(
            "{% if item.product %}На жаль, поки без новин: {{ item.product }}"
            "{% else %}На жаль, поки без новин{% endif %}"
        ),
        text=(
            f"{_GREETING_UK}\n\n"
            "{% if item.product %}"
            f"Ви чекали на надходження: {_ITEM_UK}. "
            "{% else %}Ви просили повідомити про надходження. {% endif %}"
            "На жаль, за цей час його так і не було, і ми не хочемо, щоб ви чекали даремно. "
            "Вибачте нам.\n\n"
            "Якщо вам це ще потрібно, напишіть нам або завітайте: "
            "підкажемо, коли чекати, або підберемо щось схоже."
            f"{_SIGN_OFF}{_UNSUBSCRIBE_UK}"
        ),
    ),
    MessageTemplate(
        key="wait_expired",
        language="ru",
        subject=(
            "{% if item.product %}К сожалению, пока без новостей: {{ item.product }}"
            "{% else %}К сожалению, пока без новостей{% endif %}"
        ),
        text=(
            f"{_GREETING_RU}\n\n"
            "{% if item.product %}"
            f"Вы ждали поступления: {_ITEM_RU}. "
            "{% else %}Вы просили сообщить о поступлении. {% endif %}"
            "К сожалению, за это время его так и не было, и мы не хотим, "
            "чтобы вы ждали понапрасну. Простите нас.\n\n"
            "Если вам это всё ещё нужно, напишите нам или загляните: "
            "подскажем, когда ждать, или подберём что-то похожее."
            f"{_SIGN_OFF}{_UNSUBSCRIBE_RU}"
        ),
    ),
    MessageTemplate(
        key="wait_expired",
        language="en",
        subject=(
            "{% if item.product %}Sorry, no news yet on the {{ item.product }}"
            "{% else %}Sorry, no news yet{% endif %}"
        ),
        text=(
            f"{_GREETING_EN}\n\n"
            "{% if item.product %}"
            f"You were waiting for the {_ITEM_EN} to come back. "
            "{% else %}You asked us to tell you when your item came back. {% endif %}"
            "We're sorry: it hasn't arrived in time, and we'd rather tell you honestly "
            "than keep you waiting.\n\n"
            "If you'd still like it, just message us or drop in: we'll tell you when to "
            "expect it, or help you find something similar."
            f"{_SIGN_OFF}{_UNSUBSCRIBE_EN}"
        ),
    ),
)

# Her place in line (ADR 0049): the item's name comes in her language from the catalog; Russian
# and Ukrainian say the number ("місце в черзі: 3"), which needs no agreement, English "3rd".
_WHERE_EN = "{% if location.name %} at {{ location.name }}{% endif %}"

WAITING_LINE = (
    MessageTemplate(
        key="waiting_line_joined",
        language="uk",
        subject="Ви в черзі: {{ line.item }}",
        text=(
            f"{_GREETING_UK}\n\n"
            "Ми записали ваше прохання: {{ line.item }}. "
            "Ваше місце в черзі: {{ line.position }}. "
            "Щойно товар надійде, ми одразу вам напишемо."
            f"{_SIGN_OFF}{_UNSUBSCRIBE_UK}"
        ),
    ),
    MessageTemplate(
        key="waiting_line_joined",
        language="ru",
        subject="Вы в очереди: {{ line.item }}",
        text=(
            f"{_GREETING_RU}\n\n"
            "Мы записали вашу просьбу: {{ line.item }}. "
            "Ваше место в очереди: {{ line.position }}. "
            "Как только товар поступит, мы сразу вам напишем."
            f"{_SIGN_OFF}{_UNSUBSCRIBE_RU}"
        ),
    ),
    MessageTemplate(
        key="waiting_line_joined",
        language="en",
        subject="You are {{ line.place }} in line for {{ line.item }}",
        text=(
            f"{_GREETING_EN}\n\n"
            "We've noted your request: you are {{ line.place }} in line for {{ line.item }}"
            f"{_WHERE_EN}. We'll message you as soon as it's back."
            f"{_SIGN_OFF}{_UNSUBSCRIBE_EN}"
        ),
    ),
    MessageTemplate(
        key="waiting_line_moved",
        language="uk",
        subject="Черга просунулася: {{ line.item }}",
        text=(
            f"{_GREETING_UK}\n\n"
            "Черга просунулася. Ваше нове місце в черзі: {{ line.position }} "
            "({{ line.item }}). Щойно товар надійде, ми одразу вам напишемо."
            f"{_SIGN_OFF}{_UNSUBSCRIBE_UK}"
        ),
    ),
    MessageTemplate(
        key="waiting_line_moved",
        language="ru",
        subject="Очередь продвинулась: {{ line.item }}",
        text=(
            f"{_GREETING_RU}\n\n"
            "Очередь продвинулась. Ваше новое место в очереди: {{ line.position }} "
            "({{ line.item }}). Как только товар поступит, мы сразу вам напишем."
            f"{_SIGN_OFF}{_UNSUBSCRIBE_RU}"
        ),
    ),
    MessageTemplate(
        key="waiting_line_moved",
        language="en",
        subject="You are now {{ line.place }} in line for {{ line.item }}",
        text=(
            f"{_GREETING_EN}\n\n"
            "The line has moved: you are now {{ line.place }} in line for {{ line.item }}"
            f"{_WHERE_EN}. We'll message you as soon as it's back."
            f"{_SIGN_OFF}{_UNSUBSCRIBE_EN}"
        ),
    ),
)

DEFAULT_TEMPLATES: tuple[MessageTemplate, ...] = (
    *BACK_IN_STOCK,
    *PROMISE_REMINDER,
    *WAIT_EXPIRED,
    *WAITING_LINE,
)
