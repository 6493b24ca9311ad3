"""The catalog's bulk path on SQLite and PostgreSQL: items and stock set by set, bad rows set
aside with their line and every reason, and a variant back in stock still waking its line."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from promise_world import build_world

from heedful.bootstrap import Container
from heedful.core.catalog import (
    StockMove,
    find_item,
    import_items_in_bulk,
    item_stock,
    record_stock,
)
from heedful.core.engine.stock_imports import import_stock
from heedful.core.promises.handlers import MakePromise, make_promise
from heedful.core.promises.model import PromiseKind, WantedItem
from heedful.core.shared.clock import FrozenClock


def test_items_are_kept_in_bulk_and_bad_rows_are_set_aside_with_their_line(
    container: Container, clock: FrozenClock
) -> None:
    rows = [
        (2, {"code": "SELENE", "name_en": "Selene"}),
        (3, {"code": "Selene-Black ", "kind": "variant", "parent_code": "selene"}),
        (4, {"code": "", "kind": "room"}),  # two reasons, one line
        (5, {"code": "lb-205", "kind": "spaceship"}),
        (6, {"code": "LB-205", "name_uk": "Сумка"}),
        (7, {"code": "lb-205", "name_uk": "Сумка, нова"}),  # said twice in a batch: this stands
    ]
    report = import_items_in_bulk(rows, container.uow(), clock.now(), batch_size=4)
    assert (report.created, report.updated) == (3, 0)
    assert [(r.row, r.field) for r in report.rejected] == [(4, "code, parent_code"), (5, "kind")]
    variant = find_item(container.uow(), "selene-black")
    assert variant is not None
    assert (variant.parent_code, variant.shown_code) == ("selene", "Selene-Black")
    tote = find_item(container.uow(), "lb-205")
    assert tote is not None
    assert tote.name("uk") == "Сумка, нова"

    again = import_items_in_bulk(
        [(2, {"code": "SELENE", "name_en": "Selene bag"})], container.uow(), clock.now()
    )
    assert (again.created, again.updated) == (0, 1)
    selene = find_item(container.uow(), "selene")
    assert selene is not None
    assert selene.name("en") == "Selene bag"


def test_stock_in_bulk_wakes_the_waiting_line_and_later_events_add_to_the_count(
    container: Container, clock: FrozenClock
) -> None:
    world = build_world(container, clock)
    kyiv = world.kyiv.id
    import_items_in_bulk(
        [
            (2, {"code": "selene", "name_en": "Selene"}),
            (3, {"code": "selene-black", "kind": "variant", "parent_code": "selene"}),
        ],
        container.uow(),
        clock.now(),
    )
    marta = world.customer("Марта Коваль", email="marta@example.com")
    promise = make_promise(
        MakePromise(
            marta.id,
            PromiseKind.TELL_WHEN_AVAILABLE,
            kyiv,
            item=WantedItem(product="selene", location_id=kyiv, variant="selene-black"),
        ),
        container.uow(),
        clock,
        world.assistant,
    )
    rows: list[tuple[int, dict[str, object]]] = [
        (2, {"code": "selene-black", "location": kyiv, "quantity": "1"}),
        (3, {"code": "unknown-code", "location": kyiv, "quantity": 4}),  # provisional item
        (4, {"code": "selene", "location": "nowhere", "quantity": "x"}),
        (5, {"code": "selene", "location": kyiv, "quantity": 0}),
    ]
    done = import_stock(rows, container.uow(), clock, batch_size=3)

    assert done.imported.report.accepted == 3
    [refused] = done.imported.report.rejected
    assert (refused.row, refused.field) == (4, "location, quantity")
    assert done.told == [promise.id]
    assert world.promise(promise.id).notice_message_id is not None
    assert [s.quantity for s in item_stock(container.uow(), "selene-black")] == [1]
    provisional = find_item(container.uow(), "unknown-code")
    assert provisional is not None
    assert provisional.provisional

    # A sale after the import counts from the imported level, not from nothing.
    clock.advance(timedelta(minutes=5))
    sale = StockMove("selene-black", kyiv, "urn:pos/sale-1", clock.now(), delta=-1)
    change = record_stock(container.uow(), sale)
    assert change is not None
    assert (change.before, change.after) == (1, 0)

    # The same file again: nobody waits any more, nobody is told twice.
    assert import_stock(rows, container.uow(), clock).told == []


def test_heedful_import_stock_reads_a_csv_and_lists_every_reason(
    database_url: str, monkeypatch: Any, tmp_path: Any, container: Container, clock: FrozenClock
) -> None:
    from click.testing import CliRunner

    from heedful.entrypoints.cli.main import cli

    world = build_world(container, clock)
    monkeypatch.setenv("HEEDFUL_DATABASE_URL", database_url)
    counts = tmp_path / "stock.csv"
    counts.write_text(
        f"code,location,quantity\nSELENE-BLACK,{world.kyiv.id},3\nlb-205,{world.kyiv.id},-1\n",
        encoding="utf-8",
    )
    answer = CliRunner().invoke(cli, ["import", "stock", str(counts)])
    assert answer.exit_code == 1, answer.output
    assert "accepted 1" in answer.output
    assert "row 3, quantity" in answer.output
    assert [s.quantity for s in item_stock(container.uow(), "selene-black")] == [3]


def test_a_stock_import_never_overwrites_a_level_an_event_set_later(
    container: Container, clock: FrozenClock
) -> None:
    world = build_world(container, clock)
    kyiv = world.kyiv.id
    # The stock system's event is stamped a little after the import starts (its clock runs
    # ahead, or it was counted after): its level stands; the import's count does not replace it.
    later = clock.now() + timedelta(minutes=2)
    record_stock(container.uow(), StockMove("selene-black", kyiv, "urn:pos/9", later, level=7))
    rows: list[tuple[int, dict[str, object]]] = [
        (2, {"code": "selene-black", "location": kyiv, "quantity": "2"}),
        (3, {"code": "selene-white", "location": kyiv, "quantity": "5"}),
    ]
    import_stock(rows, container.uow(), clock, batch_size=1)
    assert [s.quantity for s in item_stock(container.uow(), "selene-black")] == [7]
    assert [s.quantity for s in item_stock(container.uow(), "selene-white")] == [5]


def test_a_bad_row_amid_plain_rows_is_set_aside_and_the_same_file_again_changes_nothing(
    container: Container, clock: FrozenClock
) -> None:
    # Plain CSV rows take the quick check (item_rows.py); the bad one in the middle of the
    # batch takes the full check, and the rows after it are kept all the same. A second batch
    # of stock on the same connection plans with the statistics of the first (catalog_bulk.py).
    world = build_world(container, clock)
    kyiv, lviv = world.kyiv.id, world.lviv.id
    plain: dict[str, object] = {
        "kind": "",
        "parent_code": "",
        "name_ru": "",
        "name_uk": "",
        "name_en": "",
        "brand": "",
        "size": "",
        "colour": "",
    }  # every cell a CSV file has, as text
    items: list[tuple[int, dict[str, object]]] = [
        (n, plain | {"code": f"LB-{n:03d}", "name_en": f"Tote {n}", "attr_Material": "Leather"})
        for n in range(2, 52)
    ]
    items[25] = (27, plain | {"code": "lb-027", "kind": "variant"})  # names no product
    items.append(
        (
            52,
            plain
            | {
                "code": "lb-002-black",
                "kind": "variant",
                "parent_code": "LB-002",
                "colour": " Black ",
            },
        )
    )
    report = import_items_in_bulk(items, container.uow(), clock.now(), batch_size=1000)
    assert (report.created, report.updated) == (50, 0)
    assert [(r.row, r.field) for r in report.rejected] == [(27, "parent_code")]
    tote = find_item(container.uow(), "lb-028")
    assert tote is not None
    assert (tote.shown_code, tote.name("en"), tote.attributes) == (
        "LB-028",
        "Tote 28",
        {"material": "leather"},
    )
    black = find_item(container.uow(), "lb-002-black")
    assert black is not None
    assert (black.parent_code, black.colour) == ("lb-002", "black")

    again = import_items_in_bulk(items, container.uow(), clock.now(), batch_size=1000)
    assert (again.created, again.updated, len(again.rejected)) == (0, 50, 1)
    assert find_item(container.uow(), "lb-028") == tote

    stock: list[tuple[int, dict[str, object]]] = [
        (n, {"code": f"LB-{n:03d}", "location": where, "quantity": str(n)})
        for n in range(2, 52)
        for where in (kyiv, lviv)
    ]
    stock[40] = (22, {"code": "LB-022", "location": "nowhere", "quantity": "1"})
    for _ in range(2):  # two imports, many batches, one connection: the same levels
        done = import_stock(stock, container.uow(), clock, batch_size=7)
        assert [(r.row, r.field) for r in done.imported.report.rejected] == [(22, "location")]
        assert done.imported.report.updated == len(stock) - 1
    levels = {(s.location_id, s.quantity) for s in item_stock(container.uow(), "lb-022")}
    assert levels == {(lviv, 22)}
    assert {s.quantity for s in item_stock(container.uow(), "lb-051")} == {51}
