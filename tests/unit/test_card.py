"""The customer card: what a receptionist reads before saying hello."""

from __future__ import annotations

from datetime import timedelta

from builders import Shop, a_manager, an_agent

from heedful.core.card import customer_card
from heedful.core.preferences.model import Polarity


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
