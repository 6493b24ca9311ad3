"""An item file's rows checked the quick way say exactly what the full check says: the same
items kept with the same stored values, the same rows refused with the same reasons."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from heedful.core.catalog.bulk_checks import checked_items
from heedful.core.catalog.importing import RowProblems, item_from_row
from heedful.core.catalog.item_rows import ItemRow, quick_item
from heedful.core.shared.importing import Rejection

AT = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)

codes = st.one_of(
    st.sampled_from(["LB-205", " lb-205 ", "Selene  Black", "selene", "", "  ", "x" * 201]),
    st.sampled_from(["a\x00b", "Straße", "ǅ", "İ", "ﬁ"]),
    st.text(max_size=6),
)
kinds = st.one_of(
    st.sampled_from(["", "product", "variant", "VARIANT", "Room", "room type", "room_type"]),
    st.sampled_from([" service ", "menu_item", "spaceship", "Menu_item"]),
)
texts = st.one_of(
    st.sampled_from(["", " ", "Black", "  Чорна  сумка ", "x" * 201, "a\x00", "Σ"]),
    st.text(max_size=5),
)
others = st.one_of(st.none(), st.integers(-2, 2), st.floats(allow_nan=False), texts)
extra_columns = st.sampled_from(
    [
        "attr_material",
        "attr_Material",
        "attr_ colour",
        "name",
        "names",
        "name_de",
        "price",
        "attributes",
        "attr_",
    ]
)


@st.composite
def rows(draw: st.DrawFn) -> dict[str, object]:
    row: dict[str, object] = {"code": draw(codes)}
    for column in (
        "kind",
        "parent_code",
        "name_ru",
        "name_uk",
        "name_en",
        "brand",
        "size",
        "colour",
    ):
        if draw(st.booleans()):
            row[column] = draw(
                kinds if column == "kind" else codes if column == "parent_code" else texts
            )
    for column in draw(st.lists(extra_columns, max_size=3, unique=True)):
        row[column] = draw(texts)
    if draw(st.integers(0, 9)) == 0:  # now and then a value that is not text (JSON Lines)
        row[draw(st.sampled_from(["code", "brand", "name_en", "attr_size"]))] = draw(others)
    return row


# A row is drawn column by column: slow to generate on a loaded machine, not slow to run.
GENERATED = settings(suppress_health_check=[HealthCheck.too_slow])


@GENERATED
@given(st.lists(rows(), max_size=4))
def test_the_quick_check_keeps_and_refuses_what_the_full_check_does(
    batch_rows: list[dict[str, object]],
) -> None:
    batch = list(enumerate(batch_rows, start=2))
    rejected: list[Rejection] = []
    kept, repeated = checked_items(batch, AT, rejected)

    expected: dict[str, ItemRow] = {}
    expected_rejected = []
    expected_repeated = 0
    for number, row in batch:
        item, problems = item_from_row(row, AT)
        if item is None:
            expected_rejected.append(RowProblems(problems).rejection(number))
            continue
        expected_repeated += item.code in expected
        expected[item.code] = ItemRow.of(item)
    assert kept == list(expected.values())
    assert rejected == expected_rejected
    assert repeated == expected_repeated


@GENERATED
@given(rows())
def test_a_row_the_quick_way_keeps_is_the_item_the_full_check_makes(row: dict[str, object]) -> None:
    quick = quick_item(row, AT)
    item, _ = item_from_row(row, AT)
    if quick is not None:
        assert item is not None
        assert quick == ItemRow.of(item)
        assert list(quick.names) == list(item.names)
        assert list(quick.attributes.items()) == list(item.attributes.items())


def test_a_plain_csv_row_takes_the_quick_way() -> None:
    row = {
        "code": " P0000001-Black",
        "kind": "variant",
        "parent_code": "P0000001",
        "name_ru": "",
        "name_uk": "",
        "name_en": "Bag 1, black",
        "colour": "Black",
        "attr_material": " Leather ",
    }
    quick = quick_item(row, AT)
    assert quick is not None
    assert (quick.code, quick.shown_code, quick.parent_code) == (
        "p0000001-black",
        "P0000001-Black",
        "p0000001",
    )
    assert quick.attributes == {"material": "leather"}
    assert quick.search_text == "p0000001-black p0000001 bag 1, black black leather"
