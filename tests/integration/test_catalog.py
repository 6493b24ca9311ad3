"""The catalog on SQLite and PostgreSQL: items, search, stock in the event's own time, replays,
retirement, the import, and the handbag story with the stock event naming the variant code."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from promise_world import build_world

from heedful.bootstrap import Container
from heedful.core.catalog import (
    CatalogItem,
    ItemKind,
    StockMove,
    find_item,
    item_stock,
    record_stock,
    search_items,
    upsert_item,
)
from heedful.core.catalog.importing import import_catalog
from heedful.core.engine.reactions import process_events
from heedful.core.events.model import BusinessEvent
from heedful.core.preferences.fitting import variants_for_preference
from heedful.core.preferences.handlers import RecordPreference, record_preference
from heedful.core.preferences.model import Polarity
from heedful.core.promises.handlers import MakePromise, make_promise
from heedful.core.promises.model import PromiseKind, WantedItem
from heedful.core.shared.clock import FrozenClock
from heedful.core.shared.importing import Outcome


def _send(
    container: Container, clock: FrozenClock, event_id: str, type_: str, minutes: int, **data: Any
) -> None:
    event = BusinessEvent(
        "urn:lypky:stock", event_id, type_, data, time=clock.now() + timedelta(minutes=minutes)
    )
    with container.uow() as uow:
        uow.events.accept([event], received_at=clock.now())
        uow.commit()


def test_items_are_kept_found_and_updated_in_their_own_time(
    container: Container, clock: FrozenClock
) -> None:
    selene = CatalogItem(
        "SELENE-BLACK",
        ItemKind.VARIANT,
        clock.now(),
        names={"ru": "Селена, чёрная", "uk": "Селена, чорна", "en": "Selene, black"},
        parent_code="SELENE",
        brand="Lypky",
        size="One size",
        colour="Black ",
        attributes={"strap": "Long"},
    )
    assert upsert_item(container.uow(), selene) is Outcome.CREATED
    assert upsert_item(container.uow(), selene) is Outcome.UNCHANGED
    upsert_item(container.uow(), CatalogItem("lb-205", ItemKind.PRODUCT, clock.now()))
    for query in ("selene-black", "чёрная", "ЧОРНА", "lypky one size", "50%_"):
        found = [item.code for item in search_items(container.uow(), query)]
        assert found == ([] if query == "50%_" else ["selene-black"]), query
    stored = find_item(container.uow(), " Selene-Black ")
    assert stored is not None
    assert stored.attributes == {"strap": "long"}
    assert stored.shown_code == "SELENE-BLACK"


def test_stock_is_the_latest_count_plus_later_moves_and_a_replay_counts_once(
    container: Container, clock: FrozenClock
) -> None:
    at = clock.now()

    def move(key: str, minutes: int, level: int | None = None, delta: int | None = None) -> Any:
        report = StockMove(
            "SELENE-BLACK", "loc_kyiv", key, at + timedelta(minutes=minutes), level, delta
        )
        return record_stock(container.uow(), report)

    assert move("count-1", 0, level=2).after == 2
    assert move("sale-1", 5, delta=-1).after == 1
    assert move("sale-1", 5, delta=-1) is None  # the same report again
    assert move("count-0", -10, level=7).after == 1  # an older count: nothing new
    assert move("count-2", 10, level=4).after == 4
    assert move("sale-0", 7, delta=-1).after == 4  # a late sale the count already saw
    assert move("delivery", 15, delta=3).after == 7
    [level] = item_stock(container.uow(), "selene-black")
    assert level.quantity == 7
    assert level.as_of == at + timedelta(minutes=15)


def test_the_handbag_story_with_the_stock_event_naming_the_variant_code(
    container: Container, clock: FrozenClock
) -> None:
    world = build_world(container, clock)
    kyiv = world.kyiv.id
    _send(
        container,
        clock,
        "i1",
        "heedful.item.upserted",
        0,
        code="SELENE-BLACK",
        kind="variant",
        parent_code="SELENE",
        name_uk="Селена, чорна",
        colour="Black",
    )
    _send(
        container,
        clock,
        "i0",
        "heedful.item.upserted",
        -60,
        code="SELENE-BLACK",
        kind="variant",
        parent_code="SELENE",
        name_uk="Стара назва",
    )  # older: passed over
    process_events(container.uow, clock)
    item = find_item(container.uow(), "selene-black")
    assert item is not None
    assert item.name("uk") == "Селена, чорна"

    marta = world.customer("Марта Коваль", email="marta@example.com")
    wanted = WantedItem(product="Selene", location_id=kyiv, variant="SELENE-BLACK ")
    promise = make_promise(
        MakePromise(marta.id, PromiseKind.TELL_WHEN_AVAILABLE, kyiv, item=wanted),
        container.uow(),
        clock,
        world.assistant,
    )
    _send(
        container,
        clock,
        "s1",
        "heedful.stock.changed",
        1,
        code="selene-black",
        location=kyiv,
        quantity=0,
    )
    _send(
        container,
        clock,
        "s2",
        "heedful.stock.changed",
        30,
        code="Selene-Black",
        location=kyiv,
        delta=1,
    )
    report = process_events(container.uow, clock)

    assert report.told == 1
    assert world.promise(promise.id).notice_message_id is not None
    assert [lvl.quantity for lvl in item_stock(container.uow(), "SELENE-BLACK")] == [1]


def test_a_retired_item_leaves_the_picker_and_an_import_keeps_good_rows(
    container: Container, clock: FrozenClock
) -> None:
    rows = [
        (2, {"code": "LB-205", "name_en": "Tote", "brand": "Lypky"}),
        (3, {"code": "", "kind": "room"}),
        (4, {"code": "R-512", "kind": "room", "parent_code": "deluxe", "name_uk": "Номер 512"}),
    ]
    report = import_catalog(rows, container.uow(), clock.now(), batch_size=2)
    assert (report.created, [r.row for r in report.rejected]) == (2, [3])
    assert report.rejected[0].field == "code, parent_code"
    _send(container, clock, "r1", "heedful.item.retired", 5, code="lb-205 ")
    process_events(container.uow, clock)
    assert search_items(container.uow(), "tote") == []
    assert [i.code for i in search_items(container.uow(), "512")] == ["r-512"]


def test_heedful_import_catalog_reads_csv_and_jsonl_and_lists_every_reason(
    database_url: str, monkeypatch: Any, tmp_path: Any, container: Container
) -> None:
    from click.testing import CliRunner

    from heedful.entrypoints.cli.main import cli

    monkeypatch.setenv("HEEDFUL_DATABASE_URL", database_url)
    csv_file = tmp_path / "catalog.csv"
    csv_file.write_text(
        "code,kind,parent_code,name_uk,colour,attr_strap\n"
        "SELENE,product,,Селена,,\n"
        'SELENE-BLACK ,variant,selene,"Селена, чорна",Black,Long\n'
        ",variant,,,,\n",
        encoding="utf-8",
    )
    answer = CliRunner().invoke(cli, ["import", "catalog", str(csv_file)])
    assert answer.exit_code == 1, answer.output
    assert "accepted 2" in answer.output
    assert "row 4, code, parent_code" in answer.output
    assert (tmp_path / "catalog.rejected.csv").exists()

    lines = tmp_path / "items.jsonl"
    lines.write_text(
        '{"code": "LB-205", "names": {"en": "Tote"}, "attributes": {"size": "M"}}\nnot json\n',
        encoding="utf-8",
    )
    answer = CliRunner().invoke(cli, ["import", "catalog", str(lines)])
    assert answer.exit_code == 1, answer.output
    assert "row 2: not JSON" in answer.output
    variant = find_item(container.uow(), "selene-black")
    assert variant is not None
    assert variant.attributes == {"strap": "long"}
    assert find_item(container.uow(), "lb-205") is not None


def test_migration_0018_normalises_the_codes_already_stored(
    database_url: str, clock: FrozenClock
) -> None:
    import sqlalchemy as sa

    from heedful.adapters.storage.migrate import downgrade, upgrade
    from heedful.bootstrap import build
    from heedful.config import Settings

    made = build(Settings(database_url=database_url, log_format="console"), clock=clock)
    world = build_world(made, clock)
    marta = world.customer("Marta", email="marta@example.com")
    kyiv = world.kyiv.id
    made.close()
    downgrade(database_url, "0015")
    engine = sa.create_engine(database_url)
    values = {"customer": marta.id, "location": kyiv, "now": clock.now()}
    with engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO promises (id, customer_id, location_id, kind, text, made_by,"
                " made_by_label, made_at, state, item_product, item_variant, item_size, evidence)"
                " VALUES ('prm_1', :customer, :location, 'tell_when_available', 'x', 'stf', 'S',"
                " :now, 'open', ' LB-205 ', 'Black ', 'M', '[]')"
            ),
            values,
        )
        for variant, quantity in (("Black ", 1), ("black", 2)):
            conn.execute(
                sa.text(
                    "INSERT INTO stock_levels (product, variant, size, location_id, quantity,"
                    " updated_at) VALUES ('LB-205', :variant, 'M', :location, :quantity, :now)"
                ),
                {**values, "variant": variant, "quantity": quantity},
            )
    upgrade(database_url)
    with engine.begin() as conn:
        promise = conn.execute(
            sa.text("SELECT item_product, item_variant, item_size FROM promises")
        ).one()
        stock = conn.execute(sa.text("SELECT product, variant, size FROM stock_levels")).all()
    engine.dispose()
    assert tuple(promise) == ("lb-205", "black", "m")
    assert [tuple(row) for row in stock] == [("lb-205", "black", "m")]


def test_a_preference_naming_attributes_fits_variants_kept_and_added_later(
    container: Container, clock: FrozenClock
) -> None:
    world = build_world(container, clock)
    upsert_item(container.uow(), CatalogItem("TOTE", ItemKind.PRODUCT, clock.now(), brand="Lypky"))
    for size in ("M", "S"):
        upsert_item(
            container.uow(),
            CatalogItem(
                f"TOTE-{size}", ItemKind.VARIANT, clock.now(), parent_code="TOTE", size=size
            ),
        )
    anna = world.customer("Anna Kovalenko", email="anna@example.com")
    said = RecordPreference(
        anna.id, Polarity.LIKE, "Lypky in M", attributes={"brand": "Lypky", "size": "M"}
    )
    kept = record_preference(said, container.uow(), clock, world.admin)
    upsert_item(
        container.uow(),
        CatalogItem("BELT-M", ItemKind.VARIANT, clock.now(), parent_code="BELT", size="m "),
    )  # its product is not described yet: the variant alone does not say the brand
    upsert_item(container.uow(), CatalogItem("BELT", ItemKind.PRODUCT, clock.now(), brand="lypky"))

    stored, fitting = variants_for_preference(container.uow(), world.admin, anna.id, kept.id)

    assert stored.attributes == {"brand": "lypky", "size": "m"}
    assert [item.code for item in fitting] == ["belt-m", "tote-m"]
