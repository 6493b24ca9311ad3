"""A comment is cut where it turns, so praise and blame are read apart."""

from __future__ import annotations

import pytest

from heedful.adapters.text.clauses import split_clauses


@pytest.mark.parametrize(
    ("text", "clauses"),
    [
        (
            "The staff were lovely, but we waited forty minutes.",
            ["The staff were lovely", "but we waited forty minutes."],
        ),
        (
            "Персонал был очень милый, но ждать пришлось почти час.",
            ["Персонал был очень милый", "но ждать пришлось почти час."],
        ),
        (
            "Персонал дуже приємний, але чекати довелося сорок хвилин.",
            ["Персонал дуже приємний", "але чекати довелося сорок хвилин."],
        ),
        (
            "Номер большой, а вот пыль никто не вытирал",
            ["Номер большой", "а вот пыль никто не вытирал"],
        ),
        ("Хотя ждали долго, еда вкусная.", ["Хотя ждали долго", "еда вкусная."]),
        ("Fast, polite, efficient.", ["Fast, polite, efficient."]),
        ("Great food. Rude staff!", ["Great food.", "Rude staff!"]),
        ("", []),
    ],
)
def test_a_comment_is_split_where_it_turns(text: str, clauses: list[str]) -> None:
    assert split_clauses(text) == clauses


def test_a_lone_conjunction_stays_with_its_neighbour() -> None:
    assert split_clauses("Good, but") == ["Good but"]
    assert split_clauses("Но") == ["Но"]


@pytest.mark.parametrize(
    ("text", "clauses"),
    [
        (
            "Т. к. номер не был готов, нас переселили. Ужас.",
            ["Т. к. номер не был готов, нас переселили.", "Ужас."],
        ),
        ("Т.е. всё плохо. Я ушла.", ["Т.е. всё плохо.", "Я ушла."]),
        (
            "Хлеб, соусы и т. д. были холодные. Официант хамил.",
            ["Хлеб, соусы и т. д. были холодные.", "Официант хамил."],
        ),
        (
            "They charge for extras, e.g. the pool. It was closed.",
            ["They charge for extras, e.g. the pool.", "It was closed."],
        ),
        ("Ждали 2 ч. потом ушли.", ["Ждали 2 ч. потом ушли."]),
        ("Холодно і т. ін. Більше не прийдемо.", ["Холодно і т. ін.", "Більше не прийдемо."]),
    ],
)
def test_an_abbreviation_does_not_end_a_sentence(text: str, clauses: list[str]) -> None:
    assert split_clauses(text) == clauses
