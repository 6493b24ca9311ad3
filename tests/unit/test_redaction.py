"""Finding an erased customer's id and values inside documents, and taking them out."""

from __future__ import annotations

from heedful.core.customers.redaction import (
    ERASED_NAME,
    customers_named,
    needles,
    redact_values,
    redact_within,
)

OKSANA = "cus_" + "a1" * 16
BORYS = "cus_" + "b2" * 16


def test_every_customer_a_request_or_its_answer_names_is_found_anywhere_in_it() -> None:
    answer = {"id": "mrg_1", "survivor_id": OKSANA, "changes": [{"after": {"owner": BORYS}}]}

    assert customers_named(f"/api/v1/customers/{OKSANA}/purchases", answer) == {OKSANA, BORYS}
    assert customers_named({"id": "prf_" + "c3" * 16}, None) == frozenset()


def test_short_values_are_not_looked_for_so_other_peoples_words_stay() -> None:
    assert needles(OKSANA, ["Oksana Zhuravska", " 4455 ", "Oksana Zhuravska", "a@b.co"]) == [
        OKSANA,
        "Oksana Zhuravska",
        "a@b.co",
    ]


def test_a_string_holding_her_value_goes_whole_and_the_documents_shape_stays() -> None:
    event = {
        "customer": {"email": "Oksana.Z@example.com", "tier": "gold"},
        "lines": [{"note": "for oksana.z@example.com"}, 3],
        "order_ref": "ORD-77",
    }

    redacted = redact_values(event, ["oksana.z@example.com"])

    assert redacted == {
        "customer": {"email": ERASED_NAME, "tier": "gold"},
        "lines": [{"note": ERASED_NAME}, 3],
        "order_ref": "ORD-77",
    }
    assert redact_values(None, ["x"]) is None


def test_within_staffs_words_only_her_values_are_taken_out() -> None:
    said = "letter from Oksana Zhuravska, signed OKSANA ZHURAVSKA, about Zhuravska's card"

    assert redact_within(said, ["Oksana Zhuravska", "Zhuravska"]) == (
        f"letter from {ERASED_NAME}, signed {ERASED_NAME}, about {ERASED_NAME}'s card"
    )
