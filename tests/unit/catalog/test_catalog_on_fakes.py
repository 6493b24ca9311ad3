"""The catalog on the in-memory fakes: codes normalised where they enter, items and stock in the
event's own time, replays heard once, and a stock report naming a variant code keeping a promise."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from unit.ledger_world import LedgerWorld, a_ledger_world

from heedful.core.catalog import (
    CatalogItem,
    ItemKind,
    StockMove,
    find_item,
    item_stock,
    level_from,
    normalise,
    record_stock,
    search_items,
    upsert_item,
)
from heedful.core.catalog.importing import CatalogRow, import_catalog
from heedful.core.events.model import BusinessEvent
from heedful.core.promises.handlers import MakePromise, make_promise
from heedful.core.promises.model import PromiseKind, WantedItem
from heedful.core.shared.errors import InvalidInput
from heedful.core.shared.importing import Outcome

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


def selene(**changes: Any) -> CatalogItem:
    values: dict[str, Any] = {
        "code": "SELENE-BLACK ",
        "kind": ItemKind.VARIANT,
        "changed_at": T0,
        "names": {"uk": "Селена, чорна", "ru": "Селена, чёрная", "en": "Selene, black"},
        "parent_code": "Selene",
        "brand": "Lypky",
        "colour": "Black ",
        "attributes": {"Material": " Calf  leather"},
    }
    values.update(changes)
    return CatalogItem(**values)


def test_codes_and_attribute_values_are_normalised_once_where_they_enter() -> None:
    item = selene()
    assert (item.code, item.parent_code, item.colour) == ("selene-black", "selene", "black")
    assert item.shown_code == "SELENE-BLACK"
    assert item.attributes == {"material": "calf leather"}
    assert normalise(" LB-205 ") == normalise("lb-205") == "lb-205"
    wanted = WantedItem(product=" Selene", location_id="loc_kyiv", variant="SELENE-BLACK ")
    assert (wanted.product, wanted.variant) == ("selene", "selene-black")


def test_an_older_change_never_overwrites_a_newer_one_and_a_repeat_changes_nothing() -> None:
    world = a_ledger_world()
    assert upsert_item(world.uow, selene(changed_at=_at(10))) is Outcome.CREATED
    assert upsert_item(world.uow, selene(changed_at=_at(10))) is Outcome.UNCHANGED
    renamed = selene(changed_at=_at(5), names={"en": "Old name"})
    with pytest.raises(Exception, match="changed after"):
        upsert_item(world.uow, renamed)
    found = find_item(world.uow, "selene-black")
    assert found is not None
    assert found.name("en") == "Selene, black"


def test_a_variant_without_its_product_is_refused_naming_the_field() -> None:
    world = a_ledger_world()
    with pytest.raises(InvalidInput) as refused:
        upsert_item(world.uow, selene(parent_code=""))
    assert refused.value.field == "parent_code"


def test_the_picker_finds_an_item_by_code_name_in_any_language_brand_or_colour() -> None:
    world = a_ledger_world()
    upsert_item(world.uow, selene())
    upsert_item(world.uow, CatalogItem("LB-205", ItemKind.PRODUCT, T0, names={"en": "Tote"}))
    for query in ("selene-black", "СЕЛЕНА", "чорна", "lypky black", "Selene, black"):
        assert [i.code for i in search_items(world.uow, query)] == ["selene-black"], query
    assert [i.code for i in search_items(world.uow, "lb-205")] == ["lb-205"]
    assert search_items(world.uow, "   ") == []


def move(
    key: str, minutes: int, *, level: int | None = None, delta: int | None = None
) -> StockMove:
    return StockMove("SELENE-BLACK", "loc_kyiv", key, _at(minutes), level, delta)


def test_the_level_is_the_latest_count_plus_the_movements_after_it_whatever_the_arrival_order() -> (
    None
):
    moves = [
        move("a", 0, level=2),
        move("b", 5, delta=-1),  # sold
        move("c", 10, level=4),  # counted: the sale is in this count
        move("d", 12, delta=+3),  # delivered after the count
        move("e", 8, delta=-1),  # a late sale, before the count: already in it
    ]
    assert level_from(moves) == 7
    assert level_from(list(reversed(moves))) == 7
    assert level_from([move("x", 0, delta=-2)]) == 0  # never below zero


def test_a_replayed_or_late_stock_report_changes_nothing() -> None:
    world = a_ledger_world()
    first = record_stock(world.uow, move("count", 10, level=2))
    assert first is not None
    assert (first.before, first.after, first.arrived) == (0, 2, 2)
    assert record_stock(world.uow, move("count", 10, level=2)) is None  # replayed
    late = record_stock(world.uow, move("old-count", 1, level=9))  # older than the count
    assert late is not None
    assert late.after == 2
    delivered = record_stock(world.uow, move("delivery", 20, delta=3))
    assert delivered is not None
    assert delivered.after == 5
    [level] = item_stock(world.uow, "selene-black")
    assert (level.quantity, level.as_of) == (5, _at(20))


def _stock_event(world: LedgerWorld, event_id: str, minutes: int, **data: Any) -> None:
    event = BusinessEvent(
        "urn:shop:stock",
        event_id,
        "heedful.stock.changed",
        {"location": world.shop.kyiv.id, **data},
        time=_at(minutes),
    )
    with world.uow as uow:
        uow.events.accept([event], received_at=world.shop.clock.now())
        uow.commit()


def test_a_stock_event_naming_the_variant_code_tells_her_in_any_spelling() -> None:
    world = a_ledger_world()
    world.event(
        "heedful.item.upserted",
        code="SELENE-BLACK",
        kind="variant",
        parent_code="SELENE",
        name_uk="Селена, чорна",
        colour="Black",
    )
    world.engine()
    marta = world.customer("Марта", email="marta@example.com")
    cmd = MakePromise(
        customer_id=marta.id,
        kind=PromiseKind.TELL_WHEN_AVAILABLE,
        location_id=world.shop.kyiv.id,
        item=WantedItem(product="Selene", location_id=world.shop.kyiv.id, variant="selene-black "),
    )
    promise = make_promise(cmd, world.uow, world.shop.clock, world.assistant)
    _stock_event(world, "s1", 0, code="selene-BLACK", quantity=0)
    _stock_event(world, "s2", 10, code="SELENE-BLACK", delta=1)
    _stock_event(world, "s0", -5, code="SELENE-BLACK", quantity=3)  # late and older: ignored

    report = world.engine()

    assert report.told == 1
    assert world.promise(promise.id).notice_message_id is not None
    assert [lvl.quantity for lvl in item_stock(world.uow, "selene-black")] == [1]


def test_a_stock_event_for_an_unknown_code_keeps_it_against_a_provisional_item() -> None:
    world = a_ledger_world()
    _stock_event(world, "s1", 0, code="NEW-1", quantity=2)
    world.engine()
    item = find_item(world.uow, "new-1")
    assert item is not None
    assert item.provisional
    upsert_item(world.uow, CatalogItem("NEW-1", ItemKind.PRODUCT, _at(-60), names={"en": "New"}))
    known = find_item(world.uow, "new-1")
    assert known is not None
    assert not known.provisional  # the import fills it in, whatever its time


def test_an_item_retired_stays_found_by_code_but_leaves_the_picker() -> None:
    world = a_ledger_world()
    world.event("heedful.item.upserted", code="LB-205", name_en="Tote")
    world.later(minutes=1)
    world.event("heedful.item.retired", code="lb-205")
    world.engine()
    item = find_item(world.uow, "LB-205")
    assert item is not None
    assert item.is_retired
    assert search_items(world.uow, "tote") == []


def test_an_import_keeps_good_rows_and_gives_every_reason_for_a_bad_one() -> None:
    world = a_ledger_world()
    rows: list[CatalogRow] = [
        (2, {"code": "SELENE", "kind": "product", "name_en": "Selene", "brand": "Lypky"}),
        (
            3,
            {
                "code": "SELENE-BLACK",
                "kind": "variant",
                "parent_code": "selene",
                "attr_strap": "Long",
            },
        ),
        (4, {"code": "", "kind": "variant", "name_de": "x"}),
        (5, {"code": "X", "kind": "spaceship"}),
        (6, {"code": "LB-205", "attributes": {"size": "M"}, "name": "Tote"}),
    ]
    report = import_catalog(rows, world.uow, T0, batch_size=2)
    assert (report.created, len(report.rejected)) == (3, 2)
    bad = {r.row: r for r in report.rejected}
    assert bad[4].field == "code, parent_code"
    assert "needs a code" in bad[4].reason
    assert "names its product" in bad[4].reason
    assert bad[5].field == "kind"
    variant = find_item(world.uow, "selene-black")
    assert variant is not None
    assert variant.attributes == {"strap": "long"}
    again = import_catalog(rows[:1], world.uow, T0)
    assert again.unchanged == 1
