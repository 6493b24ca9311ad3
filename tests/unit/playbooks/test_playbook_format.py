"""Reading a playbook is validating it: every refusal names the JSON path at fault."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from heedful.core.playbooks.demo import DEMO_PLAYBOOKS
from heedful.core.playbooks.model import CreateTask, duration
from heedful.core.playbooks.reading import read_playbook
from heedful.core.shared.errors import InvalidInput

OFFER = {
    "name": "Offer",
    "trigger": {"event": "heedful.offer.published"},
    "audience": {"history_at": "data.location"},
    "actions": [{"do": "send_message", "template": "offer_at_favourite_place"}],
}
CHARGE = {
    "name": "Charge",
    "trigger": {"event": "heedful.charge.scheduled"},
    "actions": [{"do": "create_task", "title": "Call", "assign_to": "role:manager"}],
}


def test_the_demo_playbooks_are_valid() -> None:
    names = [read_playbook(source).name for source in DEMO_PLAYBOOKS]
    assert len(names) == len(set(names)) == 3


def test_a_goodwill_allowance_is_read_exactly() -> None:
    action = {
        "do": "create_task",
        "title": "Call",
        "assign_to": "staff:stf_1",
        "goodwill": {"amount": 499.99, "currency": "UAH"},
    }
    [task] = read_playbook({**CHARGE, "actions": [action]}).actions
    assert isinstance(task, CreateTask)
    assert str(task.goodwill_amount) == "499.99"


@pytest.mark.parametrize(
    ("source", "field"),
    [
        ({**CHARGE, "name": " "}, "name"),
        ({**CHARGE, "colour": "red"}, "colour"),
        ({**CHARGE, "trigger": {"event": "stock.arrived"}}, "trigger.event"),
        (
            {**CHARGE, "trigger": {"event": "heedful.charge.scheduled", "where": [{"op": "="}]}},
            "trigger.where[0].field",
        ),
        (
            {
                **CHARGE,
                "trigger": {
                    "event": "heedful.charge.scheduled",
                    "where": [{"field": "data.amount", "op": ">", "value": "100"}],
                },
            },
            "trigger.where[0].value",
        ),
        (
            {
                **CHARGE,
                "trigger": {
                    "event": "heedful.charge.scheduled",
                    "where": [{"field": "data.amount", "op": "in", "value_of": "data.balance"}],
                },
            },
            "trigger.where[0].value_of",
        ),
        ({**CHARGE, "customer": {"language": ["de"]}}, "customer.language[0]"),
        ({**CHARGE, "customer": {"consent": {"channel": "fax"}}}, "customer.consent.channel"),
        ({**CHARGE, "customer": {"history": {}}}, "customer.history"),
        ({**CHARGE, "customer": {"preference": [{"polarity": "like"}]}}, "customer.preference[0]"),
        ({**CHARGE, "actions": []}, "actions"),
        ({**CHARGE, "actions": [{"do": "dance"}]}, "actions[0].do"),
        ({**CHARGE, "actions": [{"do": "send_message", "template": "x"}]}, "actions[0].template"),
        (
            {**CHARGE, "actions": [{"do": "create_task", "title": "t", "assign_to": "staff:"}]},
            "actions[0].assign_to",
        ),
        (
            {
                **CHARGE,
                "actions": [
                    {
                        "do": "create_task",
                        "title": "t",
                        "assign_to": "role:manager",
                        "goodwill": {"amount": 5, "currency": "uah"},
                    }
                ],
            },
            "actions[0].goodwill.currency",
        ),
        (
            {**CHARGE, "actions": [{"do": "open_promise", "kind": "tell_when_available"}]},
            "actions[0].kind",
        ),
        (
            {**CHARGE, "actions": [{"do": "close_promise", "kind": "deliver_by"}]},
            "actions[0].reference_from",
        ),
        ({**CHARGE, "once_per_customer": "P0D"}, "once_per_customer"),
        ({**CHARGE, "audience": {"history_at": "data.location"}}, "audience"),
        ({**OFFER, "audience": None}, "audience"),
        ({**OFFER, "audience": {"history_at": "data.location", "limit": 10**6}}, "audience.limit"),
    ],
)
def test_a_playbook_that_cannot_run_is_refused_at_its_path(
    source: dict[str, Any], field: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        read_playbook(source)
    assert refused.value.field == field


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("P30D", timedelta(days=30)),
        ("P2W", timedelta(weeks=2)),
        ("PT12H", timedelta(hours=12)),
        ("P1M", None),  # months have no fixed length: refused rather than guessed
        ("30 days", None),
    ],
)
def test_once_per_customer_spans(text: str, span: timedelta | None) -> None:
    assert duration(text) == span
