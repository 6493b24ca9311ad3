"""Event types map to their reactions in one table; every event reaches the playbooks after them."""

from __future__ import annotations

from functools import partial

from heedful.core.dealings import DEALING_EVENT_TYPES
from heedful.core.engine.catalog_reactions import keep_item, retire, tell_waiting_customers
from heedful.core.engine.dealing_reactions import keep_dealings
from heedful.core.engine.reactions import (
    AFTER_EVERY_EVENT,
    REACTIONS,
    keep_promises_by_reference,
    reactions_for,
    run_playbooks,
)
from heedful.core.engine.refund_reactions import open_refund_promise
from heedful.core.events.types import known_type
from heedful.core.promises.model import PromiseKind


def test_a_stock_change_tells_the_waiting_customers_then_runs_the_playbooks() -> None:
    assert reactions_for("heedful.stock.changed") == (tell_waiting_customers, run_playbooks)


def test_item_events_keep_the_catalog_then_run_the_playbooks() -> None:
    assert reactions_for("heedful.item.upserted") == (keep_item, run_playbooks)
    assert reactions_for("heedful.item.retired") == (retire, run_playbooks)


def test_a_delivery_and_a_refund_keep_their_own_kind_of_promise() -> None:
    kinds: dict[str, tuple[object, ...]] = {}
    for event_type in ("heedful.order.delivered", "heedful.refund.issued"):
        first, *rest = reactions_for(event_type)
        assert isinstance(first, partial)
        assert first.func is keep_promises_by_reference
        assert rest == [run_playbooks]
        kinds[event_type] = first.args
    assert kinds == {
        "heedful.order.delivered": (PromiseKind.DELIVER_BY,),
        "heedful.refund.issued": (PromiseKind.REFUND_BY,),
    }


def test_a_type_with_no_reaction_reaches_only_the_playbooks() -> None:
    assert reactions_for("heedful.offer.published") == (run_playbooks,)
    assert reactions_for("com.example.never.heard.of") == AFTER_EVERY_EVENT == (run_playbooks,)


def test_every_type_in_the_table_is_one_ingest_takes() -> None:
    # A reaction to a type that ingest refuses could never run.
    assert all(known_type(event_type) is not None for event_type in REACTIONS)


def test_every_booking_order_and_account_type_keeps_its_state_then_runs_the_playbooks() -> None:
    assert len(DEALING_EVENT_TYPES) == 9
    for event_type in DEALING_EVENT_TYPES:
        assert reactions_for(event_type) == (keep_dealings, run_playbooks)


def test_a_refund_asked_for_opens_its_minute_promise_then_runs_the_playbooks() -> None:
    assert reactions_for("heedful.refund.requested") == (open_refund_promise, run_playbooks)
