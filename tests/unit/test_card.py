"""The customer card: what a receptionist reads before saying hello."""

from __future__ import annotations

from datetime import timedelta

from builders import Shop, a_manager, an_agent

from heedful.core.card import customer_card
from heedful.core.dealings import Order, OrderStatus
from heedful.core.preferences.model import Polarity
from heedful.core.shared.ids import new_id


def test_the_card_puts_never_first_and_the_newest_wish_on_top(shop: Shop) -> None:
    anna = shop.customer(at=shop.kyiv)
    shop.preference(anna, Polarity.LIKE, "window table")
    shop.clock.advance(timedelta(days=1))
    shop.preference(anna, Polarity.LIKE, "flat white")
    shop.preference(anna, Polarity.NEVER, "sparkling water")

    card = customer_card(anna.id, shop.uow, shop.clock, an_agent(shop.kyiv))

    assert list(card.preferences) == [Polarity.NEVER, Polarity.DISLIKE, Polarity.LIKE]
    assert [p.subject for p in card.preferences[Polarity.LIKE]] == ["flat white", "window table"]
    assert [p.subject for p in card.preferences[Polarity.NEVER]] == ["sparkling water"]


def test_the_audit_log_on_the_card_is_for_managers_not_agents(shop: Shop) -> None:
    anna = shop.customer(at=shop.kyiv)

    for_agent = customer_card(anna.id, shop.uow, shop.clock, an_agent(shop.kyiv))
    for_manager = customer_card(anna.id, shop.uow, shop.clock, a_manager(shop.kyiv))

    assert for_agent.audit == []
    assert [e.action for e in for_manager.audit] == ["customer.created"]


def test_the_card_shows_the_most_recent_visits_and_counts_them_all(shop: Shop) -> None:
    anna = shop.customer()
    for days in range(25, 0, -1):
        shop.purchase(anna, days_ago=days, ref=f"R-{days}")

    card = customer_card(anna.id, shop.uow, shop.clock, shop.admin)

    assert card.history_count == 25
    assert [e.external_ref for e in card.recent_history][:3] == ["R-1", "R-2", "R-3"]
    assert len(card.recent_history) == 20


def test_the_card_with_her_state_shows_her_latest_orders_at_my_shop_and_counts_them(
    shop: Shop,
) -> None:
    anna = shop.customer(at=shop.kyiv)
    now = shop.clock.now()
    with shop.uow as uow:
        for number, where in enumerate([shop.kyiv] * 12 + [shop.lviv] * 2):
            at = now - timedelta(days=number)
            uow.orders.add(
                Order(
                    new_id("ord_"),
                    where.id,
                    f"O-{number}",
                    anna.id,
                    OrderStatus.SHIPPED,
                    as_of=at,
                    created_at=at,
                    updated_at=at,
                )
            )
        uow.commit()

    mine = customer_card(anna.id, shop.uow, shop.clock, an_agent(shop.kyiv), with_state=True)
    bare = customer_card(anna.id, shop.uow, shop.clock, an_agent(shop.kyiv))

    assert mine.state is not None
    assert [o.reference for o in mine.state.orders] == [f"O-{n}" for n in range(10)]
    assert (mine.state.order_count, mine.state.booking_count) == (12, 0)
    assert bare.state is None
