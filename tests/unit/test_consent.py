"""Consent per channel and purpose: silence is a no, the latest decision wins, history is kept."""

from __future__ import annotations

from datetime import timedelta

import pytest
from builders import Shop

from heedful.core.card import customer_card
from heedful.core.customers.channels import Channel
from heedful.core.customers.commands import RecordConsent
from heedful.core.customers.consent import Purpose, may_contact
from heedful.core.customers.handlers import record_consent
from heedful.core.shared.errors import InvalidInput


def _decide(shop: Shop, customer_id: str, granted: bool, how: str) -> None:
    cmd = RecordConsent(customer_id, Channel.EMAIL, Purpose.MARKETING, granted=granted, how=how)
    record_consent(cmd, shop.uow, shop.clock, shop.admin)


def _may_email_offers(shop: Shop, customer_id: str) -> bool:
    return may_contact(shop.uow.consents.list_for(customer_id), Channel.EMAIL, Purpose.MARKETING)


def test_a_customer_is_not_contacted_until_they_say_yes_and_not_after_they_say_no(
    shop: Shop,
) -> None:
    anna = shop.customer()
    assert not _may_email_offers(shop, anna.id)

    _decide(shop, anna.id, granted=True, how="web form")
    assert _may_email_offers(shop, anna.id)

    shop.clock.advance(timedelta(days=30))
    _decide(shop, anna.id, granted=False, how="unsubscribe link")
    assert not _may_email_offers(shop, anna.id)

    card = customer_card(anna.id, shop.uow, shop.clock, shop.admin)
    assert [(d.granted, d.how) for d in card.consent_history] == [
        (False, "unsubscribe link"),
        (True, "web form"),
    ]
    assert not card.consent[(Channel.EMAIL, Purpose.MARKETING)].granted


def test_consent_for_offers_by_email_says_nothing_about_other_channels_or_purposes(
    shop: Shop,
) -> None:
    anna = shop.customer()
    _decide(shop, anna.id, granted=True, how="in person at the front desk")

    decisions = shop.uow.consents.list_for(anna.id)
    assert not may_contact(decisions, Channel.SMS, Purpose.MARKETING)
    assert not may_contact(decisions, Channel.EMAIL, Purpose.SERVICE)


def test_a_consent_decision_must_say_how_it_was_given(shop: Shop) -> None:
    anna = shop.customer()

    with pytest.raises(InvalidInput) as raised:
        _decide(shop, anna.id, granted=True, how="   ")

    assert raised.value.field == "how"
    assert shop.uow.consents.list_for(anna.id) == []


def test_a_withdrawal_in_the_same_second_as_a_consent_wins(shop: Shop) -> None:
    anna = shop.customer("Anna Kovalenko", email="anna@example.com", at=shop.kyiv)
    for granted in (True, False, True, False):  # recorded in this order, all in one instant
        record_consent(
            RecordConsent(anna.id, Channel.EMAIL, Purpose.SERVICE, granted, "desk"),
            shop.uow,
            shop.clock,
            shop.admin,
        )
    with shop.uow as uow:
        assert not may_contact(uow.consents.list_for(anna.id), Channel.EMAIL, Purpose.SERVICE)
