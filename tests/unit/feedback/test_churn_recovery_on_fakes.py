"""A recovery opened from the churn list, on the in-memory fakes: owned by whoever opened it,
a "recover" promise due in a business day, once per customer while open, within scope."""

from __future__ import annotations

import pytest
from builders import an_agent
from unit.ledger_world import a_ledger_world

from heedful.core.feedback.churn import ChurnRisk
from heedful.core.feedback.loop import LoopReason
from heedful.core.feedback.recovery import list_recoveries, open_churn_recovery
from heedful.core.promises.model import PromiseKind
from heedful.core.shared.errors import NotFound


def test_a_customer_at_risk_gets_one_recovery_owned_by_who_opened_it_with_her_score() -> None:
    world = a_ledger_world()
    anna = world.customer("Anna")
    now = world.shop.clock.now()
    with world.uow as uow:
        uow.feedback.churn.put(ChurnRisk(anna.id, 76, (), {}, "churn-1", now))
        uow.commit()

    loop = open_churn_recovery(anna.id, world.uow, world.shop.clock, world.assistant)
    again = open_churn_recovery(anna.id, world.uow, world.shop.clock, world.assistant)

    assert again.id == loop.id
    assert loop.answer_id is None
    assert loop.reasons == (LoopReason.CHURN_RISK,)
    assert loop.location_id == world.shop.kyiv.id
    assert loop.due_at > now
    promise = world.promise(loop.promise_id)
    assert promise.kind is PromiseKind.RECOVER
    assert promise.owner_id == world.assistant.id
    assert promise.text == "Win back the customer: churn risk 76/100"
    assert [lp.id for lp in list_recoveries(world.uow, world.shop.admin, open_only=True)] == [
        loop.id
    ]


def test_nobody_opens_one_for_a_customer_out_of_their_scope_or_never_assessed() -> None:
    world = a_ledger_world()
    anna = world.customer("Anna")
    with pytest.raises(NotFound):  # never assessed: no score to say
        open_churn_recovery(anna.id, world.uow, world.shop.clock, world.assistant)
    now = world.shop.clock.now()
    with world.uow as uow:
        uow.feedback.churn.put(ChurnRisk(anna.id, 76, (), {}, "churn-1", now))
        uow.commit()
    with pytest.raises(NotFound):  # a Lviv agent does not see a Kyiv customer
        open_churn_recovery(anna.id, world.uow, world.shop.clock, an_agent(world.shop.lviv))
