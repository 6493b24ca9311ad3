"""Event conditions in words, and the interest index finding the same playbooks they do."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from heedful.core.events.model import BusinessEvent
from heedful.core.playbooks.conditions import event_reasons, holds
from heedful.core.playbooks.firing import PlaybookIndex
from heedful.core.playbooks.model import Condition, Op, Playbook
from heedful.core.playbooks.reading import read_playbook
from heedful.core.shared.phrases import said as english

T0 = datetime(2026, 3, 2, 9, tzinfo=UTC)


def charge(**data: Any) -> BusinessEvent:
    return BusinessEvent("bank", "e1", "heedful.charge.scheduled", data, subject="UA-1")


@pytest.mark.parametrize(
    ("condition", "said"),
    [
        (Condition("data.currency", Op.EQUALS, "UAH"), "data.currency 'UAH' = 'UAH'"),
        (Condition("data.currency", Op.NOT_EQUALS, "USD"), "data.currency 'UAH' != 'USD'"),
        (Condition("data.amount", Op.ABOVE, 1000), "data.amount 1200 > 1000"),
        (Condition("data.amount", Op.AT_MOST, 1200), "data.amount 1200 <= 1200"),
        (
            Condition("data.amount", Op.ABOVE, value_of="data.balance"),
            "data.amount 1200 > data.balance 300",
        ),
        (
            Condition("data.currency", Op.IN, ["EUR", "UAH"]),
            "data.currency 'UAH' in ['EUR', 'UAH']",
        ),
        (Condition("data.account", Op.EXISTS, True), "data.account is present"),
        (Condition("data.card", Op.EXISTS, False), "data.card is absent"),
        (Condition("subject", Op.EQUALS, "UA-1"), "subject 'UA-1' = 'UA-1'"),
        (Condition("data.customer.id", Op.EQUALS, "cus_1"), "data.customer.id 'cus_1' = 'cus_1'"),
    ],
)
def test_each_condition_that_holds_says_so_with_the_events_values(
    condition: Condition, said: str
) -> None:
    event = charge(amount=1200, balance=300, currency="UAH", account="A", customer={"id": "cus_1"})
    found = holds(condition, event)
    assert found is not None
    assert english(found) == said


@pytest.mark.parametrize(
    "condition",
    [
        Condition("data.currency", Op.EQUALS, "USD"),
        Condition("data.amount", Op.BELOW, 1000),
        Condition("data.amount", Op.ABOVE, value_of="data.limit"),  # no such field
        Condition("data.missing", Op.NOT_EQUALS, "x"),  # absent meets nothing but exists:false
        Condition("data.flag", Op.EQUALS, 1),  # true is not 1
        Condition("data.text_amount", Op.ABOVE, 5),  # "12" is not a number
        Condition("data.currency", Op.IN, ["EUR"]),
        Condition("data.account", Op.EXISTS, False),
    ],
)
def test_a_condition_that_does_not_hold_stops_the_playbook(condition: Condition) -> None:
    event = charge(amount=1200, currency="UAH", account="A", flag=True, text_amount="12")
    assert holds(condition, event) is None
    assert event_reasons([Condition("data.account", Op.EXISTS, True), condition], event) is None


def _playbook(n: int, where: list[dict[str, Any]]) -> Playbook:
    source = {
        "name": f"p{n}",
        "trigger": {"event": "heedful.charge.scheduled", "where": where},
        "actions": [{"do": "send_message", "template": "promise_reminder"}],
    }
    body = read_playbook(source)
    return Playbook(f"pbk_{n}", body.name, body.event_type, True, 1, body, T0, T0, "", "")


_conditions = st.lists(
    st.one_of(
        st.builds(
            lambda v: {"field": "data.currency", "op": "=", "value": v},
            st.sampled_from(["UAH", "USD"]),
        ),
        st.builds(
            lambda op, v: {"field": "data.amount", "op": op, "value": v},
            st.sampled_from(["<", "<=", ">", ">="]),
            st.integers(0, 20),
        ),
        st.builds(
            lambda v: {"field": "data.amount", "op": "in", "value": v},
            st.lists(st.integers(0, 20), min_size=1, max_size=3),
        ),
        st.just({"field": "data.amount", "op": ">", "value_of": "data.balance"}),
    ),
    max_size=3,
)


@given(
    wheres=st.lists(_conditions, min_size=1, max_size=8),
    amount=st.integers(0, 20),
    balance=st.integers(0, 20),
    currency=st.sampled_from(["UAH", "USD"]),
)
def test_the_index_finds_exactly_the_playbooks_whose_conditions_hold(
    wheres: list[list[dict[str, Any]]], amount: int, balance: int, currency: str
) -> None:
    books = [_playbook(n, where) for n, where in enumerate(wheres)]
    event = charge(amount=amount, balance=balance, currency=currency)
    found = [
        p.id
        for p in PlaybookIndex(books).matching(event)
        if event_reasons(p.body.where, event) is not None
    ]
    expected = [p.id for p in books if event_reasons(p.body.where, event) is not None]
    assert sorted(found) == sorted(expected)
