"""A stock file's rows checked the quick way say exactly what the full check says: the same
counts kept, the same rows refused with the same reasons."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from heedful.core.catalog.bulk_checks import checked_stock, stock_from_row
from heedful.core.catalog.importing import RowProblems
from heedful.core.shared.importing import Rejection

LOCATIONS = {"loc_a": "loc_a", "loc_b": "loc_b", "lypky": "loc_a"}

cells = st.one_of(
    st.sampled_from(["LB-205", " lb-205 ", "Selene  Black", "", "  ", "x" * 201, "a\x00b"]),
    st.text(max_size=8),
)
wheres = st.sampled_from(["loc_a", "loc_b", "Lypky", " lypky ", "nowhere", ""])
quantities = st.one_of(
    st.sampled_from(["3", "0007", "3.0", "3,5", "-1", "²", "1000000001", "999999999", ""]),
    st.integers(-5, 10),
    st.text(max_size=4),
)


@given(st.lists(st.tuples(cells, wheres, quantities), max_size=12))
def test_the_quick_check_keeps_and_refuses_what_the_full_check_does(
    rows: list[tuple[str, str, object]],
) -> None:
    batch = [
        (number, {"code": code, "location": where, "quantity": units})
        for number, (code, where, units) in enumerate(rows, start=2)
    ]
    rejected: list[Rejection] = []
    kept, accepted = checked_stock(batch, LOCATIONS, rejected)

    expected_kept = {}
    expected_rejected = []
    for number, row in batch:
        count, problems = stock_from_row(row, LOCATIONS)
        if count is None:
            expected_rejected.append(RowProblems(problems).rejection(number))
        else:
            expected_kept[count.code, count.location_id] = count
    assert kept == list(expected_kept.values())
    assert rejected == expected_rejected
    assert accepted == len(batch) - len(expected_rejected)
