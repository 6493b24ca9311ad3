"""The demo's questionnaires are valid, fully translated, and the boutique's follows the seed."""

from __future__ import annotations

import pytest

from heedful.core.audits import ItemKind, read_questionnaire
from heedful.entrypoints.demo.audit_questionnaires import BOUTIQUE, DEMO_QUESTIONNAIRES


@pytest.mark.parametrize("source", DEMO_QUESTIONNAIRES, ids=["boutique", "hotel", "restaurant"])
def test_each_demo_questionnaire_reads_and_speaks_ru_uk_and_en(source: dict[str, object]) -> None:
    body = read_questionnaire(source)
    texts = [body.titles, *(s.titles for s in body.sections)]
    for item in body.items():
        texts += [item.titles, *(c.titles for c in item.choices)]
        if item.guidance:
            texts.append(item.guidance)
    assert all(set(text) == {"ru", "uk", "en"} for text in texts)
    assert all(item.guidance for item in body.items() if item.scored and item.weight)


def test_the_boutique_judges_the_atmosphere_and_reads_the_call_back_from_the_ledger() -> None:
    body = read_questionnaire(BOUTIQUE)
    atmosphere = {item.key for item in body.sections[1].items}
    assert {"scent", "light", "music", "decor"} <= atmosphere
    called = body.item("call_back_kept")
    assert called is not None
    assert called.kind is ItemKind.PROMISE_KEPT
    assert called.title("uk") == "Чи зателефонували, як обіцяли?"
