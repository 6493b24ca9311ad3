"""Customers first met by e-mail or chat read in the language they wrote, on their location's clock.

The shop is in Berlin (Europe/Berlin). Before, every such customer was English and on UTC, so her
quiet hours ran an hour or two off and her first survey came in the wrong language.
"""

from __future__ import annotations

import pytest
from conversation_world import ConversationWorld, build_conversation_world

from heedful.bootstrap import Container
from heedful.core.conversations.handlers import ChatIn, receive_chat
from heedful.core.customers.commands import CreateCustomer
from heedful.core.customers.handlers import create_customer
from heedful.core.customers.model import Customer
from heedful.core.shared.clock import FrozenClock


@pytest.fixture
def world(container: Container, clock: FrozenClock) -> ConversationWorld:
    return build_conversation_world(container, clock)


def _customer(world: ConversationWorld, customer_id: str) -> Customer:
    with world.uow() as uow:
        found = uow.customers.get(customer_id)
    assert found is not None
    return found


@pytest.mark.parametrize(
    ("subject", "text", "language"),
    [
        ("Сумка Selene", "Доброго дня! Чи з'явилася сумка Selene у чорному кольорі?", "uk"),
        ("Сумка Selene", "Здравствуйте! Подскажите, когда будет сумка Selene в чёрном?", "ru"),
        ("Selene bag", "Hello, is the Selene bag back in black?", "en"),
    ],
)
def test_a_first_email_sets_the_new_customers_language_and_time_zone(
    world: ConversationWorld, subject: str, text: str, language: str
) -> None:
    received = world.email(text, subject=subject, sender=f"{language}@example.com")

    customer = _customer(world, received.thread.customer_id)
    assert customer.language == language
    assert customer.time_zone == "Europe/Berlin"


def test_a_known_customer_keeps_her_language_when_she_writes_in_another(
    world: ConversationWorld,
) -> None:
    first = world.email("Where is my order 1042?", sender="anna@example.com")
    world.email("Где мой заказ 1042?", sender="anna@example.com", subject="Заказ")

    assert _customer(world, first.thread.customer_id).language == "en"


def test_what_a_chat_visitor_writes_outranks_her_browsers_language(
    world: ConversationWorld,
) -> None:
    russian = receive_chat(
        ChatIn(text="Здравствуйте, столик на двоих на вечер есть?", language="en-GB"),
        world.uow(),
        world.clock,
        default_location_id=world.berlin.id,
    )
    short = receive_chat(
        ChatIn(text="ok?", language="uk-UA", email="olha@example.com"),
        world.uow(),
        world.clock,
        default_location_id=world.berlin.id,
    )

    assert russian.thread.language == "ru"
    assert _customer(world, russian.thread.customer_id).language == "ru"
    # Too short to tell: the browser's language stands.
    assert short.thread.language == "uk"
    visitor = _customer(world, short.thread.customer_id)
    assert (visitor.language, visitor.time_zone) == ("uk", "Europe/Berlin")


def test_a_customer_created_at_a_location_lives_on_its_clock_unless_told(
    world: ConversationWorld,
) -> None:
    plain = create_customer(
        CreateCustomer(full_name="Olena Koval", home_location_id=world.berlin.id),
        world.uow(),
        world.clock,
        world.admin,
    )
    told = create_customer(
        CreateCustomer(
            full_name="Ivan Petrenko", home_location_id=world.berlin.id, time_zone="Europe/Kyiv"
        ),
        world.uow(),
        world.clock,
        world.admin,
    )
    nowhere = create_customer(
        CreateCustomer(full_name="Nobody Inparticular"), world.uow(), world.clock, world.admin
    )

    assert plain.time_zone == "Europe/Berlin"
    assert told.time_zone == "Europe/Kyiv"
    assert nowhere.time_zone == "UTC"
