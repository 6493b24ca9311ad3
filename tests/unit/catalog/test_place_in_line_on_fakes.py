"""Her place in line, told to her (ADR 0049), on the fakes: the confirmation says where she
stands, one message tells each customer behind of her new place when those ahead are served or
drop out, and a message held through the night never tells a place that changed since."""

from __future__ import annotations

from datetime import UTC, datetime

from unit.ledger_world import LedgerWorld, a_ledger_world

from heedful.adapters.channels.composer import JinjaComposer
from heedful.core.catalog import CatalogItem, ItemKind, upsert_item
from heedful.core.customers.model import Customer
from heedful.core.engine.relay import Relay
from heedful.core.outreach import DEFAULT_TEMPLATES, Message, MessageStatus
from heedful.core.promises.handlers import (
    MakePromise,
    cancel_promise,
    make_promise,
    withdraw_promise,
)
from heedful.core.promises.model import Promise, PromiseKind, PromiseState, WantedItem
from heedful.core.promises.wishes import link_wish

JOINED, MOVED = "waiting_line_joined", "waiting_line_moved"


def _selene(world: LedgerWorld) -> None:
    now = world.shop.clock.now()
    names = {"en": "Selene", "uk": "Селена"}
    upsert_item(world.uow, CatalogItem("SELENE", ItemKind.PRODUCT, now, names=names))
    upsert_item(
        world.uow,
        CatalogItem(
            "SELENE-BLACK",
            ItemKind.VARIANT,
            now,
            parent_code="SELENE",
            names={"en": "Selene, black", "uk": "Селена, чорна", "ru": "Селена, чёрная"},
            colour="black",
        ),
    )


def _wish(
    world: LedgerWorld,
    customer: Customer,
    code: str = "selene-black",
    until: datetime | None = None,
) -> Promise:
    kyiv = world.shop.kyiv.id
    cmd = MakePromise(
        customer_id=customer.id,
        kind=PromiseKind.TELL_WHEN_AVAILABLE,
        location_id=kyiv,
        item=WantedItem(product=code, location_id=kyiv),
        due_at=until,
    )
    return make_promise(cmd, world.uow, world.shop.clock, world.assistant)


def _line_messages(world: LedgerWorld, customer: Customer) -> list[tuple[str, int]]:
    """Her messages about her place in line, oldest first: (key, place)."""
    return [
        (m.template_key, m.context["line"]["position"])
        for m in world.messages(customer)
        if m.template_key in (JOINED, MOVED)
    ]


def _restock(world: LedgerWorld, quantity: int) -> None:
    kyiv = world.shop.kyiv.id
    world.event("heedful.stock.changed", code="selene-black", location=kyiv, quantity=quantity)
    world.engine()


def _relay_with_templates(world: LedgerWorld) -> Relay:
    senders = {"email": world.mailbox, "sms": world.sms}
    return Relay(senders=senders, composer=JinjaComposer(DEFAULT_TEMPLATES), rules=world.rules)


def _customers(world: LedgerWorld, *names: str) -> list[Customer]:
    return [world.customer(n, email=f"{n.lower()}@example.com") for n in names]


def test_her_confirmation_tells_her_place_in_line_in_her_language() -> None:
    world = a_ledger_world()
    _selene(world)
    anna, boris, vera = _customers(world, "Anna", "Boris", "Vera")
    with world.uow as uow:
        vera.language = "en"
        uow.customers.update(vera)
        uow.commit()
    wishes = [_wish(world, customer) for customer in (anna, boris, vera)]

    report = _relay_with_templates(world).run(lambda: world.uow, world.shop.clock)

    assert report.sent == 3
    by_address = {e.to: e for e in world.mailbox.received}
    english = by_address["vera@example.com"]
    assert english.subject == "You are 3rd in line for Selene, black"
    assert "you are 3rd in line for Selene, black at Podil boutique." in english.text
    ukrainian = by_address["anna@example.com"]
    assert ukrainian.language == "uk"
    assert "Селена, чорна. Ваше місце в черзі: 1." in ukrainian.text
    # Being told her place is news, not the deed: she still waits for the bag.
    assert all(world.promise(p.id).is_open for p in wishes)


def test_two_units_in_one_delivery_move_each_customer_behind_once() -> None:
    world = a_ledger_world()
    _selene(world)
    anna, boris, vera, galia = _customers(world, "Anna", "Boris", "Vera", "Galia")
    for customer in (anna, boris, vera, galia):
        _wish(world, customer)
    world.later(minutes=5)

    _restock(world, 2)

    assert [key for key, _ in _line_messages(world, anna)] == [JOINED]  # told it is back
    assert [m.template_key for m in world.messages(anna)] == [JOINED, "back_in_stock"]
    assert _line_messages(world, vera) == [(JOINED, 3), (MOVED, 1)]  # one message, not two
    assert _line_messages(world, galia) == [(JOINED, 4), (MOVED, 2)]


def test_those_behind_move_up_when_someone_ahead_drops_out() -> None:
    world = a_ledger_world()
    _selene(world)
    anna, boris, vera, galia = _customers(world, "Anna", "Boris", "Vera", "Galia")
    first, second, _, _ = (
        _wish(world, c, until=datetime(2026, 3, 20, 9, tzinfo=UTC) if c is boris else None)
        for c in (anna, boris, vera, galia)
    )
    world.later(minutes=5)

    cancel_promise(
        first.id, "she bought it elsewhere", world.uow, world.shop.clock, world.assistant
    )
    assert _line_messages(world, boris) == [(JOINED, 2), (MOVED, 1)]
    assert _line_messages(world, galia) == [(JOINED, 4), (MOVED, 3)]

    world.later(days=30)  # Boris's wait expires: Vera and Galia move up again
    world.timers()
    assert world.promise(second.id).state is PromiseState.BROKEN
    assert _line_messages(world, vera) == [(JOINED, 3), (MOVED, 2), (MOVED, 1)]
    assert _line_messages(world, boris) == [(JOINED, 2), (MOVED, 1)]  # nothing more for him


def test_a_withdrawn_wish_behind_her_does_not_move_her() -> None:
    world = a_ledger_world()
    _selene(world)
    anna, boris = _customers(world, "Anna", "Boris")
    _wish(world, anna)
    second = _wish(world, boris)

    withdraw_promise(second.id, "changed her mind", world.uow, world.shop.clock, world.assistant)

    assert _line_messages(world, anna) == [(JOINED, 1)]


def test_a_place_message_held_through_the_night_tells_the_place_she_has_when_it_goes() -> None:
    world = a_ledger_world()
    _selene(world)
    anna, boris, vera = _customers(world, "Anna", "Boris", "Vera")
    world.shop.clock.advance(datetime(2026, 3, 2, 21, 30, tzinfo=UTC) - world.shop.clock.now())
    first, second, _ = (_wish(world, c) for c in (anna, boris, vera))
    assert world.relay().held == 3  # 23:30 in Kyiv: quiet hours
    cancel_promise(first.id, "bought elsewhere", world.uow, world.shop.clock, world.assistant)
    world.later(hours=1)
    cancel_promise(second.id, "bought elsewhere", world.uow, world.shop.clock, world.assistant)
    world.relay()  # the two moves of the night are held too

    world.later(hours=9)  # 09:30 in Kyiv
    world.relay()

    messages = {m.template_key: m for m in world.messages(vera) if m.status is MessageStatus.SENT}
    # Her confirmation went in the morning, with her place then; the night's moves, which it
    # already tells, are not sent after it.
    assert list(messages) == [JOINED]
    assert messages[JOINED].context["line"]["position"] == 1
    assert [e.to for e in world.mailbox.received] == ["vera@example.com"]
    unsent = [m for m in world.messages(vera) if m.template_key == MOVED]
    assert [m.status for m in unsent] == [MessageStatus.SUPPRESSED] * 2


def test_a_wish_told_at_once_or_for_an_unknown_item_gets_no_place() -> None:
    world = a_ledger_world()
    _selene(world)
    anna, boris = _customers(world, "Anna", "Boris")
    _restock(world, 1)
    _wish(world, anna)  # the unit was on the shelf: she is told it is back instead
    unlinked = _wish(world, boris, "the black Selene bag")

    assert [m.template_key for m in world.messages(anna)] == ["back_in_stock"]
    assert world.messages(boris) == []  # no line yet for words the catalog does not know

    link_wish(unlinked.id, "SELENE-BLACK", world.uow, world.shop.clock, world.assistant)
    assert _line_messages(world, boris) == [(JOINED, 1)]  # Anna's unit is hers: Boris is 1st


def test_a_message_about_her_place_is_not_sent_once_she_was_told_it_is_back() -> None:
    world = a_ledger_world()
    _selene(world)
    [anna] = _customers(world, "Anna")
    _wish(world, anna)
    _restock(world, 1)  # before the relay ran: she hears only that it is back

    world.relay()

    sent: list[Message] = [m for m in world.messages(anna) if m.status is MessageStatus.SENT]
    assert [m.template_key for m in sent] == ["back_in_stock"]
