"""A back-in-stock e-mail reads, field for field, as it did before the relay was made cheaper.

Issue 18 cut the relay's CPU per notice (ADR 79). The customer must not see the difference:
subject, body (text and HTML), the headers mail clients act on (List-Unsubscribe), in Ukrainian,
Russian and English, and a link that still unsubscribes her, each customer of one batch getting
her own name, language, likes and link. The expected e-mails below were captured from the relay
before the change; only the ids a run draws at random (customer, message) are filled in.
"""

from __future__ import annotations

from email.message import EmailMessage

from itsdangerous import URLSafeSerializer
from promise_world import build_world
from smtp_mailbox import Mailbox

from heedful.bootstrap import Container
from heedful.core.outreach.templates import MessageTemplate
from heedful.core.preferences.model import Polarity
from heedful.core.shared.clock import FrozenClock

# The business's own English notice (own templates are subject and text): it says what she likes.
_OWN_EN = MessageTemplate(
    key="back_in_stock",
    language="en",
    subject="{{ customer.first_name }}, {{ item.product }} is back",
    text=(
        "Hello {{ customer.first_name }},\n\n{{ item.product }} is back at {{ location.name }}."
        "{% if customer.preferences.likes %}\nYou like: "
        "{{ customer.preferences.likes | join(', ') }}.{% endif %}"
        "{% if customer.preferences.dislikes %}\nNot for you: "
        "{{ customer.preferences.dislikes | join(', ') }}.{% endif %}"
        "{% if customer.preferences.never %}\nNever: "
        "{{ customer.preferences.never | join(', ') }}.{% endif %}"
        "{% if preferences.likes %}\nStill: {{ preferences.likes | first }}.{% endif %}"
        "\n\nUnsubscribe: {{ unsubscribe_url }}"
    ),
)


def _seen(mail: EmailMessage, ids: dict[str, str]) -> dict[str, list[tuple[str, ...]]]:
    """What her mail client shows and acts on: the headers (but the date) and each part, with
    the ids a run draws at random named instead."""

    def named(value: object) -> str:
        text = str(value)
        for drawn, name in ids.items():
            text = text.replace(drawn, name)
        return text

    headers: list[tuple[str, ...]] = [
        (name, named(value)) for name, value in mail.items() if name != "Date"
    ]
    parts: list[tuple[str, ...]] = [
        (
            part.get_content_type(),
            named(part["Content-Transfer-Encoding"]),
            named(part.get_content()),
        )
        for part in mail.walk()
        if not part.is_multipart()
    ]
    return {"headers": headers, "parts": parts}


def test_each_customer_of_a_batch_gets_the_notice_she_got_before(
    shop_container: Container, clock: FrozenClock, mailbox: Mailbox
) -> None:
    world = build_world(shop_container, clock)
    olena = world.customer("Олена Коваль", email="olena@example.com", language="uk")
    olga = world.customer("Ольга Петрова", email="olga@example.com", language="ru")
    emma = world.customer("Emma Stone", email="emma@example.com", language="en")
    said = [
        (olena, [(Polarity.LIKE, "шкіряні сумки"), (Polarity.NEVER, "хутро")]),
        (olga, [(Polarity.DISLIKE, "яркие цвета")]),
        (emma, [
            (Polarity.LIKE, "black leather"),
            (Polarity.DISLIKE, "logos"),
            (Polarity.LIKE, "<b>bold</b> & small"),
            (Polarity.NEVER, "fur"),
        ]),
    ]  # fmt: skip
    for customer, preferences in said:
        for polarity, subject in preferences:
            world.shop.preference(customer, polarity, subject)
            world.later(minutes=1)  # the newest comes first: an order the e-mail shows
    with shop_container.uow() as uow:
        uow.message_templates.put(_OWN_EN, clock.now(), "test")
        uow.commit()
    for customer in (olena, olga, emma):
        world.wait_for(customer)
    world.restock(3)

    report = shop_container.relay.run(shop_container.uow, clock)

    assert report.sent == 3
    signer = URLSafeSerializer(shop_container.settings.secret_key, salt="heedful.unsubscribe")
    base = shop_container.settings.public_url.rstrip("/")
    by_address = {str(mail["To"]): mail for mail in mailbox.wait_for(3)}
    for customer, name in ((olena, "olena"), (olga, "olga"), (emma, "emma")):
        with shop_container.uow() as uow:
            (message,) = uow.outbox.list_for_customer(customer.id, 5)
        token = signer.dumps([customer.id, "email", "service"])  # as the relay signed it before
        ids = {f"{base}/u/{token}": "{link}", message.id: "{message}"}
        assert _seen(by_address[f"{name}@example.com"], ids) == EXPECTED[name]
        unsubscribe = shop_container.unsubscribe.read(token)
        assert unsubscribe is not None
        assert (unsubscribe.customer_id, unsubscribe.channel, unsubscribe.purpose) == (
            customer.id,
            "email",
            "service",
        )


def _headers(to: str, subject: str, language: str) -> list[tuple[str, ...]]:
    return [
        ("Message-ID", "<{message}@lypky.example>"),
        ("From", "Heedful <heedful@localhost>"),
        ("To", to),
        ("Subject", subject),
        ("Auto-Submitted", "auto-generated"),
        ("List-Unsubscribe", "<{link}>"),
        ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"),
        ("MIME-Version", "1.0"),
        ("Content-Language", language),
        ("Content-Type", 'text/plain; charset="utf-8"'),
        ("Content-Transfer-Encoding", "base64"),
    ]


# Captured from the relay before ADR 79 (commit dc6f5e5).
EXPECTED = {
    "olena": {
        "headers": _headers("olena@example.com", "Знову в наявності: bag-noir", "uk"),
        "parts": [(
            "text/plain",
            "base64",
            "Вітаємо, Олена!\n\nДобра новина: bag-noir (black, розмір m) — знову в наявності."
            " Ви просили повідомити, тож пишемо одразу.\n\nЧекаємо на вас!\n\nAtelier Lypky"
            "\n\nВідписатися: {link}",
        )],
    },
    "olga": {
        "headers": _headers("olga@example.com", "Снова в наличии: bag-noir", "ru"),
        "parts": [(
            "text/plain",
            "base64",
            "Здравствуйте, Ольга!\n\nХорошая новость: bag-noir (black, размер m) — снова в"
            " наличии. Вы просили сообщить, поэтому пишем сразу.\n\nЖдём вас!\n\nAtelier Lypky"
            "\n\nОтписаться: {link}",
        )],
    },
    "emma": {
        "headers": _headers("emma@example.com", "Emma, bag-noir is back", "en"),
        "parts": [(
            "text/plain",
            "base64",
            "Hello Emma,\n\nbag-noir is back at Atelier Lypky.\nYou like: <b>bold</b> & small,"
            " black leather.\nNot for you: logos.\nNever: fur.\nStill: <b>bold</b> & small."
            "\n\nUnsubscribe: {link}",
        )],
    },
}  # fmt: skip
