"""Reading a questionnaire is validating it; every refusal names the JSON path at fault."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from unit.audits.audit_forms import FORM, form

from heedful.core.audits import ItemKind, read_answers, read_questionnaire
from heedful.core.shared.errors import InvalidInput


def _broken(change: Any) -> dict[str, Any]:
    raw: dict[str, Any] = copy.deepcopy(FORM)
    change(raw)
    return raw


@pytest.mark.parametrize(
    ("change", "path"),
    [
        (lambda f: f["sections"][0]["items"][1].update(kind="stars"), "sections[0].items[1].kind"),
        (lambda f: f["sections"][1]["items"][2].update(weight=-1), "sections[1].items[2].weight"),
        (
            lambda f: f["sections"][0]["items"][0]["titles"].update(de="Hallo"),
            "sections[0].items[0].titles.de",
        ),
        (
            lambda f: (
                f["sections"][1]["items"][0]["choices"].pop()
                and f["sections"][1]["items"][0]["choices"].pop()
            ),
            "sections[1].items[0].choices",
        ),
        (
            lambda f: f["sections"][1]["items"][3].update(knockout_cap=10),
            "sections[1].items[3].knockout_cap",
        ),
        (lambda f: f["sections"][1]["items"][1].update(key="smile"), "sections[1].items[1].key"),
        (lambda f: f["sections"][0].update(colour="red"), "sections[0].colour"),
        (lambda f: f.update(sections=[]), "sections"),
    ],
)
def test_a_questionnaire_that_cannot_be_scored_is_refused_with_its_path(
    change: Any, path: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        read_questionnaire(_broken(change))
    assert refused.value.field == path


def test_titles_fall_back_to_english() -> None:
    body = read_questionnaire(FORM)
    greeted = body.item("greeted")
    assert greeted is not None
    assert greeted.kind is ItemKind.YES_NO
    assert greeted.title("uk") == "Привітали за хвилину?"
    assert body.item("smile").title("ru") == "Warmth"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("raw", "path"),
    [
        ({"smile": {"value": 9}}, "answers.smile.value"),
        ({"greeted": {"value": "yes"}}, "answers.greeted.value"),
        ({"scent": {"value": "roses"}}, "answers.scent.value"),
        ({"greeted": {"not_applicable": True}}, "answers.greeted.not_applicable"),
        ({"ghost": {"value": True}}, "answers.ghost"),
    ],
)
def test_an_answer_that_does_not_fit_its_item_is_refused(raw: Any, path: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        read_answers(form(), raw)
    assert refused.value.field == path
