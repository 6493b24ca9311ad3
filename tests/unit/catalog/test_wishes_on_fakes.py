"""Wishes bound to the catalog, on the fakes: an unknown item kept provisionally and linked later
in her original place, and a customer who asks while units are on the shelf told at once."""

from __future__ import annotations

from unit.ledger_world import LedgerWorld, a_ledger_world

from heedful.core.catalog import CatalogItem, ItemKind, find_item, upsert_item
from heedful.core.customers.consent import Purpose
from heedful.core.customers.model import Customer
from heedful.core.promises.handlers import MakePromise, make_promise
from heedful.core.promises.model import Promise, PromiseKind, WantedItem
from heedful.core.promises.waiting_line import PlaceState, standings, waiting_lines
from heedful.core.promises.wishes import link_wish, unlinked_wishes


def _selene(world: LedgerWorld) -> None:
    now = world.shop.clock.now()
    upsert_item(world.uow, CatalogItem("SELENE", ItemKind.PRODUCT, now, names={"en": "Selene"}))
    upsert_item(
        world.uow,
        CatalogItem(
            "SELENE-BLACK",
            ItemKind.VARIANT,
            now,
            parent_code="SELENE",
            names={"en": "Selene, black"},
            colour="black",
        ),
    )


def _wish(world: LedgerWorld, customer: Customer, product: str, variant: str = "") -> Promise:
    kyiv = world.shop.kyiv.id
    cmd = MakePromise(
        customer_id=customer.id,
        kind=PromiseKind.TELL_WHEN_AVAILABLE,
        location_id=kyiv,
        item=WantedItem(product=product, location_id=kyiv, variant=variant),
    )
    return make_promise(cmd, world.uow, world.shop.clock, world.assistant)


def test_a_variant_picked_by_its_code_is_waited_for_as_the_stock_system_names_it() -> None:
    world = a_ledger_world()
    _selene(world)
    promise = _wish(world, world.customer("Marta", email="marta@example.com"), "Selene-Black")
    assert promise.item == WantedItem("selene", world.shop.kyiv.id, variant="selene-black")
    assert unlinked_wishes(world.uow, world.shop.admin) == []


def test_an_unknown_item_is_kept_provisionally_and_linking_keeps_her_first_place() -> None:
    world = a_ledger_world()
    _selene(world)
    marta = world.customer("Marta", email="marta@example.com")
    lev = world.customer("Lev", email="lev@example.com")
    early = _wish(world, marta, "the black Selene bag")
    world.later(hours=1)
    late = _wish(world, lev, "selene-black")
    item = find_item(world.uow, "the black selene bag")
    assert item is not None
    assert item.provisional
    assert [p.id for p in unlinked_wishes(world.uow, world.shop.admin)] == [early.id]

    linked = link_wish(early.id, "SELENE-BLACK", world.uow, world.shop.clock, world.assistant)

    assert linked.item == late.item
    assert unlinked_wishes(world.uow, world.shop.admin) == []
    world.event(
        "heedful.stock.changed", code="selene-black", location=world.shop.kyiv.id, quantity=1
    )
    world.engine()
    assert world.promise(early.id).notice_message_id is not None  # she asked first
    assert world.promise(late.id).notice_message_id is None


def test_a_customer_who_asks_while_units_are_unclaimed_is_told_at_once() -> None:
    world = a_ledger_world()
    _selene(world)
    world.event(
        "heedful.stock.changed", code="SELENE-BLACK", location=world.shop.kyiv.id, quantity=1
    )
    world.engine()
    first = _wish(world, world.customer("Marta", email="marta@example.com"), "selene-black")
    second = _wish(world, world.customer("Lev", email="lev@example.com"), "selene-black")
    assert world.promise(first.id).notice_message_id is not None  # the unit was on the shelf
    assert world.promise(second.id).notice_message_id is None  # that one unit is hers


def test_the_item_page_shows_the_line_and_the_card_says_where_she_stands() -> None:
    world = a_ledger_world()
    _selene(world)
    anna, lev = (world.customer(n, email=f"{n}@example.com") for n in ("anna", "lev"))
    marta = world.customer("marta", email="marta@example.com", consent=None)
    world.consent(marta, Purpose.SERVICE, granted=False)  # asking later does not overrule it
    first = _wish(world, anna, "selene-black")
    _wish(world, lev, "selene")  # any variant of the bag: in the same line
    third = _wish(world, marta, "SELENE-BLACK")
    world.event(
        "heedful.stock.changed", code="selene-black", location=world.shop.kyiv.id, quantity=1
    )
    world.engine()

    item, [line] = waiting_lines(world.uow, world.shop.admin, "Selene-Black")

    assert item.code == "selene-black"
    # Anna was told (the unit is hers): she has left the line and those behind her moved up.
    assert [p.position for p in line.places] == [None, 1, 2]
    told, waiting = PlaceState.TOLD, PlaceState.WAITING
    assert [p.state for p in line.places] == [told, waiting, waiting]
    assert line.places[0].promise.id == first.id
    assert [p.channel for p in line.places] == ["email", "email", ""]  # marta: no consent
    [standing] = standings(world.uow, world.shop.admin, marta.id, "en")
    assert (standing.promise_id, standing.position) == (third.id, 2)
    assert standing.item_name == "Selene, black"


def test_asking_to_be_told_records_the_service_consent_it_implies_with_its_source() -> None:
    world = a_ledger_world()
    _selene(world)
    anna = world.customer("anna", email="anna@example.com", consent=None)
    promise = _wish(world, anna, "selene-black")
    with world.uow as uow:
        [decision] = uow.consents.list_for(anna.id)
    assert (decision.purpose, decision.granted) == (Purpose.SERVICE, True)
    assert promise.id in decision.how
    assert "selene" in decision.how


def test_a_customer_no_channel_reaches_is_passed_over_and_turned_into_a_call() -> None:
    world = a_ledger_world()
    _selene(world)
    silent = world.customer("silent", email="silent@example.com", consent=None)
    world.consent(silent, Purpose.SERVICE, granted=False)
    olha = world.customer("olha", email="olha@example.com")
    passed = _wish(world, silent, "selene-black")
    next_in_line = _wish(world, olha, "selene-black")
    world.event(
        "heedful.stock.changed", code="selene-black", location=world.shop.kyiv.id, quantity=1
    )
    world.engine()

    called = world.promise(passed.id)
    assert called.kind is PromiseKind.CALL_BACK
    assert called.due_at is not None
    assert called.is_open
    assert world.promise(next_in_line.id).notice_message_id is not None  # the unit went to her
    with world.uow as uow:
        [task] = uow.tasks.open_for_promise(passed.id)
    assert task.customer_id == silent.id
