"""A playbook reading tonight's book holds capacity or tells staff; nothing else (ADR 0051)."""

from __future__ import annotations

from datetime import time
from typing import Any

import pytest

from heedful.core.playbooks.look_ahead_demo import (
    CALL_BEFORE_THE_CHARGE,
    HOLD_TABLES_AT_PEAK,
    WARN_THE_HOST_OVERBOOKED,
)
from heedful.core.playbooks.model import HoldCapacity, Subject
from heedful.core.playbooks.reading import read_playbook
from heedful.core.shared.errors import InvalidInput

HOLD = {"do": "hold_capacity", "count": 2, "from": "19:00", "until": "20:30"}


def test_the_seed_playbooks_hold_two_tables_at_peak_and_warn_the_host() -> None:
    held = read_playbook(HOLD_TABLES_AT_PEAK)
    warn = read_playbook(WARN_THE_HOST_OVERBOOKED)
    assert held.look_ahead is not None
    assert held.look_ahead.subject is Subject.TONIGHT
    assert held.actions == (HoldCapacity(2, time(19, 0), time(20, 30)),)
    assert [c.field for c in warn.where] == ["data.over"]


@pytest.mark.parametrize(
    ("change", "path"),
    [
        ({"actions": [{**HOLD, "until": "25:00"}]}, "actions[0].until"),
        ({"actions": [{**HOLD, "count": 0}]}, "actions[0].count"),
        ({"actions": [{**HOLD, "kind": "chairs"}]}, "actions[0].kind"),
        ({"actions": [{"do": "send_message", "template": "card_expiring"}]}, "actions"),
        (
            {"actions": [{"do": "create_task", "title": "Call", "assign_to": "owner"}]},
            "actions",
        ),
    ],
)
def test_tonight_refuses_what_a_night_without_a_customer_cannot_do(
    change: dict[str, Any], path: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        read_playbook({**HOLD_TABLES_AT_PEAK, **change})
    assert refused.value.field == path


def test_only_tonight_holds_capacity() -> None:
    with pytest.raises(InvalidInput) as refused:
        read_playbook({**CALL_BEFORE_THE_CHARGE, "branches": [], "actions": [HOLD]})
    assert "tonight" in str(refused.value)
