"""The "was the promised call-back made?" item is answered by the promise ledger, with evidence."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from unit.audits.audit_forms import FORM

from heedful.core.audits import Answer, ledger_answer, read_questionnaire, score_visit
from heedful.core.promises import Promise, PromiseKind

MADE = datetime(2026, 12, 1, 12, tzinfo=UTC)
DUE = MADE + timedelta(days=2)


def call_back() -> Promise:
    return Promise(
        id="prm_1",
        customer_id="cus_shopper",
        location_id="loc_boutique",
        kind=PromiseKind.CALL_BACK,
        text="Call her when the black bag is back",
        made_by="stf_1",
        made_by_label="Oksana",
        made_at=MADE,
        due_at=DUE,
    )


def form_with_promise() -> dict[str, object]:
    raw = {**FORM, "sections": [*FORM["sections"]]}
    raw["sections"].append(
        {
            "key": "follow_up",
            "titles": {"en": "Follow-up"},
            "items": [
                {
                    "key": "called_back",
                    "kind": "promise_kept",
                    "titles": {"en": "Was the promised call-back made?"},
                    "late_credit": 0.5,
                }
            ],
        }
    )
    return raw


def test_a_kept_promise_answers_kept_with_its_evidence() -> None:
    promise = call_back()
    kept_at = MADE + timedelta(days=1)
    promise.keep(at=kept_at, by="Oksana")
    answer = ledger_answer(promise, kept_at + timedelta(days=5))
    assert answer.value == "kept"
    assert answer.evidence == {
        "promise_id": "prm_1",
        "state": "kept",
        "deadline": DUE.isoformat(),
        "kept_at": kept_at.isoformat(),
    }


def test_a_promise_kept_after_its_deadline_answers_kept_late() -> None:
    promise = call_back()
    promise.keep(at=DUE + timedelta(hours=3), by="Oksana")
    answer = ledger_answer(promise, DUE + timedelta(days=1))
    assert answer.value == "kept_late"
    assert answer.evidence["kept_at"] == (DUE + timedelta(hours=3)).isoformat()


def test_a_broken_promise_answers_broken() -> None:
    promise = call_back()
    promise.break_(at=DUE, by="Heedful", note="deadline passed")
    answer = ledger_answer(promise, DUE + timedelta(days=1))
    assert answer.value == "broken"
    assert answer.evidence["kept_at"] == ""


def test_an_open_promise_counts_once_its_deadline_has_passed() -> None:
    assert ledger_answer(call_back(), DUE - timedelta(hours=1)).value == "open"
    overdue = ledger_answer(call_back(), DUE + timedelta(minutes=1))
    assert overdue.value == "broken"
    assert overdue.evidence["overdue"] == "true"


def test_no_linked_promise_makes_the_item_not_applicable() -> None:
    assert ledger_answer(None, MADE).not_applicable


@pytest.mark.parametrize(
    ("outcome", "share"), [("kept", 1.0), ("kept_late", 0.5), ("broken", 0.0), ("open", None)]
)
def test_the_ledger_outcome_scores_the_item(outcome: str, share: float | None) -> None:
    body = read_questionnaire(form_with_promise())
    score = score_visit(body, {"called_back": Answer(outcome, evidence={"promise_id": "prm_1"})})
    assert score.items["called_back"] == share
